"""Ready must be right: a value with no sum behind it, read from a scan, is booked with no
person only when the scan says the same again; a digit where a letter could stand is doubted.

What a user sees: a scanned invoice whose number reads otherwise at another scale lands in
review with a reason naming the number and what the second readings said; a clean scan reads
the same again and is booked; a text-layer PDF (exact text) is not read again.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.vision.conftest import needs_tesseract
from tests.vision.corpus import Scan, make_invoice, write_pdf, write_scan
from tests.vision.test_script_and_lookalikes import _printed
from tests.vision.word_pages import cells, labelled_amounts
from vision import read_invoice
from vision.document import Document, Page, Word
from vision.invoice import analyse
from vision.lookalikes import settle_lookalikes


def _scan(tmp_path, seed: int = 36, layout: str = "it"):
    inv = make_invoice(seed, layout)
    return inv, write_scan(inv, Scan(300), tmp_path / "scan.png")


@needs_tesseract
def test_a_clean_scan_whose_number_and_date_read_the_same_again_is_booked(tmp_path):
    inv, path = _scan(tmp_path)
    result = read_invoice(path, templates=[])
    assert result.status == "ready", result.reasons
    assert result.value("invoice_number") == inv.truth["invoice_number"]
    check = next(c for c in result.checks if c["name"] == "scan_reread")
    assert check["ok"] and "invoice_number" in check["detail"] and "date" in check["detail"]


@needs_tesseract
def test_a_scanned_number_that_reads_otherwise_again_goes_to_review_naming_it(tmp_path, monkeypatch):
    import vision.reread as reread

    inv, path = _scan(tmp_path)
    number = inv.truth["invoice_number"]
    real = reread.readings

    def one_digit_off(image, boxes, languages="eng"):
        out = real(image, boxes, languages)
        # the number's second readings: one says the value, two say another digit in front
        return [[texts[0], "9" + number[1:], "9" + number[1:]] if texts and number in texts[0] else texts
                for texts in out]

    monkeypatch.setattr(reread, "readings", one_digit_off)
    result = read_invoice(path, templates=[])
    assert result.status == "review"
    reason = next(r for r in result.reasons if r.startswith("scan_reread"))
    assert f"invoice_number {number}" in reason and repr("9" + number[1:]) in reason


@needs_tesseract
def test_a_text_layer_pdf_is_not_read_again(tmp_path):
    inv = make_invoice(36, "it")
    result = read_invoice(write_pdf(inv, tmp_path / "clean.pdf"), templates=[])
    assert result.status == "ready", result.reasons
    assert not any(c["name"] == "scan_reread" for c in result.checks)


def test_a_digit_read_after_a_letter_with_no_other_print_to_compare_is_doubtful():
    # 'SI008555' read 'S1008555': the word prints no other 1, so its ink cannot say 1 or I
    gray, word = _printed("SI008555", read_as="S1008555")
    assert not settle_lookalikes(gray, [word])[0].shapes_settled
    # a 1 after a letter whose ink is the word's other 1 is a 1
    gray, word = _printed("S10081555")
    assert settle_lookalikes(gray, [word])[0].shapes_settled


def test_a_first_digit_whose_ink_is_not_the_words_other_prints_of_it_is_doubtful():
    # 'SI005435' read '51005435': the first 5 is not printed like the word's two other 5s
    gray, word = _printed("SI005435", read_as="51005435")
    assert not settle_lookalikes(gray, [word])[0].shapes_settled
    gray, word = _printed("1026-0117")  # a first 1 printed like the word's other 1s is a 1
    assert settle_lookalikes(gray, [word])[0].shapes_settled


@pytest.mark.parametrize("settled", [True, False])
def test_a_scanned_number_with_a_digit_where_a_letter_could_stand_goes_to_review_unless_settled(settled):
    label = [Word("Invoice", 200, 60, 260, 70, 0.95, 1), Word("No.", 262, 60, 290, 70, 0.95, 1)]
    number = Word("A1004379", 330, 60, 420, 70, 0.95, 1, shapes_settled=settled)  # AI004379 or A1004379?
    result = analyse(Document("scan.png", [Page(1, 600, 850, label + [number], "ocr")], "image"), templates=[])
    assert result.value("invoice_number") == "A1004379"
    assert (result.fields["invoice_number"].confidence > 0.6) is settled
    if not settled:
        assert "letter could stand" in result.fields["invoice_number"].detail
        confidence = next(c for c in result.checks if c["name"] == "confidence")
        assert not confidence["ok"] and "invoice_number (0.55)" in confidence["detail"]


@pytest.mark.parametrize("value, reading, verdict", [
    ("104379", "T04379", "other"),        # a letter the first read took for a digit: a person looks
    ("51005435", "SI005435", "other"),
    ("12345", "12845", "other"),          # a digit read as another
    ("R030874", "RO30874", "other"),      # an O beside a letter may be what is printed
    ("INV/05503", "INV/O5503", "same"),   # an O among digits is the zero a number prints there
    ("8909/PA", "§909/PA", "unclear"),    # a smudge no number holds: neither confirms nor contradicts
    ("FT 2026/8359", "No FT2026/8359", "same"),
    ("FV/8667", "FV/86672/2026", "other"),  # read again whole: the first read cut the number short
    ("8667", "Nr.8667", "unclear"),         # a label glued on adds no digit: no other number
])
def test_what_a_second_reading_of_a_scanned_number_says(value, reading, verdict):
    from vision.reread import _number_verdict

    assert _number_verdict(value, reading, None, None) == verdict


@pytest.mark.parametrize("reading, verdict", [
    ("2025 年 7 目 19 日", "same"),      # the month's character read as another character
    ("2025 # 07 A 19 El", "same"),       # every character between the figures read as Latin garble
    ("2025年7月19日", "same"),
    ("2025 年 7 目 18 日", "other"),     # a figure read as another: another date, a person looks
    ("2025 年 1 目 19 日", "other"),
    ("2025 年 719 日", "unclear"),       # two figures run together: neither confirms nor contradicts
    ("20254 7 19", "unclear"),           # the year's character read as a figure glued to it
    ("2025 4 7 目 19", "unclear"),       # or as a figure of its own
    ("2025 年 7 目", "unclear"),
])
def test_a_date_printed_year_first_read_again_is_judged_by_its_figures(reading, verdict):
    from vision.fields import Options
    from vision.learned import _verdict
    from vision.reread import date_verdict

    printed = date(2025, 7, 19)
    assert date_verdict(printed, reading, None, None) == verdict
    assert _verdict("date", printed, reading, Options()) == verdict
    assert _verdict("due_date", printed, reading, Options()) == verdict


def _dates_in_boxes(first_label: list[str], second_label: list[str], first: str, second: str) -> Document:
    """A row of two boxes, each a label over a date (a scan may cut a label short)."""
    words = [Word("Fatura", 60, 40, 140, 56, 0.95, 1), Word("FT", 420, 40, 445, 56, 0.95, 1),
             Word("2026A/1663", 450, 40, 560, 56, 0.95, 1)]
    x = 60
    for part in first_label:
        words.append(Word(part, x, 200, x + 10 * len(part), 212, 0.95, 1))
        x += 10 * len(part) + 8
    words.append(Word(first, 60, 222, 160, 234, 0.95, 1))
    x = 300
    for part in second_label:
        words.append(Word(part, x, 200, x + 10 * len(part), 212, 0.95, 1))
        x += 10 * len(part) + 8
    words.append(Word(second, 300, 222, 400, 234, 0.95, 1))
    return Document("scan.png", [Page(1, 600, 850, words, "ocr")], "image")


def test_a_later_date_under_a_label_cut_short_keeps_the_invoice_date_from_being_booked_alone():
    # 'Data de emissão | Data de vencimento' read 'Data de | Data de': the second box's date may be
    # the due date; booked as it stood, the invoice had an empty due date
    result = analyse(_dates_in_boxes(["Data", "de"], ["Data", "de"], "2026-12-02", "2027-01-01"), templates=[])
    assert result.value("date").isoformat() == "2026-12-02"
    assert result.fields["date"].confidence < 0.6
    assert "2027-01-01" in result.fields["date"].detail and "due date" in result.fields["date"].detail


def test_an_invoice_date_beside_its_named_due_date_or_an_earlier_date_is_not_doubted():
    named = analyse(_dates_in_boxes(["Data", "de", "emissão"], ["Data", "de", "vencimento"],
                                    "2026-12-02", "2027-01-01"), templates=[])
    assert named.value("due_date").isoformat() == "2027-01-01"
    assert named.fields["date"].confidence >= 0.6
    # another date before the invoice date (an order placed earlier) cannot be its due date
    earlier = analyse(_dates_in_boxes(["Data", "de"], ["Data", "de"], "2026-12-02", "2026-11-20"), templates=[])
    assert earlier.value("date").isoformat() == "2026-12-02"
    assert earlier.fields["date"].confidence >= 0.6 and not earlier.fields["date"].detail


def _labelled_rows(*rows: str) -> Document:
    """One labelled value a row, its words a few pixels apart as a scan reads them."""
    words = [w for i, row in enumerate(rows) for w in cells(60 + 30 * i, (60, row))]
    return Document("scan.png", [Page(1, 600, 850, words, "ocr")], "image")


def test_a_due_date_the_scan_garbled_keeps_the_invoice_from_being_booked_without_it():
    result = analyse(_labelled_rows("Invoice No. INV/04454", "Tax Date 09 Oct 2026", "Due date 23 Nov OV 2026"),
                     templates=[])
    assert result.value("due_date") is None
    assert result.status == "review"
    assert any(r.startswith("due_date_unread") and "23 Nov OV 2026" in r for r in result.reasons)


@pytest.mark.parametrize("scrap", ["Ov", "2l", "1 )"])
def test_a_due_date_the_scan_kept_only_a_scrap_of_goes_to_a_person(scrap):
    # '22 Nov 2026' read 'Ov': the vendor printed a due date; booked as read, the invoice had none
    result = analyse(_labelled_rows("Invoice No. INV/04454", "Tax Date 09 Oct 2026", f"Due date {scrap}"), templates=[])
    assert result.value("due_date") is None
    assert result.status == "review"
    assert any(r.startswith("due_date_unread") and scrap in r for r in result.reasons), result.reasons


def test_a_scrap_of_a_due_date_boxed_under_its_label_still_goes_to_a_person():
    # '20.11.26' read as '20.' in a box of two pixels, and the word 'Due' boxed as wide as the
    # caption and the scrap together: nothing stands to the label's right, yet the date was printed
    doc = _labelled_rows("Invoice No. INV/04454", "Tax Date 06.11.26")
    y = 60 + 30 * 2
    doc.pages[0].words += [Word("Due", 60, y, 300, y + 12, 0.95, 1), Word("date", 100, y, 140, y + 12, 0.95, 1),
                           Word("20.", 160, y + 10, 162, y + 12, 0.5, 1)]
    result = analyse(doc, templates=[])
    assert result.value("due_date") is None
    assert result.status == "review"
    assert any(r.startswith("due_date_unread") and "20." in r for r in result.reasons), result.reasons


@pytest.mark.parametrize("row", ["Terms: strictly 30 days.   bue date 13/11/2026", "Pay ment due: 13.11.2026",
                                 "Fälligkeitsdatm 13.11.2026", "Terms: strictly 30 days. Due Jate 14 Nov 2026",
                                 "Payment dve Nov 14, 2026"])
def test_a_due_date_whose_caption_the_scan_misspelled_is_not_booked_away(row):
    # the vendor printed when to pay; a caption read one letter off named nothing, so the date
    # went unread and the invoice would have been booked with no due date
    result = analyse(_labelled_rows("Invoice No. INV/04454", "Tax Date 09 Oct 2026", row), templates=[])
    assert result.value("due_date") is None
    assert result.status == "review"
    assert any(r.startswith("due_date_unread") and row.split()[-1] in r for r in result.reasons), result.reasons


@pytest.mark.parametrize("row", ["Dispatched on 13/11/2026", "Order date 13/11/2026", "Delivered 13/11/2026"])
def test_a_date_under_another_caption_asks_nothing(row):
    result = analyse(_labelled_rows("Invoice No. INV/04454", "Tax Date 09 Oct 2026", row), templates=[])
    assert not any(c["name"] == "due_date_unread" for c in result.checks), result.reasons


def test_a_text_layer_caption_is_read_as_printed_and_a_slip_there_asks_nothing():
    words = [w for i, row in enumerate(["Invoice No. INV/04454", "Tax Date 09 Oct 2026", "bue date 13/11/2026"])
             for w in cells(60 + 30 * i, (60, row))]
    result = analyse(Document("invoice.pdf", [Page(1, 600, 850, words, "text")], "pdf"), templates=[])
    assert not any(c["name"] == "due_date_unread" for c in result.checks)


def test_a_due_date_decades_after_the_invoice_date_is_not_booked():
    # the due date's own print garbled ('26 ep 2026'), another number read as a date took its
    # place: a bank sort code 17-10-90 is 17 October 2090, no vendor's payment terms
    far = analyse(_labelled_rows("Invoice No. INV/04454", "Tax Date 09 Oct 2026", "Due date 17-10-90"), templates=[])
    assert far.value("due_date") == date(2090, 10, 17)
    assert far.status == "review"
    assert any(r.startswith("due_after_date") and "2090-10-17" in r for r in far.reasons), far.reasons
    usual = analyse(_labelled_rows("Invoice No. INV/04454", "Tax Date 09 Oct 2026", "Due date 08 Dec 2026"), templates=[])
    assert not any(r.startswith("due_after_date") for r in usual.reasons), usual.reasons


@pytest.mark.parametrize("terms", ["Due date on receipt", "Due date 30 days net",
                                   "Entgeltforderung kommt spätestens in Verzug nach Fälligkeit und"])
def test_a_due_date_label_with_no_date_printed_asks_nothing(terms):
    result = analyse(_labelled_rows("Invoice No. INV/04454", "Tax Date 09 Oct 2026", terms), templates=[])
    assert not any(c["name"] == "due_date_unread" for c in result.checks)


@pytest.mark.parametrize("line, due", [("Due Mar 5, 2027", date(2027, 3, 5)), ("Due: 05/03/2027", date(2027, 3, 5)),
                                       ("Due 30 days after 09/02/2027", None)])
def test_a_date_printed_straight_after_a_bare_due_is_the_due_date(line, due):
    result = analyse(_labelled_rows("Invoice No. INV/04454", "Issued 09 Feb 2027", line), templates=[])
    assert result.value("due_date") == due


def test_two_headings_a_scan_joined_over_the_rule_between_them_each_head_their_own_date():
    # the rule between two boxed headings set close together is read as '[' or '=|'
    words = (cells(60, (60, "Invoice No. INV/04454"))
             + cells(100, (60, "Date of issue [ Payment due"))
             + cells(120, (60, "09/10/2026"), (196, "23/11/2026")))
    result = analyse(Document("scan.png", [Page(1, 600, 850, words, "ocr")], "image"), templates=[])
    assert result.value("date") == date(2026, 10, 9)
    assert result.value("due_date") == date(2026, 11, 23)


def _receipt(source: str, *rows: str) -> Document:
    """One row a line; words 7 pixels apart, an amount column far right."""
    words = labelled_amounts(rows, left=40, right=400, step=20)
    return Document("till.pdf", [Page(1, 440, 60 + 20 * len(rows) + 40, words, source)], "pdf" if source == "text" else "image")


ROWS = ("Corner Chemist Pte Ltd", "Receipt No: R-55120", "Date: 14/08/2026", "Vitamins  72.50", "Plasters  30.00",
        "TOTAL SGD  112.50", "Cash  200.00", "Change  97.50", "GST Summary", "S @ 9% 94.04  8.46")


def test_a_till_total_printed_in_a_text_layer_that_the_cash_and_change_contradict_is_not_booked():
    # the total line asks 112.50; the cash less the change and the tax summary both say 102.50
    result = analyse(_receipt("text", *ROWS), templates=[])
    assert result.status == "review"
    # the person is shown what the shop asks, and told what the other lines add up to
    assert result.value("amount") == Decimal("112.50")
    assert result.fields["amount"].confidence < 0.6
    assert "102.50" in result.fields["amount"].detail


def test_a_due_date_label_after_a_word_the_scan_doubled_still_asks_for_its_garbled_date():
    result = analyse(_labelled_rows("Invoice No. INV/04454", "Tax Date 09 Oct 2026", "Due Due date 23 Nov OV 2026"),
                     templates=[])
    assert result.status == "review"
    assert any(r.startswith("due_date_unread") for r in result.reasons)


def test_a_first_date_with_no_label_read_beside_a_later_one_is_not_booked_alone():
    # 'Fecha | Vencimiento' read 'Foch ecna | Vencimient encimiento': no label says which date is
    # which; the first was taken as the invoice date and the due date went in empty
    result = analyse(_dates_in_boxes(["Foch", "ecna"], ["Vencimient", "encimiento"], "26-09-2026", "10-10-2026"),
                     templates=[])
    assert result.value("date").isoformat() == "2026-09-26" and result.value("due_date") is None
    assert result.fields["date"].confidence < 0.6 and "2026-10-10" in result.fields["date"].detail
    # an earlier date further down (the order's) cannot be a due date
    earlier = analyse(_dates_in_boxes(["Foch", "ecna"], ["Pedido"], "26-09-2026", "20-09-2026"), templates=[])
    assert earlier.value("date").isoformat() == "2026-09-26" and not earlier.fields["date"].detail


@pytest.mark.parametrize("rows, other", [
    # the real number's label is garbled past reading; the code of the form above it is another number
    (("发票代码 144031900111", "发柰号吗 00482913", "开票日期 2026年10月09日"), "144031900111"),
    (("TAX INVOICE", "E-Way Bill No. 391004567812", "lnv0ice N0. GST/117", "Dated 09-Oct-2026"), "391004567812"),
])
def test_a_number_printed_beside_the_invoice_number_under_another_name_is_never_taken_for_it(rows, other):
    result = analyse(_labelled_rows(*rows), templates=[])
    assert result.value("invoice_number") != other


def test_a_due_date_under_its_heading_behind_a_rule_the_scan_read_as_letters_is_not_booked_away():
    # the table's rule under 'Data de emissão | Data de vencimento | …' read 'ES ee SS TE': the
    # due date a line further down went unread, and the invoice was booked without it
    words = (cells(60, (60, "Fatura N.º FT 2026A/4458"))
             + cells(120, (60, "Data de emissão"), (260, "Data de vencimento"), (480, "Contribuinte"), (640, "Requisição"))
             + cells(140, (60, "ES"), (120, "ee"), (260, "SS"), (330, "TE"), (480, "OC"), (640, "RAS"))
             + cells(160, (60, "2026-11-18"), (260, "2026-12-02"), (480, "544673781"), (640, "REQ 320")))
    result = analyse(Document("scan.png", [Page(1, 800, 850, words, "ocr")], "image"), templates=[])
    assert result.value("due_date") in (None, date(2026, 12, 2))
    if result.value("due_date") is None:
        assert any(r.startswith("due_date_unread") and "2026-12-02" in r for r in result.reasons), result.reasons


def _till_number(tmp_path, printed: str, blur: float):
    """A till's invoice number in a monospaced font whose zeros carry a dot, scanned at 150 dpi
    (a little blurred), as the first read found it."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    from tests.vision.corpus import _DEJAVU
    from vision import read_document
    from vision.fields import Field

    image = Image.new("L", (1240, 400), 255)
    ImageDraw.Draw(image).text((75, 75), f"Inv No: {printed}", font=ImageFont.truetype(_DEJAVU + "SansMono.ttf", 25),
                               fill=0)
    path = tmp_path / "till.png"
    image.filter(ImageFilter.GaussianBlur(blur)).save(path, dpi=(150, 150))
    doc = read_document(path, thorough=False, keep_images=True)
    (word,) = [w for w in doc.pages[0].words if w.text.startswith("26")]
    return doc, word, lambda value: Field(value, 0.9, "layout", 1, word.text, box=(word.x0, word.y0, word.x1, word.y1))


@needs_tesseract
@pytest.mark.parametrize("blur", [1.0, 1.2])
def test_a_tills_dotted_zero_that_only_black_on_white_reading_takes_for_a_six_does_not_stop_its_number(tmp_path,
                                                                                                       blur):
    # thresholded, the dot in the zero of '26-04560' fills it: '26-64560'. Read in grey it is a
    # zero at every size, and before, every such till invoice went to a person
    from vision.reread import confirm_scanned

    doc, _, read_as = _till_number(tmp_path, "26-04560", blur)
    check = confirm_scanned(doc, {"invoice_number": read_as("26-04560")})
    assert check["ok"], check
    # a six the first read took for a zero is still doubted
    doc, _, read_as = _till_number(tmp_path, "26-64560", blur)
    assert not confirm_scanned(doc, {"invoice_number": read_as("26-04560")})["ok"]


@pytest.mark.parametrize("rows, misread", [
    # the scan read the due date's 8 as a 0: 22 days after the invoice date, the page says 30
    (("Tax Date 18 Sep 2026", "Terms: strictly 30 days. Due date 10 Oct 2026"), True),
    (("Tax Date 18 Sep 2026", "Terms: strictly 30 days. Due date 18 Oct 2026"), False),
    # the invoice date's 4 read as a 9: the due date kept the terms, the date read did not
    (("Invoice date 19/07/2026", "Payable within 14 days", "Due 28/07/2026"), True),
    (("Invoice date 14/07/2026", "Payable within 14 days", "Due 28/07/2026"), False),
    (("Rechnungsdatum 02.11.2026", "Zahlbar innerhalb 14 Tagen", "Fälligkeitsdatum 18.11.2026"), True),
    (("Rechnungsdatum 02.11.2026", "Zahlbar innerhalb 14 Tagen", "Fälligkeitsdatum 16.11.2026"), False),
    # the vendor's own due date a week after the invoice, whatever its terms print: not a misread
    (("Tax Date 30 Nov 2026", "Terms: strictly 30 days. Due date 07 Dec 2026"), False),
    # terms that run from the month's end fix no number of days after the invoice date
    (("Tax Date 20 Sep 2026", "Terms: 30 days end of month", "Due date 30 Oct 2026"), False),
])
def test_a_due_date_a_digit_away_from_the_printed_terms_is_checked_by_a_person(rows, misread):
    result = analyse(_labelled_rows("Invoice No. INV/04454", *rows), templates=[])
    assert result.value("due_date") is not None
    flagged = any(r.startswith("due_keeps_terms") for r in result.reasons)
    assert flagged == misread, result.reasons
