"""Layouts that real invoices use and the generated corpus did not: a total in a filled dark bar,
a row of column headings over right-aligned amounts, a miniature sample bill on an explainer
page, a scan that reads a label's l as I, a logo read as its first word and some noise.

Each test builds its own document (Words, a text-layer PDF, or a rendered page); the real
samples that showed these layouts are checked at the end, skipped when absent."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.vision.conftest import INVOICE_SAMPLES, needs_tesseract, render_pdf
from tests.vision.corpus import LATIN_BOLD, LATIN_FONT
from tests.vision.test_issuer_and_currency import _pdf
from vision import CheckPolicy, analyse, read_document, read_invoice
from vision.document import Document, Page, Word

TODAY = date.today()
OLD_DATES_OK = CheckPolicy(max_age_days=100_000)


def _page(rows: list[list[tuple[str, float]]], number: int = 1, conf: float = 1.0, source: str = "text",
          size: float = 10.0, top: float = 40.0) -> Page:
    """A page of words: each row a list of (text, x); words 6 units wide a character."""
    words = []
    for n, row in enumerate(rows):
        y = top + n * 2.2 * size
        for text, x in row:
            words.append(Word(text, x, y, x + 0.6 * size * len(text), y + size, conf, number))
    return Page(number, 600, 850, words, source)


def _words(text: str, x: float) -> list[tuple[str, float]]:
    out = []
    for token in text.split(" "):
        out.append((token, x))
        x += 6 * (len(token) + 1)
    return out


def test_total_under_the_last_of_a_row_of_headings_comes_from_its_own_column():
    # a fare summary: every amount right-aligned in its cell, so "0.00" of the column before
    # stands nearer under the short "Total" heading than the total itself
    day = (TODAY - timedelta(days=3)).isoformat()
    page = _page([
        _words("Skyways Air Ltd", 40),
        _words("Invoice No: 48213", 380),
        _words(f"Invoice date: {day}", 380),
        [("Fare", 40), ("Fuel", 130), ("Tax", 210)] + _words("Other taxes", 300) + [("Total", 440)],
        _words("USD 477.06", 50) + _words("USD 45.87", 130) + _words("USD 47.07", 215) + _words("USD 0.00", 374)
        + _words("USD 620.00", 480),
    ])
    result = analyse(Document("fare.pdf", [page], "pdf"), templates=[])
    assert result.value("amount") == Decimal("620.00")


def test_a_sample_bill_in_fine_print_on_a_later_page_does_not_give_the_total(tmp_path):
    day = (TODAY - timedelta(days=4)).strftime("%d/%m/%Y")
    first = [("Rivage Telecom", 50, 40, 16), ("Invoice No: 7781204", 330, 90, 9), (f"Invoice date: {day}", 330, 104, 9),
             ("Your services", 50, 300, 10), ("10.83", 400, 300, 10), ("12.99", 480, 300, 10),
             ("Total", 50, 330, 10), ("12.99 EUR", 470, 330, 10)]
    path = _pdf(tmp_path / "bill.pdf", first)
    # page 2: "understanding your bill", with a miniature of an example bill whose label is stronger
    explainer = _pdf(tmp_path / "explainer.pdf", [("Understanding your bill", 50, 40, 14),
                                                   ("Example", 60, 100, 4), ("Amount due", 60, 110, 4),
                                                   ("155.65 EUR", 160, 110, 4),
                                                   ("Each heading of your bill is explained below.", 50, 200, 10),
                                                   ("Your services, your options and your calls.", 50, 220, 10)])
    doc = read_document(path)
    second = read_document(explainer).pages[0]
    second.number = 2
    second.words = [Word(w.text, w.x0, w.y0, w.x1, w.y1, w.conf, 2) for w in second.words]
    result = analyse(Document(str(path), doc.pages + [second], "pdf"), templates=[])
    assert result.value("amount") == Decimal("12.99")


def test_a_scanned_label_whose_l_reads_as_capital_i_is_still_found():
    day = (TODAY - timedelta(days=6)).strftime("%d/%m/%Y")
    page = _page([
        _words("Maison Verte SARL", 40),
        [("N° de facture", 40), (": FA-20931", 200)],
        [("Date de facture", 40), (f": {day}", 200)],
        [("Montant", 40), ("12,00 €", 420)],
        [("Montant de Ia facture", 40), ("148,20 €", 420)],
    ], conf=0.93, source="ocr")
    result = analyse(Document("scan.png", [page], "image"), templates=[])
    assert result.value("amount") == Decimal("148.20")


def test_a_logo_read_as_its_first_word_and_noise_is_named_as_the_text_spells_the_domain():
    day = (TODAY - timedelta(days=2)).strftime("%d/%m/%Y")
    page = _page([
        [("brightwave", 40), ("Wy", 150)],
        [("Facture N°", 330), (": 55120", 420)],
        [("Date de facture", 330), (f": {day}", 420)],
        _words("Vos services Brightwave Energie", 40),
        [("Total TTC", 40), ("48,00 €", 420)],
        _words("Espace client sur www.brightwaveenergie.fr", 40),
    ], conf=0.9, source="ocr")
    result = analyse(Document("scan.png", [page], "image"), templates=[])
    assert result.value("issuer") == "Brightwave Energie"


def _band_scan(path):
    """A 300-dpi page whose total stands in white letters on a dark grey bar."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(image)
    font, bold = ImageFont.truetype(LATIN_FONT, 42), ImageFont.truetype(LATIN_BOLD, 46)
    day = (TODAY - timedelta(days=5)).strftime("%d/%m/%Y")
    for y, text in [(200, "Harbour Supplies Ltd"), (260, "12 Dock Road, Leith"), (500, "Invoice No: HS-40711"),
                    (570, f"Invoice date: {day}"), (900, "Description"), (980, "Rope, 40 m"), (1060, "Fenders")]:
        draw.text((200, y), text, fill=0, font=font)
    for y, text in [(900, "Amount"), (980, "310.00"), (1060, "120.00")]:
        draw.text((1900, y), text, fill=0, font=font)
    draw.rectangle((180, 1200, 2300, 1300), fill=90)
    draw.text((220, 1225), "TOTAL DUE", fill=255, font=bold)
    draw.text((1850, 1225), "430.00 EUR", fill=255, font=bold)
    image.save(path, dpi=(300, 300))
    return path


@needs_tesseract
@pytest.mark.ocr
def test_a_total_printed_light_on_a_dark_bar_is_read_from_a_scan(tmp_path):
    result = read_invoice(_band_scan(tmp_path / "band.png"), templates=[])
    assert result.value("amount") == Decimal("430.00")
    assert any("dark band" in note for page in result.pages for note in page["notes"])


# ---------------------------------------------------------------------------- the real samples


def _sample(relative: str):
    pdf = INVOICE_SAMPLES / relative
    if not pdf.exists():
        pytest.skip(f"real sample {relative} not found under {INVOICE_SAMPLES} (a clone outside the workplace)")
    return pdf


def test_fare_summary_total_in_the_last_column_of_a_real_itinerary_invoice():
    pdf = _sample("ofdrw-cn/xbrl-001.pdf")
    result = analyse(read_document(pdf), templates=[], policy=OLD_DATES_OK)
    assert result.value("amount") == Decimal("620.00")


@needs_tesseract
@pytest.mark.ocr
def test_real_phone_bill_scan_takes_its_total_from_page_one_not_the_explainer(tmp_path):
    pdf = _sample("oca-edi/bouygues_telecom-test.pdf")
    result = read_invoice(render_pdf(pdf, tmp_path / "bill.tif"), templates=[], policy=OLD_DATES_OK)
    assert result.value("amount") == Decimal("12.99")
    assert result.fields["amount"].page == 1


@pytest.mark.parametrize("labels, total", [
    (("Factuurnr.", "Factuurdatum", "Subtotaal", "BTW-bedrag", "Te voldoen"), "1.452,00"),
    (("N° de facture", "Date de facture", "Total HT", "TVA", "Montant dû"), "1 452,00"),
    (("Invoice no.", "Issue date", "Net total", "VAT", "Amount to pay"), "1,452.00"),
])
def test_totals_labelled_as_small_firms_label_them_in_dutch_french_and_english(tmp_path, labels, total):
    number, dated, net, tax, due = labels
    day = (TODAY - timedelta(days=8)).strftime("%d-%m-%Y")
    net_text, tax_text = ("1200.00", "252.00") if total.startswith("1,") else ("1200,00", "252,00")
    runs = [("Studio Noord", 50, 40, 16), (f"{number} 2024-0117", 330, 90, 9), (f"{dated} {day}", 330, 104, 9),
            ("Webdesign", 50, 300, 10), (net_text, 470, 300, 10),
            (net, 330, 340, 10), (net_text, 470, 340, 10), (tax, 330, 354, 10), (tax_text, 470, 354, 10),
            (due, 330, 368, 10), (f"EUR {total}", 450, 368, 10)]
    result = analyse(read_document(_pdf(tmp_path / "small.pdf", runs)), templates=[])
    assert result.value("invoice_number") == "2024-0117"
    assert result.value("amount") == Decimal("1452.00")
    assert result.value("date") == TODAY - timedelta(days=8)


# ---------------------------------------------------------------------------- small firms' invoices
# How small French, Dutch and English firms lay out an invoice that our samples do not show: the
# legal identity only in the footer (SIRET, KvK), the number on the line under its label, the
# totals in a box at the bottom right, a due date beside the invoice date.

def _issued(days: int) -> tuple[date, str]:
    day = TODAY - timedelta(days=days)
    return day, day.strftime("%d/%m/%Y")


def test_french_artisan_invoice_with_its_company_only_in_the_footer(tmp_path):
    day, printed = _issued(12)
    due = (day + timedelta(days=30)).strftime("%d/%m/%Y")
    runs = [("FACTURE", 50, 50, 18),
            ("N° de la facture :", 330, 60, 9), ("2024-0381", 450, 60, 9),
            ("Date de la facture :", 330, 74, 9), (printed, 450, 74, 9),
            ("Date d'échéance :", 330, 88, 9), (due, 450, 88, 9),
            ("Facturé à :", 330, 130, 9), ("Boulangerie Martin", 330, 144, 9), ("12 rue des Lilas", 330, 158, 9),
            ("69003 Lyon", 330, 172, 9),
            ("Désignation", 50, 260, 9), ("Montant HT", 470, 260, 9),
            ("Remplacement du chauffe-eau", 50, 280, 9), ("850,00", 480, 280, 9),
            ("Déplacement", 50, 294, 9), ("45,00", 485, 294, 9),
            ("Total HT", 380, 360, 9), ("895,00 €", 470, 360, 9),
            ("TVA 10 %", 380, 374, 9), ("89,50 €", 475, 374, 9),
            ("Total TTC", 380, 388, 9), ("984,50 €", 470, 388, 9),
            ("Net à payer", 380, 410, 10), ("984,50 €", 470, 410, 10),
            ("Plomberie Lefèvre SARL au capital de 8 000 € - SIRET 512 345 678 00021 - "
             "TVA intracommunautaire FR 45 512345678", 50, 790, 7),
            ("3 impasse du Moulin, 69100 Villeurbanne - contact@plomberie-lefevre.fr", 50, 800, 7)]
    result = analyse(read_document(_pdf(tmp_path / "artisan.pdf", runs)), templates=[])
    assert result.value("invoice_number") == "2024-0381"
    assert result.value("date") == day
    assert result.value("due_date") == day + timedelta(days=30)
    assert result.value("amount") == Decimal("984.50")
    assert result.value("currency") == "EUR"
    assert "Plomberie Lef" in result.value("issuer")
    assert "Boulangerie" not in result.value("issuer")
    assert result.status == "ready", result.reasons


def test_dutch_invoice_with_its_chamber_of_commerce_footer_and_a_due_date(tmp_path):
    day, printed = _issued(6)
    due = (day + timedelta(days=14)).strftime("%d-%m-%Y")
    runs = [("Factuur", 50, 50, 18),
            ("Aan:", 50, 110, 9), ("Bakkerij De Vries", 50, 124, 9), ("Dorpsstraat 8", 50, 138, 9),
            ("1234 AB Utrecht", 50, 152, 9),
            ("Factuurnummer", 330, 110, 9), ("F24-0097", 450, 110, 9),
            ("Factuurdatum", 330, 124, 9), (printed.replace("/", "-"), 450, 124, 9),
            ("Vervaldatum", 330, 138, 9), (due, 450, 138, 9),
            ("Omschrijving", 50, 240, 9), ("Bedrag", 480, 240, 9),
            ("Onderhoud website, mei", 50, 260, 9), ("640,00", 480, 260, 9),
            ("Totaal excl. BTW", 360, 320, 9), ("€ 640,00", 470, 320, 9),
            ("BTW 21%", 360, 334, 9), ("€ 134,40", 470, 334, 9),
            ("Totaal incl. BTW", 360, 348, 9), ("€ 774,40", 470, 348, 9),
            ("Webbureau Kade B.V. | KvK 81234567 | BTW NL862345678B01 | IBAN NL91 ABNA 0417 1643 00",
             50, 800, 7)]
    result = analyse(read_document(_pdf(tmp_path / "nl.pdf", runs)), templates=[])
    assert result.value("invoice_number") == "F24-0097"
    assert result.value("date") == day
    assert result.value("due_date") == day + timedelta(days=14)
    assert result.value("amount") == Decimal("774.40")
    assert result.value("amount_untaxed") == Decimal("640.00")
    assert result.value("issuer") == "Webbureau Kade B.V."
    assert result.status == "ready", result.reasons


def test_english_invoice_number_printed_on_the_line_under_its_label_and_totals_boxed_bottom_right(tmp_path):
    day, _ = _issued(3)
    runs = [("Harper & Lowe Ltd", 50, 50, 16), ("14 Mill Lane, Leeds LS1 4AB", 50, 72, 8),
            ("TAX INVOICE", 380, 50, 14),
            ("Invoice No.:", 380, 90, 9), ("HL-77412", 380, 104, 9),
            ("Date:", 380, 124, 9), (day.strftime("%d %B %Y"), 420, 124, 9),
            ("Invoice to:", 50, 130, 9), ("Greenway Foods plc", 50, 144, 9), ("Unit 3, Dock Road", 50, 158, 9),
            ("Description", 50, 240, 9), ("Qty", 330, 240, 9), ("Unit price", 380, 240, 9), ("Amount", 490, 240, 9),
            ("Label printer service", 50, 260, 9), ("2", 335, 260, 9), ("95.00", 390, 260, 9), ("190.00", 490, 260, 9),
            ("Subtotal", 400, 700, 9), ("£190.00", 490, 700, 9),
            ("VAT @ 20%", 400, 714, 9), ("£38.00", 494, 714, 9),
            ("Total", 400, 732, 11), ("£228.00", 486, 732, 11),
            ("Company no. 08123456 - VAT reg no. GB 123 4567 89", 50, 800, 7)]
    result = analyse(read_document(_pdf(tmp_path / "en.pdf", runs)), templates=[])
    assert result.value("invoice_number") == "HL-77412"
    assert result.value("date") == day
    assert result.value("amount") == Decimal("228.00")
    assert result.value("currency") == "GBP"
    assert result.value("issuer") == "Harper & Lowe Ltd"
    assert result.status == "ready"


# ---------------------------------------------------------------------------- a printed rounding line

def _rounded_invoice(tmp_path, rows: list[tuple[str, str]], total: tuple[str, str], currency: str = "INR"):
    day, printed = _issued(4)
    runs = [("Sharma Traders Pvt. Ltd.", 50, 50, 15), ("GSTIN: 27AAPFU0939F1ZV", 50, 70, 8),
            ("TAX INVOICE", 380, 50, 13), ("Invoice No: ST/24-25/0412", 380, 80, 9), (f"Invoice Date: {printed}", 380, 94, 9),
            ("Bill To:", 50, 120, 9), ("Kiran Stores", 50, 134, 9)]
    y = 400
    for label, amount in rows + [total]:
        runs += [(label, 360, y, 9), (amount, 480, y, 9)]
        y += 14
    runs.append((f"Amount in words: {currency}", 50, y + 20, 8))
    return day, analyse(read_document(_pdf(tmp_path / "gst.pdf", runs)), templates=[])


@pytest.mark.parametrize("label, printed, applied", [
    ("Round Off", "-0.40", Decimal("-0.40")),
    ("Round off (-)", "0.40", Decimal("-0.40")),   # printed without its sign: it is taken off
    ("Rounding", "0.35", Decimal("0.35")),
])
def test_a_printed_rounding_line_closes_net_plus_tax_to_the_rounded_total(tmp_path, label, printed, applied):
    net, tax = Decimal("4237.29"), Decimal("762.71") + (Decimal("-0.40") if applied < 0 else Decimal("-0.35"))
    total = net + tax + applied
    day, result = _rounded_invoice(tmp_path, [("Taxable Value", f"{net}"), ("IGST 18%", f"{tax}"), (label, printed)],
                                   ("Grand Total", f"{total}"))
    assert result.value("amount") == total
    assert result.value("amount_untaxed") == net and result.value("vat") == tax
    assert result.value("rounding") == applied
    arithmetic = next(c for c in result.checks if c["name"] == "subtotal_plus_tax")
    assert arithmetic["ok"] is True and "rounding" in arithmetic["detail"]
    assert result.status == "ready", result.reasons


def test_a_gap_no_rounding_line_explains_still_goes_to_a_person(tmp_path):
    # the same 0.40 gap with no printed rounding line: nothing is made up to close it
    _, result = _rounded_invoice(tmp_path, [("Taxable Value", "4237.29"), ("IGST 18%", "762.31")],
                                 ("Grand Total", "5000.00"))
    assert result.value("rounding") is None
    assert result.status == "review"


def test_a_rounding_line_larger_than_one_unit_of_currency_is_not_a_rounding(tmp_path):
    _, result = _rounded_invoice(tmp_path, [("Taxable Value", "4237.29"), ("IGST 18%", "761.21"),
                                            ("Round Off", "1.50")], ("Grand Total", "5000.00"))
    assert result.value("rounding") is None
    assert result.status == "review"


@pytest.mark.parametrize("label", ["Arrondi", "Afronding", "Rundungsdifferenz"])
def test_rounding_lines_of_french_dutch_and_german_invoices(tmp_path, label):
    _, result = _rounded_invoice(tmp_path, [("Total HT", "100,00"), ("TVA 20 %", "19,98"), (label, "0,02")],
                                 ("Total TTC", "120,00 €"), currency="EUR")
    assert result.value("amount") == Decimal("120.00")
    assert result.value("rounding") == Decimal("0.02")
    assert next(c for c in result.checks if c["name"] == "subtotal_plus_tax")["ok"] is True


def test_french_amounts_grouped_with_a_narrow_no_break_space_are_read_whole():
    # what LibreOffice and most French invoicing software put between thousands: U+202F
    page = _page([[("Facture", 40)], _words("N° de facture : F-0042", 330), _words("Total HT", 330) + [("1\u202f029,63", 470)],
                  _words("TVA 20 %", 330) + [("205,93", 470)], _words("Total TTC", 330) + [("1\u202f235,56", 470), ("€", 530)]])
    result = analyse(Document("fr.pdf", [page], "pdf"), templates=[])
    assert result.value("amount") == Decimal("1235.56")
    assert result.value("amount_untaxed") == Decimal("1029.63")


def test_french_totals_abbreviated_with_dots_are_net_tax_and_total(tmp_path):
    # T.T.C., H.T. and T.V.A. as older French software and typists print them
    day, printed = _issued(9)
    runs = [("Menuiserie Garnier", 50, 50, 15), ("FACTURE", 380, 50, 14),
            ("Réf. facture :", 380, 80, 9), ("MG-1187", 460, 80, 9), (f"Le {printed}", 380, 94, 9),
            ("Montant H.T.", 360, 400, 9), ("2 340,00 €", 470, 400, 9),
            ("T.V.A. 20 %", 360, 414, 9), ("468,00 €", 476, 414, 9),
            ("TOTAL T.T.C.", 360, 428, 10), ("2 808,00 €", 468, 428, 10),
            ("Menuiserie Garnier SARL - SIRET 433 219 876 00018 - N° T.V.A. FR 12 433219876", 50, 800, 7)]
    result = analyse(read_document(_pdf(tmp_path / "dots.pdf", runs)), templates=[])
    assert result.value("amount") == Decimal("2808.00")
    assert result.value("amount_untaxed") == Decimal("2340.00")
    assert result.value("vat") == Decimal("468.00")
    assert result.value("invoice_number") == "MG-1187"


def test_uk_invoice_abbreviations_and_a_vat_registration_footer(tmp_path):
    day, _ = _issued(5)
    runs = [("Fenwick Print Ltd", 50, 50, 15), ("INVOICE", 400, 50, 14),
            ("Inv. No.", 400, 80, 9), ("FP/3391", 460, 80, 9), ("Tax point", 400, 94, 9), (day.strftime("%d/%m/%Y"), 460, 94, 9),
            ("Description", 50, 240, 9), ("Amount", 490, 240, 9), ("Leaflets A5 x 5000", 50, 260, 9), ("410.00", 490, 260, 9),
            ("Total exc. VAT", 380, 400, 9), ("410.00", 490, 400, 9), ("VAT @ 20%", 380, 414, 9), ("82.00", 494, 414, 9),
            ("Total inc. VAT", 380, 428, 10), ("£492.00", 484, 428, 10),
            ("Registered in England No. 04123456. VAT Reg. No. GB 221 4433 90", 50, 800, 7)]
    result = analyse(read_document(_pdf(tmp_path / "uk.pdf", runs)), templates=[])
    assert result.value("invoice_number") == "FP/3391"
    assert result.value("date") == day
    assert result.value("amount") == Decimal("492.00")
    assert result.value("vat") == Decimal("82.00")


def test_dutch_vat_identification_number_is_not_read_as_a_vat_amount(tmp_path):
    day, printed = _issued(7)
    runs = [("Installatiebedrijf Bos", 50, 50, 15), ("Factuur", 400, 50, 14),
            ("Factuurnummer", 380, 80, 9), ("2024-311", 470, 80, 9), ("Factuurdatum", 380, 94, 9),
            (printed.replace("/", "-"), 470, 94, 9),
            ("Subtotaal", 380, 400, 9), ("€ 980,00", 470, 400, 9), ("Totaal", 380, 428, 10), ("€ 980,00", 470, 428, 10),
            ("Btw verlegd", 50, 700, 8),
            ("Btw-identificatienummer", 50, 790, 7), ("NL004512367B01", 150, 790, 7), ("KvK 60123456", 300, 790, 7)]
    result = analyse(read_document(_pdf(tmp_path / "nl.pdf", runs)), templates=[])
    assert result.value("amount") == Decimal("980.00")
    assert result.value("vat") in (None, Decimal("0"))


def test_a_number_headed_only_numero_under_the_invoice_title_is_the_invoice_number(tmp_path):
    day, printed = _issued(10)
    runs = [("Atelier Roux SARL", 50, 50, 14), ("FACTURE", 330, 60, 14),
            ("Numéro", 330, 84, 9), ("Date", 430, 84, 9), ("F-0042", 330, 98, 9), (printed, 430, 98, 9),
            ("Numéro de commande :", 50, 160, 9), ("CMD-88812", 160, 160, 9),
            ("Total HT", 360, 400, 9), ("100,00 €", 470, 400, 9), ("TVA 20 %", 360, 414, 9), ("20,00 €", 475, 414, 9),
            ("Net à payer", 360, 428, 9), ("120,00 €", 470, 428, 9)]
    result = analyse(read_document(_pdf(tmp_path / "numero.pdf", runs)), templates=[])
    assert result.value("invoice_number") == "F-0042"
    assert result.value("date") == day


def test_an_order_number_is_not_taken_for_the_invoice_number(tmp_path):
    day, printed = _issued(10)
    runs = [("Atelier Roux SARL", 50, 50, 14), ("FACTURE", 330, 60, 14), ("Date :", 330, 84, 9), (printed, 380, 84, 9),
            ("Numéro de commande :", 50, 160, 9), ("CMD-88812", 160, 160, 9),
            ("Total TTC", 360, 428, 9), ("120,00 €", 470, 428, 9)]
    result = analyse(read_document(_pdf(tmp_path / "order.pdf", runs)), templates=[])
    assert result.value("invoice_number") != "CMD-88812"
    assert result.status == "review"


def test_line_amounts_with_their_tax_and_a_printed_round_off_make_the_total(tmp_path):
    # a GST bill whose lines print their amount with tax; the grand total is rounded to the rupee
    day, printed = _issued(4)
    runs = [("Sharma Traders Pvt. Ltd.", 50, 50, 15), ("TAX INVOICE", 380, 50, 13),
            ("Invoice No: ST/24-25/0413", 380, 80, 9), (f"Invoice Date: {printed}", 380, 94, 9),
            ("Description", 50, 240, 9), ("Amount", 490, 240, 9),
            ("Steel brackets", 50, 260, 9), ("1,180.25", 490, 260, 9), ("Fasteners", 50, 274, 9), ("354.37", 496, 274, 9),
            ("Round Off", 380, 400, 9), ("0.38", 500, 400, 9), ("Grand Total", 380, 414, 10), ("Rs. 1,535.00", 470, 414, 10)]
    result = analyse(read_document(_pdf(tmp_path / "lines.pdf", runs)), templates=[])
    assert result.value("amount") == Decimal("1535.00")
    assert result.value("rounding") == Decimal("0.38")
    assert next(c for c in result.checks if c["name"] == "lines_sum")["ok"] is True


# ---------------------------------------------------------------------------- page-text rules from the e-invoice pages


def test_a_company_line_with_its_vat_id_and_share_capital_gives_no_tax_amount():
    # a letterhead's legal line: the tax label names the company's VAT id; the share capital
    # printed further along the same run is no tax
    day = (TODAY - timedelta(days=3)).strftime("%d/%m/%Y")
    page = _page([
        _words("Atelier Brunel SAS", 40),
        _words("VAT: FR40303265045 - SIRET: 30326504500021 - SAS with a capital of 75 000,00 €", 40),
        [("Invoice No:", 330), ("AB-5521", 420)],
        [("Invoice date:", 330), (day, 420)],
        [("Total", 40), ("318,00 €", 420)],
    ])
    result = analyse(Document("legal-line.pdf", [page], "pdf"), templates=[])
    assert result.value("vat") is None
    assert result.value("amount") == Decimal("318.00")


@pytest.mark.parametrize("line", ["N° TVA intracom : FR 40 303 265 045", "TVA: FR4 0303265045 - SIRET : 30326504500021"])
def test_a_spaced_vat_id_after_its_own_label_is_not_a_tax_amount(line):
    # printed in groups, or split by a scan after its first digit
    day = (TODAY - timedelta(days=3)).strftime("%d/%m/%Y")
    page = _page([
        _words("Atelier Brunel SAS", 40),
        _words(line, 40),
        [("Facture N°", 330), ("AB-5522", 420)],
        [("Date", 330), (day, 420)],
        [("Total TTC", 40), ("96,00 €", 420)],
    ])
    result = analyse(Document("spaced-id.pdf", [page], "pdf"), templates=[])
    assert result.value("vat") is None


@pytest.mark.parametrize("ruled", [False, True])
def test_totals_headed_in_a_row_come_from_the_figures_under_it_past_lines_of_body_text(ruled):
    # "TOTAL HT | TOTAL TVA | TOTAL TTC" at the right, their figures three lines lower: the
    # conditions printed at the left in between are no row of theirs. A VAT breakdown above
    # them starts with one rate's base and tax, which are not the invoice's net and tax.
    # ruled: a scan reads the table's rules as '|' between the headings and as 'rr' or '=a'
    # under them
    day = (TODAY - timedelta(days=5)).strftime("%d/%m/%Y")
    top = _page([
        _words("Papeterie Lemoine SARL", 40),
        [("Facture N° :", 330), ("PL-0412", 450)],
        [("Date :", 330), (day, 450)],
        [("Code", 250), ("Taux", 300)] + _words("Base TVA", 360) + _words("Montant TVA", 460),
        [("S", 250), ("20,00%", 300), ("40,00", 380), ("8,00", 480)],
        [("S", 250), ("10,00%", 300), ("60,00", 380), ("6,00", 480)],
    ])
    # in smaller print, closer together
    rows = [(300, [("TOTAL HT", 380), ("TOTAL TVA", 460), ("TOTAL TTC", 540)]),
            (310, [("Retard : trois fois le taux légal.", 40)]),
            (320, [("Indemnité de recouvrement : 40 €.", 40)]),
            (330, [("Pas d'escompte.", 40), ("100,00", 390), ("14,00", 470), ("114,00", 550)])]
    if ruled:
        rows[0][1].extend([("|", 440), ("|", 520)])
        rows[1][1].append(("=a", 600))
        rows[2][1].extend([("rr", 350), ("|", 440), ("|", 520)])
    words = top.words
    for y, row in rows:
        for phrase, x in row:
            for token in phrase.split(" "):
                words.append(Word(token, x, y, x + 4.8 * len(token), y + 8, 1.0, 1))
                x += 4.8 * (len(token) + 1)
    result = analyse(Document("row-totals.pdf", [Page(1, 600, 850, words, "text")], "pdf"), templates=[])
    assert result.value("amount") == Decimal("114.00")
    assert result.value("amount_untaxed") == Decimal("100.00")
    assert result.value("vat") == Decimal("14.00")


def test_a_credit_note_printing_every_amount_with_its_minus_adds_up():
    day = (TODAY - timedelta(days=5)).strftime("%d/%m/%Y")
    page = _page([
        _words("Moulin Doré SARL", 40),
        _words("Avoir AV-2031", 40),
        [("Date :", 330), (day, 420)],
        _words("TVA 20,0%", 40) + [("-4,10 €", 250)] + _words("Total HT", 330) + [("-218,48 €", 450)],
        _words("TVA 5,5%", 40) + [("-10,89 €", 250)] + _words("Total taxes", 330) + [("-14,99 €", 450)],
        _words("Total TTC", 330) + [("-233,47 €", 450)],
    ])
    result = analyse(Document("avoir.pdf", [page], "pdf"), templates=[])
    assert result.value("amount") == Decimal("-233.47")
    assert result.value("amount_untaxed") == Decimal("-218.48")
    assert result.value("vat") == Decimal("-14.99")
    assert not any(reason.startswith("subtotal_plus_tax") for reason in result.reasons)


@pytest.mark.parametrize("heading", ["Customer care", "Service client"])
def test_the_sellers_customer_service_block_is_not_taken_for_the_buyers(heading):
    # the seller names itself only in its service box; the word for customer in its heading
    # does not make that box the buyer's address
    day = (TODAY - timedelta(days=4)).strftime("%d/%m/%Y")
    page = _page([
        [("INVOICE", 40)],
        _words("Jane Whitaker", 40) + [(heading, 380)],
        _words("4 Elm Street", 40) + _words("Northwind Energy Ltd", 380),
        _words("Leeds LS1 4AB", 40) + _words("0800 123 456", 380),
        _words("help@northwind-energy.co.uk", 380),
        [("Invoice No:", 40), ("NW-88120", 160)],
        [("Invoice date:", 40), (day, 160)],
        [("Total due", 40), ("£64.20", 420)],
    ])
    result = analyse(Document("service.pdf", [page], "pdf"), templates=[])
    assert result.value("issuer") == "Northwind Energy Ltd"


def test_a_seller_name_in_curly_quotes_is_named_without_them():
    day = (TODAY - timedelta(days=4)).strftime("%d/%m/%Y")
    page = _page([
        _words("‘Brasserie du Port SARL’", 40),
        _words("12 quai Est, 29200 Brest", 40),
        [("Facture N°", 330), ("BP-301", 430)],
        [("Date", 330), (day, 430)],
        [("Total TTC", 40), ("42,50 €", 420)],
    ])
    result = analyse(Document("quotes.pdf", [page], "pdf"), templates=[])
    assert result.value("issuer") == "Brasserie du Port SARL"


def test_a_letterhead_captioned_before_the_company_name_backs_that_name_over_a_trade_name():
    # the logo's caption ends with the company's name, which the footer's legal line names too;
    # the address block under it and its e-mail domain print a trade name
    day = (TODAY - timedelta(days=4)).strftime("%d/%m/%Y")
    page = _page([
        _words("LOGO KESTREL PRINT", 40),
        [],
        _words("PRINTWORKS", 40) + [("Invoice No:", 330), ("KP-2207", 430)],
        _words("8 Mill Lane, Bristol BS1 5AA", 40) + [("Invoice date:", 330), (day, 430)],
        _words("hello@printworks.co.uk", 40),
        [],
        [("Total due", 40), ("£310.00", 420)],
        [],
        _words("Kestrel Print · 8 Mill Lane, Bristol · VAT No GB 123 4567 89", 40),
    ])
    result = analyse(Document("caption.pdf", [page], "pdf"), templates=[])
    assert result.value("issuer") == "Kestrel Print"


# ---------------------------------------------------------------------------- totals that say what they count

@pytest.mark.parametrize("seller, rows, total, net, tax, currency", [
    # Australia and New Zealand: the net and the total named by whether they count the GST
    ("Bondi Signage Pty Ltd", [("Total ex GST", "1,200.00"), ("GST", "120.00"), ("Total inc GST", "AUD 1,320.00")],
     "1320.00", "1200.00", "120.00", "AUD"),
    ("Harbour Joinery Ltd", [("Subtotal", "860.00"), ("GST 15%", "129.00"), ("Total (GST inclusive)", "989.00 NZD")],
     "989.00", "860.00", "129.00", "NZD"),
    # the currency printed between the label's words, as ERP reports print it
    ("Northwind Office Supply Ltd", [("Subtotal", "573.00"), ("19% VAT", "108.87"), ("Total € Incl. VAT", "681.87")],
     "681.87", "573.00", "108.87", "EUR"),
    ("Tuinbouw Jansen B.V.", [("Totaal € excl. BTW", "640,00"), ("BTW 21%", "134,40"), ("Totaal € incl. BTW", "774,40")],
     "774.40", "640.00", "134.40", "EUR"),
    ("Schreinerei Huber GmbH", [("Gesamt exkl. MwSt.", "500,00 €"), ("MwSt. 19 %", "95,00 €"),
                                ("Gesamt inkl. MwSt.", "595,00 €")], "595.00", "500.00", "95.00", "EUR"),
])
def test_a_plain_total_label_that_says_whether_it_counts_the_tax_is_the_total_or_the_net(
        tmp_path, seller, rows, total, net, tax, currency):
    day, printed = _issued(7)
    runs = [(seller, 50, 50, 15), ("INVOICE", 400, 50, 14), ("Invoice No: 20417", 380, 80, 9),
            (f"Invoice Date: {printed}", 380, 94, 9), ("Bill To:", 50, 120, 9), ("Coastal Cafe", 50, 134, 9)]
    y = 400
    for label, amount in rows:
        runs += [(label, 330, y, 9), (amount, 480, y, 9)]
        y += 14
    result = analyse(read_document(_pdf(tmp_path / "scoped.pdf", runs)), templates=[])
    assert result.value("amount") == Decimal(total)
    assert result.value("amount_untaxed") == Decimal(net)
    assert result.value("vat") == Decimal(tax)
    assert result.value("currency") == currency
    assert result.status == "ready", result.reasons


def test_an_amount_heading_that_says_it_counts_the_tax_labels_no_tax_amount():
    # a column 'Amount incl. VAT' over each item's gross price, and no VAT line: neither item is
    # the invoice's tax (it was booked as the VAT before)
    page = _page([_words("Kestrel Tools Ltd", 40), _words("Invoice No: KT-5521", 380),
                  _words("Invoice date: 02/11/2026", 380),
                  _words("Description", 40) + _words("Amount incl. VAT", 400),
                  _words("Cordless drill", 40) + [("144.00", 420)],
                  _words("Drill bits", 40) + [("36.00", 420)],
                  _words("Total", 300) + [("GBP", 380), ("180.00", 420)]])
    result = analyse(Document("gross.pdf", [page], "pdf"), templates=[])
    assert result.value("amount") == Decimal("180.00")
    assert result.value("vat") not in (Decimal("144.00"), Decimal("36.00"))


def test_a_credit_note_total_printed_with_its_minus_wins_over_a_tax_figure_the_scan_read_without_one():
    # a scanned 'Avoir': its tax table's 'Montant' column came out without the minus; the total
    # under 'Total TTC' is the note's, as printed, minus and all, for the person who books it
    page = _page([_words("Moulin Dupré SARL", 40), _words("AVOIR N° AV-2026-0042", 40), _words("Date : 02/11/2026", 380),
                  _words("Taxe", 40) + _words("Base", 200) + _words("Montant", 330),
                  _words("TVA 20 %", 40) + _words("-20,50 €", 200) + _words("4,10 €", 330),
                  _words("Total TTC", 300) + _words("-24,60 €", 420)], conf=0.9, source="ocr")
    result = analyse(Document("avoir.png", [page], "image"), templates=[])
    assert result.value("document_type") == "credit_note"
    assert result.value("amount") == Decimal("-24.60")
    assert result.status == "review"


def _garbled_total_label(total: str) -> Document:
    # a scan lost the T of 'Total (EUR)'; the net and the tax above it were read
    page = _page([_words("Gandalf Hosting SAS", 40), _words("Facture n° 2026-00412", 330),
                  _words("Date : 02/11/2026", 330), _words("Produit", 40) + _words("Prix", 420),
                  _words("Renouvellement exemple.fr", 40) + _words("45,82 €", 420),
                  _words("Renouvellement exemple.com", 40) + _words("45,82 €", 420),
                  _words("Sous-total", 300) + _words("91,64 €", 420),
                  _words("TVA 20%", 300) + _words("18,33 €", 420),
                  _words("Carte de crédit", 40) + _words(total, 150) + _words("otal (EUR)", 300) + _words(total, 420)],
                 conf=0.9, source="ocr")
    return Document("gandalf.png", [page], "image")


def test_a_total_whose_label_the_scan_garbled_is_net_plus_tax_printed_under_them_for_a_person_to_confirm():
    result = analyse(_garbled_total_label("109,97 €"), templates=[])
    assert result.value("amount") == Decimal("109.97")
    assert result.fields["amount"].confidence < 0.6  # found by its place, not its label: a person confirms
    assert result.status == "review"


def test_no_total_is_made_up_where_net_plus_tax_is_not_printed():
    result = analyse(_garbled_total_label("110,00 €"), templates=[])
    assert result.value("amount") is None
    assert result.status == "review"



def _garbled_totals_block(total: str) -> Document:
    # a worn scan kept the subtotal's label only: the tax row's label came out as a stray letter,
    # the total's as a bracketed currency, the card payment repeats the total
    page = _page([_words("Brightwater Studio Ltd", 40), _words("Invoice no 7731-B", 330),
                  _words("Date : 14/09/2026", 330), _words("Item", 40) + _words("Amount", 420),
                  _words("Logo design", 40) + _words("180.00", 420),
                  _words("Brand guide", 40) + _words("62.50", 420),
                  _words("Subtotal", 300) + _words("242.50", 420),
                  _words("Vi 15%", 300) + _words("36.38", 420),
                  _words("~ (GBP)", 300) + _words(total, 420),
                  _words("Visa card", 40) + _words(total, 150)],
                 conf=0.9, source="ocr")
    return Document("brightwater.png", [page], "image")


def test_a_totals_block_whose_tax_and_total_labels_were_both_garbled_adds_up_for_a_person_to_confirm():
    result = analyse(_garbled_totals_block("278.88"), templates=[])
    assert result.value("amount") == Decimal("278.88")
    assert result.value("vat") == Decimal("36.38")
    assert result.fields["amount"].confidence < 0.6  # found by its sums, not its label: a person confirms
    assert result.status == "review"


def test_no_total_is_made_up_from_a_totals_block_that_does_not_add_up():
    result = analyse(_garbled_totals_block("280.00"), templates=[])
    assert result.value("amount") is None
    assert result.status == "review"


def test_cash_handed_over_is_not_taken_for_the_total_because_net_plus_change_makes_it():
    day = (TODAY - timedelta(days=2)).strftime("%d/%m/%Y")
    page = _page([_words("Corner Hardware Ltd", 40), _words("Invoice no 55120", 330), _words(f"Date : {day}", 330),
                  _words("Subtotal", 300) + _words("40.00", 420),
                  _words("Change", 300) + _words("10.00", 420),
                  _words("Cash", 300) + _words("50.00", 420)], conf=0.9, source="ocr")
    result = analyse(Document("corner.png", [page], "image"), templates=[])
    assert result.value("amount") != Decimal("50.00")

@pytest.mark.parametrize("exemption, footer", [
    # the mention French micro-entrepreneurs must print, a German small business's, a Dutch one's
    ("TVA non applicable, art. 293 B du CGI", "Atelier Roux EI - SIRET 812 345 678 00015 - 12 rue Haute, 75011 Paris"),
    ("Umsatzsteuer: keine, gemäß § 19 Abs. 1 UStG", "Atelier Roux GmbH - Steuernummer 143/123/45678"),
    ("BTW vrijgesteld op grond van artikel 25 Wet OB", "Atelier Roux B.V. - KvK 81234567"),
])
def test_a_tax_exemption_citing_its_law_gives_no_tax_amount(tmp_path, exemption, footer):
    day, printed = _issued(5)
    runs = [("Atelier Roux", 50, 50, 15), ("Facture / Rechnung / Factuur", 330, 50, 12),
            ("No: AR-2026-031", 330, 80, 9), (f"Date: {printed}", 330, 94, 9),
            ("Reliure de 40 carnets", 50, 300, 9), ("640,00 €", 480, 300, 9),
            ("Total HT", 330, 400, 9), ("640,00 €", 480, 400, 9),
            (exemption, 50, 430, 9),
            ("Net à payer", 330, 460, 10), ("640,00 €", 480, 460, 10),
            (footer, 50, 800, 7)]
    result = analyse(read_document(_pdf(tmp_path / "exempt.pdf", runs)), templates=[])
    assert result.value("amount") == Decimal("640.00")
    assert result.value("vat") in (None, Decimal("0"))


def test_a_column_caption_over_the_sellers_vat_number_is_not_taken_for_the_seller():
    # the totals row's headings stand over the seller's VAT number: 'VAT amount' heads that
    # column, no block of the seller's
    page = _page([_words("Fernleaf Gardens", 40), _words("Invoice No: 4471", 380), _words("Date: 02/11/2026", 380),
                  _words("Hedge trimming", 40) + [("180.00", 480)],
                  _words("Net", 40) + _words("VAT amount", 200) + _words("Total", 420),
                  _words("150.00", 40) + _words("30.00", 200) + _words("£180.00", 420),
                  _words("VAT no. GB 123 4567 89", 200)])
    result = analyse(Document("caption.pdf", [page], "pdf"), templates=[])
    assert result.value("issuer") == "Fernleaf Gardens"
    assert "VAT amount" not in result.fields["issuer"].detail


@pytest.mark.parametrize("platform, sold_by, seller", [
    # a marketplace's invoice for a third-party seller: its name heads the page, the seller is
    # named after one phrase for selling and shipping
    ("Cdiscount", "Vendu et livré par : Luminaires Garnier SARL", "Luminaires Garnier SARL"),
    ("Amazon.de", "Verkauf und Versand durch: Lampenwelt Berger GmbH", "Lampenwelt Berger GmbH"),
    ("OnBuy", "Sold and dispatched by: Brightlight Lamps Ltd", "Brightlight Lamps Ltd"),
    ("bol.com", "Verkocht en verzonden door: Lampenhuis Utrecht B.V.", "Lampenhuis Utrecht B.V."),
])
def test_the_seller_named_as_selling_and_shipping_is_the_issuer_not_the_marketplace(platform, sold_by, seller):
    page = _page([_words(platform, 40) + _words("Invoice", 330),
                  _words(sold_by, 40),
                  _words("Invoice No: FR-2026-4471", 330), _words("VAT: FR 45 512345678", 40) + _words("Date: 02/11/2026", 330),
                  _words("Billing address", 40) + _words("Delivery address", 330), _words("Mrs Dupont", 40),
                  _words("Description", 40) + _words("Amount", 420), _words("Desk lamp", 40) + _words("48.00", 420),
                  _words("Net", 330) + _words("40.00", 420), _words("VAT 20%", 330) + _words("8.00", 420),
                  _words("Total", 330) + _words("EUR 48.00", 400)])
    result = analyse(Document("marketplace.pdf", [page], "pdf"), templates=[])
    assert result.value("issuer") == seller
    assert result.value("amount") == Decimal("48.00")
