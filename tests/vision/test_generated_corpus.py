"""Generated invoices with ground truth: clean PDFs in every Latin layout, and representative
scans (150/300 dpi, skew, blur, noise, JPEG, 90 and 180 degree rotation, Chinese)."""

from decimal import Decimal

import pytest

from tests.vision.conftest import needs_tesseract
from tests.vision.corpus import Scan, as_comparable, cjk_font, make_invoice, same, write_pdf, write_scan
from vision import read_invoice

FIELDS = ["issuer", "invoice_number", "date", "due_date", "currency", "amount", "amount_untaxed", "vat"]


def wrong_fields(result, inv, fields=FIELDS):
    got = result.plain_fields()
    return [(f, got.get(f), inv.truth[f]) for f in fields if not same(f, got.get(f), inv.truth[f])]


@pytest.mark.parametrize("seed", range(12))
def test_clean_pdf_every_field_and_line_right(seed, tmp_path):
    inv = make_invoice(seed, ["classic", "stacked", "de"][seed % 3])
    result = read_invoice(write_pdf(inv, tmp_path / "inv.pdf"), templates=[])
    assert wrong_fields(result, inv) == []
    assert [(i["description"], i["amount"]) for i in result.lines] == [
        (i["description"], i["amount"]) for i in inv.truth["lines"]]
    assert result.status == "ready", result.reasons


def test_printed_total_that_does_not_add_up_goes_to_review(tmp_path):
    inv = make_invoice(5, "classic", wrong_total=True)
    result = read_invoice(write_pdf(inv, tmp_path / "inv.pdf"), templates=[])
    assert result.value("amount") == inv.truth["printed_amount"]
    assert result.status == "review"
    assert any(r.startswith("subtotal_plus_tax") for r in result.reasons)


def test_already_booked_number_goes_to_review(tmp_path):
    from vision import CheckPolicy

    inv = make_invoice(3, "stacked")
    policy = CheckPolicy(booked_before=lambda issuer, number: f"{issuer} {number} on 2026-01-01")
    result = read_invoice(write_pdf(inv, tmp_path / "inv.pdf"), templates=[], policy=policy)
    assert result.status == "review"
    assert any("already booked" in r for r in result.reasons)


SCANS = [
    (0, "classic", Scan(150, skew=2.0, blur=0.8), ".png"),
    (1, "stacked", Scan(300, rotate=180, noise=8), ".tif"),
    (2, "de", Scan(300, rotate=90, skew=-1.5), ".png"),
    (4, "classic", Scan(200, skew=-1.0, jpeg=60), ".jpg"),
]


@needs_tesseract
@pytest.mark.ocr
@pytest.mark.parametrize("seed, layout, scan, suffix", SCANS, ids=[f"{l}-{s.label()}" for _, l, s, _ in SCANS])
def test_scanned_invoice_required_fields_right(seed, layout, scan, suffix, tmp_path):
    inv = make_invoice(seed, layout)
    result = read_invoice(write_scan(inv, scan, tmp_path / f"scan{suffix}"), templates=[])
    assert wrong_fields(result, inv, ["issuer", "invoice_number", "date", "currency", "amount"]) == []
    if result.status == "ready":
        assert as_comparable(result.value("amount")) == inv.truth["amount"]


@needs_tesseract
@pytest.mark.ocr
@pytest.mark.skipif(cjk_font() is None, reason="no CJK font (apt-get install fonts-wqy-microhei)")
def test_chinese_invoice_scan_reads_labels_in_chinese(tmp_path):
    inv = make_invoice(3, "cn")
    result = read_invoice(write_scan(inv, Scan(300, skew=1.0), tmp_path / "fapiao.png"), templates=[])
    assert wrong_fields(result, inv, ["invoice_number", "date", "currency", "amount", "vat", "amount_untaxed"]) == []
    assert result.value("amount") == inv.truth["amount"]
    # a mostly Chinese page is read without the Latin model, and keeps the ¥ of its totals
    assert any("chi_sim alone" in note for page in result.pages for note in page["notes"])
    assert "¥" in result.text and "羊" not in result.text


def test_yuan_sign_misread_by_the_chinese_model_is_restored():
    from vision.document import Word
    from vision.reader import _restore_yen

    words = [Word("合计", 0, 0, 40, 20), Word("羊62,766.66", 60, 0, 160, 20), Word("羊", 0, 30, 10, 50),
             Word("7,220.94", 20, 30, 90, 50), Word("羊肉串", 0, 60, 50, 80), Word("羊", 0, 90, 10, 110),
             Word("12", 20, 90, 40, 110)]
    assert [w.text for w in _restore_yen(words)] == ["合计", "¥62,766.66", "¥", "7,220.94", "羊肉串", "羊", "12"]
    # a Japanese invoice's total in whole yen, its sign read as 半 ('half'), which also begins words
    words = [Word("合计", 0, 0, 40, 20), Word("半", 60, 0, 70, 20), Word("2,075,296-", 80, 0, 180, 20),
             Word("半年", 0, 30, 30, 50), Word("半", 0, 60, 10, 80), Word("3", 20, 60, 30, 80)]
    assert [w.text for w in _restore_yen(words)] == ["合计", "¥", "2,075,296-", "半年", "半", "3"]


# ---------------------------------------------------------------- fresh layouts (corpus.FRESH_LAYOUTS)

REQUIRED = ["issuer", "invoice_number", "date", "currency", "amount"]


@pytest.mark.parametrize("layout", ["gst_tally", "nl_window", "fr_acompte", "de_info", "en_paid"])
@pytest.mark.parametrize("seed", [7700, 7703])
def test_fresh_layout_clean_pdf_required_fields_right(seed, layout, tmp_path):
    inv = make_invoice(seed, layout)
    result = read_invoice(write_pdf(inv, tmp_path / "inv.pdf"), templates=[])
    assert wrong_fields(result, inv, REQUIRED) == []


def test_indian_digit_groups_are_one_amount():
    from vision.parsing import find_amounts

    assert [a[:2] for a in find_amounts("Total ₹ 1,68,544.00")] == [(Decimal("168544.00"), "INR")]
    assert [a[0] for a in find_amounts("Rs. 12,34,56,789.50")] == [Decimal("123456789.50")]
    assert [a[0] for a in find_amounts("12,345.67 and 1.234,56")] == [Decimal("12345.67"), Decimal("1234.56")]


def test_gst_invoice_in_lakhs_with_a_captioned_buyer_block(tmp_path):
    # "Buyer (Bill to)" heads the buyer's block: its name (with a legal form and a GSTIN) was
    # booked as the issuer; the total printed 1,68,544.00 was read as 544.00
    inv = make_invoice(7703, "gst_tally")
    result = read_invoice(write_pdf(inv, tmp_path / "inv.pdf"), templates=[])
    assert result.value("issuer") == inv.truth["issuer"]
    assert any("Buyer (Bill to)" in r.text for r in inv.runs)
    inv = make_invoice(7700, "gst_tally")
    result = read_invoice(write_pdf(inv, tmp_path / "inv2.pdf"), templates=[])
    assert as_comparable(result.value("amount")) == inv.truth["amount"] == Decimal("168544.00")


def test_recipient_window_with_an_attention_line_is_not_the_issuer(tmp_path):
    # the buyer's address in the window (name, "t.a.v. de crediteurenadministratie", Postbus …)
    # carries no label; the seller's name is printed top right
    inv = make_invoice(7703, "nl_window")
    result = read_invoice(write_pdf(inv, tmp_path / "inv.pdf"), templates=[])
    assert result.value("issuer") == inv.truth["issuer"]
    assert result.status == "ready", result.reasons


def test_service_date_before_the_invoice_date_is_not_the_invoice_date(tmp_path):
    inv = make_invoice(7703, "de_info")
    labels = [r.text for r in inv.runs if r.text.endswith("datum:")]
    assert labels == ["Leistungsdatum:", "Rechnungsdatum:"]
    result = read_invoice(write_pdf(inv, tmp_path / "inv.pdf"), templates=[])
    assert str(result.value("date")) == inv.truth["date"]


@pytest.mark.parametrize("seed, heading", [(7700, "FROM"), (7701, "PAYABLE TO")])
def test_payable_to_heading_names_the_issuer_and_a_payment_received_is_not_the_total(seed, heading, tmp_path):
    # "FROM" and "PAYABLE TO" stand alone over the seller's block: they were taken for its name
    inv = make_invoice(seed, "en_paid")
    assert any(r.text == heading for r in inv.runs)
    assert any(r.text.startswith("Payment received") for r in inv.runs)
    result = read_invoice(write_pdf(inv, tmp_path / "inv.pdf"), templates=[])
    assert result.value("issuer") == inv.truth["issuer"]
    assert as_comparable(result.value("amount")) == inv.truth["amount"]


@needs_tesseract
@pytest.mark.ocr
@pytest.mark.skipif(cjk_font() is None, reason="no CJK font (apt-get install fonts-wqy-microhei)")
@pytest.mark.parametrize("seed", [7704, 7709])
def test_digital_fapiao_issuer_is_the_seller_box_named_down_its_side(seed, tmp_path):
    # 购买方信息 and 销售方信息 are printed one character per line down the side of two boxes,
    # each with its own 名称：; the seller's name holds a district (苏州工业园区…有限公司)
    inv = make_invoice(seed, "cn_digital")
    result = read_invoice(write_scan(inv, Scan(300), tmp_path / "fapiao.png"), templates=[])
    assert result.value("issuer") == inv.truth["issuer"]
    assert wrong_fields(result, inv, ["invoice_number", "date", "currency", "amount"]) == []


def test_total_before_tax_under_a_total_label_is_the_net_not_the_total(tmp_path):
    # "Total exkl. MWST" and "Total inkl. MWST": the lines add up to the first, and it was booked
    # as the invoice's total (the Swiss layout written after the fixes, measured unseen: 8 of 20
    # booked with the net as total)
    inv = make_invoice(9904, "ch_qr")
    result = read_invoice(write_pdf(inv, tmp_path / "inv.pdf"), templates=[])
    assert as_comparable(result.value("amount")) == inv.truth["amount"]
    assert as_comparable(result.value("amount_untaxed")) == inv.truth["amount_untaxed"]


def test_net_equal_to_a_weak_total_is_not_booked_against_a_stronger_total_label():
    # a scan lost the VAT row: a table column's "Totaal" (the one line's amount) equals the net,
    # while "Totaal te betalen" prints more; booking the net as the total would be wrong
    from vision.fields import Field, choose_totals

    column = Field(Decimal("276.12"), 0.9, text="276,12")
    payable = Field(Decimal("334.11"), 0.9, text="334,11")
    net = Field(Decimal("276.12"), 0.9, text="276,12")
    total, _, _, _ = choose_totals({"amount": [(6, column), (10, payable)], "amount_untaxed": [(10, net)]},
                                   Decimal("276.12"))
    assert total.confidence < 0.6
    # with the VAT row read, net + VAT = the payable total, which is booked
    vat = Field(Decimal("57.99"), 0.9, text="57,99")
    total, _, _, how = choose_totals({"amount": [(6, column), (10, payable)], "amount_untaxed": [(10, net)],
                                      "vat": [(10, vat)]}, Decimal("276.12"))
    assert (total.value, how) == (Decimal("334.11"), "arithmetic") and total.confidence >= 0.6


def test_amount_payable_that_the_sums_contradict_is_not_booked_as_the_tax_tables_total():
    # a Czech invoice's VAT recap prints 'Celkem' per rate (net + tax, which adds up), and below
    # it 'Celkem k úhradě' prints what is to be paid. When the payable figure is misprinted the
    # recap's figure made the sums hold and was booked: the clerk would pay what the vendor
    # did not ask for, and nobody saw the vendor's mistake
    from vision.fields import Field, choose_totals_rounded

    def read(payable_amount, printed):
        recap = Field(Decimal("1210.00"), 0.95, text="1 210,00")
        payable = Field(Decimal(payable_amount), 0.95, text=payable_amount)
        net = Field(Decimal("1000.00"), 0.95, text="1 000,00")
        vat = Field(Decimal("210.00"), 0.95, text="210,00")
        total, *_ = choose_totals_rounded({"amount": [(6, recap), (10, payable)], "amount_untaxed": [(10, net)],
                                          "vat": [(10, vat)]}, None, printed=printed)
        return total

    counts = {Decimal(v): 1 for v in ("1210.00", "1000.00", "210.00")}
    doubted = read("1250.00", {**counts, Decimal("1250.00"): 1})
    assert doubted.confidence < 0.6 and "1250.00" in doubted.detail
    # what is left to pay after a deposit the invoice prints is no contradiction
    after_deposit = read("810.00", {**counts, Decimal("810.00"): 1, Decimal("400.00"): 1})
    assert after_deposit.value == Decimal("1210.00") and after_deposit.confidence >= 0.6


def test_seller_label_over_a_column_beside_another_column(tmp_path):
    # a QR-bill prints its receipt and its payment part side by side, their lines a few points
    # apart: the seller's name under "Compte / Payable à" is two lines down once the other
    # column's lines are passed over ("Sàrl" is a legal form too)
    inv = make_invoice(9901, "ch_qr")
    result = read_invoice(write_pdf(inv, tmp_path / "inv.pdf"), templates=[])
    assert result.value("issuer") == inv.truth["issuer"] == "Favre Nettoyages Sàrl"
    assert result.status == "ready", result.reasons


# ---------------------------------------------------------------- blind layouts (corpus.BLIND_LAYOUTS)
# written without reading vision/ and measured once before these fixes (85.4% clean / 79.7%
# scanned, all fields); each test below is a miss found there, asked in the words of the page


@pytest.mark.parametrize("seed, layout", [(40001, "it_cortesia"), (40003, "pt_atcud")])
def test_tax_summary_beside_the_totals_is_not_read_as_more_items(seed, layout, tmp_path):
    # "Riepilogo IVA" / "Quadro resumo do IVA" is printed left of the totals, on the same lines:
    # its rows and the totals were read as three more items, and the items no longer added up
    inv = make_invoice(seed, layout)
    result = read_invoice(write_pdf(inv, tmp_path / "inv.pdf"), templates=[])
    assert [i["amount"] for i in result.lines] == [i["amount"] for i in inv.truth["lines"]]
    assert wrong_fields(result, inv) == []
    assert result.status == "ready", result.reasons


def test_portuguese_number_after_its_number_sign_and_series(tmp_path):
    # "FATURA" over "N.º FT 2026A/2718": the number sign and the series code are printed before
    # the running number, and no invoice number was found at all
    inv = make_invoice(40003, "pt_atcud")
    assert any(r.text == f"N.º {inv.truth['invoice_number']}" for r in inv.runs)
    result = read_invoice(write_pdf(inv, tmp_path / "inv.pdf"), templates=[])
    assert result.value("invoice_number") == inv.truth["invoice_number"] == "FT 2026A/2718"


def test_a_zero_discount_total_and_a_tax_table_beside_the_totals_are_not_the_net_or_the_tax(tmp_path):
    # a total that does not add up (printed 10.00 off) leaves the labels to decide: the summary's
    # "Incidência" heading took the 0,00 of "Total descontos" printed right of it as the net
    inv = make_invoice(40019, "pt_atcud", wrong_total=True)
    result = read_invoice(write_pdf(inv, tmp_path / "inv.pdf"), templates=[])
    assert as_comparable(result.value("amount")) == inv.truth["printed_amount"]
    assert as_comparable(result.value("amount_untaxed")) == inv.truth["amount_untaxed"]
    assert as_comparable(result.value("vat")) == inv.truth["vat"]
    assert result.status == "review"


def test_net_under_a_column_heading_is_the_tables_total_row_not_its_first_item(tmp_path):
    # "Wartość netto" heads the item table's net column; the first item's net was read as the
    # invoice's, where the "Razem:" row under the table prints the sum
    inv = make_invoice(40002, "pl_faktura")
    assert len(inv.truth["lines"]) > 1
    result = read_invoice(write_pdf(inv, tmp_path / "inv.pdf"), templates=[])
    assert as_comparable(result.value("amount_untaxed")) == inv.truth["amount_untaxed"]
    assert as_comparable(result.value("amount")) == inv.truth["amount"]


@pytest.mark.parametrize("seed", [40005, 40013])
def test_till_slip_with_its_currency_only_at_the_total_is_booked(seed, tmp_path):
    # "TOTAL £17.86" is the only place the pound sign is printed; the amount paid was read
    # without it, the currency was left at 0.70 and every slip went to a person
    inv = make_invoice(seed, "till_invoice")
    result = read_invoice(write_pdf(inv, tmp_path / "inv.pdf"), templates=[])
    assert wrong_fields(result, inv, ["issuer", "invoice_number", "date", "currency", "amount", "vat"]) == []
    assert result.status == "ready", result.reasons


def test_gst_total_after_a_rounding_row_is_the_invoice_total_not_the_balance_after_a_payment(tmp_path):
    # Sub Total + CGST6 + SGST6 + Rounding 0.06 = Total 22,204.00, then "Payment Made (-)
    # 11,102.00" and "Balance Due 11,102.00": without the rounding nothing added up, and the
    # balance due was taken for the invoice's total; the CGST/SGST columns of the one item row
    # were added to the CGST/SGST rows as a third and fourth tax
    inv = make_invoice(40007, "gst_columns")
    assert any(r.text == "Rounding" for r in inv.runs) and any(r.text == "Payment Made" for r in inv.runs)
    result = read_invoice(write_pdf(inv, tmp_path / "inv.pdf"), templates=[])
    assert as_comparable(result.value("amount")) == inv.truth["amount"] == Decimal("22204")
    assert as_comparable(result.value("vat")) == inv.truth["vat"]
    assert as_comparable(result.value("amount_untaxed")) == inv.truth["amount_untaxed"]


def test_a_rounding_under_one_completes_net_plus_tax_and_nothing_else_does():
    from vision.fields import Field, choose_totals

    total = Field(Decimal("1000.00"), 0.9, text="1,000.00")
    balance = Field(Decimal("400.00"), 0.9, text="400.00")
    net = Field(Decimal("847.44"), 0.9, text="847.44")
    vat = Field(Decimal("152.54"), 0.9, text="152.54")
    fields = {"amount": [(6, total), (9, balance)], "amount_untaxed": [(10, net)], "vat": [(10, vat)]}
    chosen, _, _, how = choose_totals(fields, None, roundings=[Decimal("0.02")])
    assert (chosen.value, how) == (Decimal("1000.00"), "arithmetic")
    chosen, _, _, how = choose_totals(fields, None, roundings=[Decimal("0.05")])  # a rounding that is not it
    assert how != "arithmetic"


@needs_tesseract
@pytest.mark.ocr
@pytest.mark.skipif(cjk_font() is None, reason="no CJK font (apt-get install fonts-wqy-microhei)")
def test_fapiao_net_and_tax_are_its_sum_row_not_its_first_item(tmp_path):
    # 金额 and 税额 head the item columns; 合  计 (spaced across the name column, read as two
    # pieces) closes them far below after blank rows: it was read as an item, and the first
    # item's tax as the invoice's
    inv = make_invoice(40006, "cn_paper")
    assert len(inv.truth["lines"]) > 1
    result = read_invoice(write_scan(inv, Scan(300), tmp_path / "fapiao.png"), templates=[])
    assert wrong_fields(result, inv, ["invoice_number", "date", "currency", "amount", "amount_untaxed", "vat"]) == []
    assert len(result.lines) == len(inv.truth["lines"])


def test_number_sign_read_by_a_scan_is_not_the_invoice_number():
    from vision.parsing import parse_invoice_number

    # "N.º FT 2026A/2718" scanned reads "N.2 FT 2026A/2718": booked as invoice "N.2"
    assert parse_invoice_number("N.2 FT 2026A/2718") == "FT 2026A/2718"
    assert parse_invoice_number("N.º FT 2026A/2718") == "FT 2026A/2718"
    assert parse_invoice_number("Nº 2024-17") == "2024-17"


@needs_tesseract
@pytest.mark.ocr
def test_invoice_number_label_split_by_a_wide_gap_on_a_till_slip(tmp_path):
    # the monospaced "Inv No: T09539" is read as three pieces (Inv | No: | T09539): no label
    # was found and the till's date and time stamp stood in for the invoice number, booked
    inv = make_invoice(40005, "till_invoice")
    result = read_invoice(write_scan(inv, Scan(300, rotate=180), tmp_path / "slip.png"), templates=[])
    assert ":" not in str(result.value("invoice_number"))
    assert result.status != "ready" or result.value("invoice_number") == inv.truth["invoice_number"]


def test_rupee_read_as_yen_on_a_gstin_invoice_is_not_booked_in_yuan():
    from vision.document import Document, Page, Word
    from vision.invoice import analyse

    words = [Word(t, x, y, x + 8 * len(t), y + 10) for t, x, y in [
        ("Sharma", 50, 40), ("Traders", 110, 40), ("GSTIN", 50, 60), ("27AABCS1234F1Z5", 100, 60),
        ("Invoice", 50, 100), ("No:", 110, 100), ("A-17", 150, 100), ("Date:", 50, 120), ("05/11/2026", 100, 120),
        ("Total", 300, 200), ("¥1,180.00", 400, 200)]]
    result = analyse(Document("x.png", [Page(1, 600, 800, words, "ocr")], "image"))
    assert result.value("currency") == "INR"
    assert result.status != "ready"


def test_misprinted_total_is_read_as_printed_not_replaced_by_the_net_the_lines_add_up_to(tmp_path):
    # "Total exkl. MWST" sits under a total label and the lines add up to it; with the total
    # misprinted nothing else adds up, and the net was taken for the total (review, but a
    # person saw the wrong figure to correct)
    inv = make_invoice(31029, "ch_qr", wrong_total=True)
    result = read_invoice(write_pdf(inv, tmp_path / "inv.pdf"), templates=[])
    assert as_comparable(result.value("amount")) == inv.truth["printed_amount"]
    assert result.status == "review"


# ------------------------------------------------------- blind layouts, second round (corpus.BLIND2_LAYOUTS)


@pytest.mark.parametrize("layout", ["us_remit", "de_skonto", "fr_net", "ch_rappen", "uk_two_page", "uk_credit",
                                    "nl_factuur", "sv_faktura"])
def test_blind2_layout_renders_its_truth_as_a_text_layer_and_a_scan(layout, tmp_path):
    import pdfplumber
    from PIL import Image

    from tests.vision.corpus import BLIND2_LAYOUTS, _group

    assert layout in BLIND2_LAYOUTS
    inv = make_invoice(7, layout)
    truth = inv.truth
    assert truth["amount"] - truth["amount_untaxed"] - truth["vat"] < Decimal("1.00")  # only a rounding row between
    with pdfplumber.open(write_pdf(inv, tmp_path / "inv.pdf")) as pdf:
        assert len(pdf.pages) == inv.pages
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    flat = text.replace(" ", "").replace("\u00a0", "")
    assert truth["invoice_number"] in text
    assert any(_group(abs(truth["amount"]), sep, dec).replace(" ", "") in flat
               for sep, dec in ((",", "."), (".", ","), (" ", ","), ("'", ".")))
    scan = write_scan(inv, Scan(100, skew=1.0), tmp_path / "scan.png")
    with Image.open(scan) as image:
        assert getattr(image, "n_frames", 1) == inv.pages
    assert (inv.pages == 2) == (layout == "uk_two_page")


@pytest.mark.parametrize("seed", [40, 49], ids=["minus", "plain"])
def test_credit_note_goes_to_a_person_with_its_own_number_and_date(seed, tmp_path):
    # "CREDIT NOTE" over amounts printed plain (£2,040.67), with a minus or in brackets: it was
    # booked as an invoice when plain, and its date was the corrected invoice's "Invoice Date"
    inv = make_invoice(seed, "uk_credit")
    result = read_invoice(write_pdf(inv, tmp_path / "cn.pdf"), templates=[])
    assert result.value("document_type") == "credit_note"
    assert result.status == "review"
    assert any(r.startswith("credit_note") for r in result.reasons)
    assert wrong_fields(result, inv) == []  # its number and date; its figures as printed


def test_an_invoice_naming_a_credit_note_in_its_items_is_not_a_credit_note(tmp_path):
    from vision.document import Document, Page, Word
    from vision.invoice import analyse

    words = [Word(t, x, y, x + 8 * len(t), y + 10) for t, x, y in [
        ("Ashby", 50, 40), ("Tools", 100, 40), ("Ltd", 150, 40), ("INVOICE", 400, 40),
        ("Invoice", 50, 100), ("No:", 110, 100), ("A-17", 150, 100), ("Date:", 50, 120), ("05/11/2026", 100, 120),
        ("Description", 50, 200), ("Amount", 450, 200), ("Drill", 50, 220), ("120.00", 450, 220),
        ("Credit", 50, 240), ("note", 100, 240), ("CN12", 140, 240), ("-20.00", 450, 240),
        ("Total", 300, 300), ("£100.00", 450, 300)]]
    result = analyse(Document("x.png", [Page(1, 600, 800, words, "text")], "pdf"))
    assert result.value("document_type") is None


@pytest.mark.parametrize("seed", [3, 4])
def test_two_page_invoice_with_a_subtotal_carried_forward_is_read_whole(seed, tmp_path):
    # page 1 ends "Carried forward 6,078.65", page 2 starts "Brought forward 6,078.65" and prints
    # the totals: the two rows were read as items and the lines no longer added up
    inv = make_invoice(seed, "uk_two_page")
    result = read_invoice(write_pdf(inv, tmp_path / "inv.pdf"), templates=[])
    assert [i["amount"] for i in result.lines] == [i["amount"] for i in inv.truth["lines"]]
    assert wrong_fields(result, inv) == []
    assert result.status == "ready", result.reasons


def test_share_capital_after_the_sellers_name_is_not_part_of_the_name(tmp_path):
    # "Transports Roux & Cie au capital de 7 500 € – SIRET …": the French legal footer
    for seed in (42000, 42002):
        inv = make_invoice(seed, "fr_net")
        result = read_invoice(write_pdf(inv, tmp_path / f"{seed}.pdf"), templates=[])
        assert wrong_fields(result, inv, ["issuer", "amount"]) == []


def test_total_label_naming_its_currency_outweighs_item_codes_read_as_dollars():
    from vision.document import Document, Page, Word
    from vision.invoice import analyse

    # item codes S4576 read by a scan as $4576; "Invoice Total £" names the total's currency
    words = [Word(t, x, y, x + 8 * len(t), y + 10) for t, x, y in [
        ("Calder", 50, 40), ("Fixings", 110, 40), ("Ltd", 170, 40), ("Invoice", 350, 60), ("No.", 410, 60),
        ("SIN01234", 450, 60), ("Date:", 350, 80), ("14/11/2026", 450, 80),
        ("$4576", 50, 200), ("Cable", 120, 200), ("ties", 170, 200), ("$9297", 50, 220), ("Board", 120, 220),
        ("$1808", 50, 240), ("Gloves", 120, 240),
        ("Invoice", 300, 400), ("Total", 360, 400), ("£", 410, 400), ("6,669.92", 480, 400)]]
    result = analyse(Document("x.png", [Page(1, 600, 800, words, "ocr")], "image"))
    assert result.value("currency") == "GBP"
    # and the numeric date is read day first, as a pound invoice writes it: the $ marks had made
    # the page month first, and a scan of a UK invoice was booked dated 12 January for 1 December
    words[7] = Word("01/12/2026", 450, 80, 530, 90)
    result = analyse(Document("x.png", [Page(1, 600, 800, words, "ocr")], "image"))
    assert result.value("date").isoformat() == "2026-12-01"


def test_sender_line_whose_bullets_a_scan_read_as_full_stops_names_the_issuer():
    from vision.document import Document, Page, Word
    from vision.invoice import analyse

    # "Name · Street · City" over the address window, its bullets read as " . "; the window
    # holds a GmbH and a department: neither issued the invoice
    text = [("Elektrotechnik Krause & Sohn", 380, 40), ("Industriestraße 44", 420, 55), ("93047 Regensburg", 430, 68),
            ("Elektrotechnik Krause & Sohn . Industriestraße 44 . 93047 Regensburg", 50, 120),
            ("Stadtwerke Neuhausen GmbH", 50, 140), ("Buchhaltung", 50, 155), ("Bahnhofstraße 58", 50, 170),
            ("50667 Köln", 50, 185), ("Rechnungs-Nr. 2026-09037", 350, 140), ("Rechnungsdatum 23.09.2026", 350, 155),
            ("Rechnungsbetrag 1.190,00 €", 300, 400)]
    words = []
    for phrase, x, y in text:
        for word in phrase.split():
            words.append(Word(word, x, y, x + 6 * len(word), y + 9))
            x += 6 * len(word) + 4
    result = analyse(Document("x.png", [Page(1, 600, 800, words, "ocr")], "image"))
    assert result.value("issuer") == "Elektrotechnik Krause & Sohn"


def test_a_blind_sellers_invoices_print_the_same_letterhead_each_time():
    # a real vendor prints its address, phone, bank account and register entry the same on every
    # invoice: a learned vendor was measured on invoices whose seller moved house each time
    from tests.vision.corpus import BLIND_LAYOUTS
    from tests.vision.vendors import make_layout_vendor, layout_vendor_invoice

    for seed, layout in enumerate(BLIND_LAYOUTS, 900):
        vendor = make_layout_vendor(seed, layout, 3)
        invoices = [layout_vendor_invoice(vendor, n) for n in range(3)]
        buyers = {inv.truth.get("buyer") for inv in invoices}
        printed = [{run.text for run in inv.runs} for inv in invoices]
        letterhead = [text for text in printed[0] if any(mark in text for mark in
                      ("Tel", "IBAN", "Nr konta", "Bank", "开户行", "地 址", "Mob", "Capital", "REA", "Registro", "Rua",
                       "ul. ", "Unit ", "Via ", "C/ ", "Street", "Road"))]
        assert letterhead, layout
        for text in letterhead:
            if invoices[0].truth["issuer"] in text or any(b and b in text for b in buyers):
                continue
            assert all(text in others for others in printed[1:]) or _a_buyers_line(text, invoices[0]), (layout, text)


def _a_buyers_line(text: str, inv) -> bool:
    """A line of the buyer's block (printed with the same marks as the seller's: 'ul. ', 'Via ')."""
    runs = [run for run in inv.runs if run.text == text]
    seller_x = {run.x for run in inv.runs if run.text == inv.truth["issuer"]}
    return bool(runs) and all(run.x not in seller_x for run in runs)


@needs_tesseract
@pytest.mark.ocr
@pytest.mark.skipif(cjk_font() is None, reason="no CJK font (apt-get install fonts-wqy-microhei)")
@pytest.mark.parametrize("seed, layout", [(713027, "cn_paper"), (713039, "cn_zhuanpiao")])
def test_a_fapiao_title_half_lost_to_the_scan_is_not_the_issuer(seed, layout, tmp_path):
    # the scan keeps the title's region and 'VAT' ('云南增值税', '天津增值上税电子普通') and loses
    # '发票'; a stamp over it reads as a glyph among stray letters: the seller is the company
    import tests.vision.corpus_blind3  # noqa: F401  (draws cn_zhuanpiao)

    inv = make_invoice(seed, layout)
    result = read_invoice(write_scan(inv, Scan(300), tmp_path / "fapiao.png"), templates=[])
    assert result.value("issuer") == inv.truth["issuer"]
