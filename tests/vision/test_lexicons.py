"""Reading conventions are data (config/lexicons): labels in many languages, month names, date
orders and decimal marks; the document's language is detected and used; an admin adds a
language or a label without touching code."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from vision import analyse
from vision.checks import CheckPolicy
from vision.document import Document, Page, Word
from vision.errors import VisionError
from vision.issuer import Vendor
from vision.lexicon import DEFAULT_FOLDER, load_lexicons
from vision.parsing import find_amounts, find_dates

ANY_DATE = CheckPolicy(max_age_days=100_000, max_future_days=100_000)


def page_of(rows: list[tuple[float, list[tuple[float, str]]]], height: float = 842, scanned: bool = False) -> Document:
    """A text-layer page from (y, [(x, text), ...]) rows; 10-point text, 6 points per character.
    ``scanned``: the same words as OCR returns them from an image (confidence 0.9)."""
    words = []
    for y, pieces in rows:
        for x, text in pieces:
            pos = x
            for token in text.split(" "):
                if token:
                    words.append(Word(token, pos, y, pos + 6 * len(token), y + 10, 0.9) if scanned
                                 else Word(token, pos, y, pos + 6 * len(token), y + 10))
                pos += 6 * (len(token) + 1)
    if scanned:
        return Document("scan.png", [Page(1, 595, height, words, "ocr")], "image")
    return Document("test.pdf", [Page(1, 595, height, words, "text")], "pdf")


def dutch_invoice() -> Document:
    return page_of([
        (40, [(40, "Bakkerij Van Dijk B.V.")]),
        (54, [(40, "Dorpsstraat 12")]),
        (68, [(40, "1234 AB Utrecht")]),
        (120, [(40, "Factuur")]),
        (140, [(40, "Factuurnummer:"), (200, "F-2024-0117")]),
        (154, [(40, "Factuurdatum:"), (200, "3 maart 2024")]),
        (168, [(40, "Vervaldatum:"), (200, "02-04-2024")]),
        (200, [(300, "Klant:")]),
        (214, [(300, "Groothandel Jansen")]),
        (228, [(300, "Kerkweg 4, 5678 CD Breda")]),
        (300, [(40, "Omschrijving"), (300, "Aantal"), (380, "Prijs"), (480, "Bedrag")]),
        (316, [(40, "Broodjes assorti"), (300, "120"), (380, "1,25"), (480, "150,00")]),
        (332, [(40, "Taarten"), (300, "4"), (380, "23,50"), (480, "94,00")]),
        (380, [(330, "Subtotaal"), (480, "244,00")]),
        (394, [(330, "Btw 9%"), (480, "21,96")]),
        (408, [(330, "Totaal te betalen"), (480, "€ 265,96")]),
        (760, [(40, "KvK 12345678 · Btw-nummer NL001234567B01 · IBAN NL91 ABNA 0417 1643 00")]),
        (774, [(40, "Wij verzoeken u het bedrag binnen 30 dagen over te maken.")]),
    ])


def test_dutch_invoice_read_by_dutch_labels_months_and_decimal_commas():
    result = analyse(dutch_invoice(), policy=ANY_DATE)
    got = result.plain_fields()
    assert result.conventions["language"] == "nl" and result.conventions["decimal"] == ","
    assert got["invoice_number"] == "F-2024-0117"
    assert got["date"] == "2024-03-03" and got["due_date"] == "2024-04-02"
    assert (got["amount"], got["amount_untaxed"], got["vat"]) == (265.96, 244.0, 21.96)
    assert got["currency"] == "EUR"
    assert got["issuer"] == "Bakkerij Van Dijk B.V."
    assert result.status == "ready", result.reasons


@pytest.mark.parametrize("text, want", [
    ("Fecha de emisión: 15 de marzo de 2018", date(2018, 3, 15)),
    ("Data wystawienia: 15 marca 2018", date(2018, 3, 15)),
    ("Data fattura: 1 ottobre 2019", date(2019, 10, 1)),
    ("Date d'émission : 1er février 2020", date(2020, 2, 1)),
    ("DATE 15 MAR 18", date(2018, 3, 15)),
    ("Rechnungsdatum 7. Mai 2014", date(2014, 5, 7)),
    ("Invoice date March 15, 2018", date(2018, 3, 15)),
    ("Data da fatura: 5 de dezembro de 2021", date(2021, 12, 5)),
])
def test_month_names_in_every_language(text, want):
    assert find_dates(text)[0][0] == want


def test_numeric_date_order_from_the_document_then_its_language_then_its_currency():
    lex = load_lexicons()
    us = "Invoice date 03/04/2024 Total $12.00 thank you for your order"
    assert lex.conventions(us, currency="USD").day_first is False
    shown = "Invoice date 03/04/2024 Due 28/04/2024 Total $12.00"  # 28/04 can only be day first
    conv = lex.conventions(shown, currency="USD")
    assert conv.day_first is True and conv.date_certainty == 1.0
    german = "Rechnungsdatum 03.04.2024 Gesamtbetrag 12,00 EUR vielen Dank für Ihre Bestellung"
    assert lex.conventions(german).day_first is True
    # an English document with nothing to go by reads day first, but not sure enough to book
    assert lex.conventions("Invoice date 03/04/2024 please pay the amount").date_certainty < 0.8


def test_one_date_against_its_languages_only_order_does_not_turn_the_document_month_first():
    lex = load_lexicons()
    # a German till stamp whose worn 1 OCR read as 2: '21' can be no month, but a German
    # receipt writes day first; the stamp is the odd one, not the whole receipt
    worn = "Summe EUR 147,42 Geg. Bar EUR 150,00 Rückgeld EUR 2,58 04.21.2026 12:13 Bon 4128 vielen Dank"
    conv = lex.conventions(worn)
    assert conv.day_first is True and conv.date_certainty < 1.0
    # two dates that only read month first are the document's own habit, whatever its language
    twice = "Rechnungsdatum 04.21.2026 Fällig 05.21.2026 Gesamtbetrag 12,00 EUR vielen Dank für Ihre Bestellung"
    assert lex.conventions(twice).day_first is False
    # English is written both ways: one date settles it, as before
    assert lex.conventions("Invoice date 04/21/2024 Total 12.00 thank you for your order").day_first is False


@pytest.mark.parametrize("text, decimal, want", [
    ("Total 1.234,56", ",", Decimal("1234.56")),
    ("Total 1 234,56", ",", Decimal("1234.56")),
    ("Total 1'234.56", ".", Decimal("1234.56")),
    ("Total 1,234.56", ".", Decimal("1234.56")),
    ("Totaal 1.234", ",", Decimal("1234")),
])
def test_decimal_marks(text, decimal, want):
    assert find_amounts(text, decimal)[-1][0] == want


def test_decimal_mark_of_the_document_decides_a_number_that_could_go_either_way():
    lex = load_lexicons()
    assert lex.conventions("Summe 1.250 Netto 1.050,42 MwSt 199,58").decimal == ","
    assert lex.conventions("Total 1,250 Net 1,050.42 Tax 199.58").decimal == "."


def test_admin_adds_a_language_as_a_file(tmp_path):
    folder = tmp_path / "lexicons"
    shutil.copytree(DEFAULT_FOLDER, folder)
    (folder / "fi.yaml").write_text("""
code: fi
name: Suomi
detect: [ja, lasku, laskun, päivämäärä, maksettava, yhteensä, kiitos, alv, eräpäivä]
date_order: dmy
decimal: ","
months: {1: [tammikuu], 3: [maaliskuu], 10: [lokakuu]}
labels:
  invoice_number: {10: [laskun numero, laskunumero]}
  date: {10: [laskun päivämäärä, päiväys]}
  amount: {10: [maksettava yhteensä, yhteensä]}
  amount_untaxed: {10: [veroton]}
  vat: {10: [alv]}
  issuer: {10: [toimittaja]}
""", encoding="utf-8")
    doc = page_of([
        (40, [(40, "Toimittaja:"), (150, "Pohjolan Toimistotarvike Oy")]),
        (70, [(40, "Laskun numero"), (150, "FI-88812")]),
        (84, [(40, "Laskun päivämäärä"), (150, "12.10.2023")]),
        (200, [(300, "Veroton"), (450, "1 000,00")]),
        (214, [(300, "ALV"), (450, "240,00")]),
        (228, [(300, "Maksettava yhteensä"), (450, "1 240,00 EUR")]),
        (300, [(40, "Kiitos ja maksathan laskun ajallaan eräpäivä huomioiden")]),
    ])
    result = analyse(doc, policy=ANY_DATE, lexicons=load_lexicons(folder))
    got = result.plain_fields()
    assert result.conventions["language"] == "fi"
    assert (got["invoice_number"], got["date"], got["amount"]) == ("FI-88812", "2023-10-12", 1240.0)
    assert got["issuer"] == "Pohjolan Toimistotarvike Oy"
    # without the new file the same words mean nothing
    assert "invoice_number" not in analyse(doc, policy=ANY_DATE).plain_fields()


def test_a_mistake_in_a_lexicon_names_the_file_and_the_key(tmp_path):
    (tmp_path / "xx.yaml").write_text("code: xx\nlables:\n  amount: {10: [total]}\n", encoding="utf-8")
    with pytest.raises(VisionError, match=r"xx.yaml: unknown keys 'lables' \(did you mean 'labels'\?\)"):
        load_lexicons(tmp_path)
    (tmp_path / "xx.yaml").write_text("code: xx\nlabels:\n  totl: {10: [total]}\n", encoding="utf-8")
    with pytest.raises(VisionError, match=r"xx.yaml: labels.totl: unknown field"):
        load_lexicons(tmp_path)
    (tmp_path / "xx.yaml").write_text("code: xx\nlabels:\n  amount: {12: [total]}\n", encoding="utf-8")
    with pytest.raises(VisionError, match=r"weight 12 must be a whole number 1-10"):
        load_lexicons(tmp_path)


def test_a_label_field_written_twice_is_refused_naming_both_lines_not_silently_replaced(tmp_path):
    # an admin adding one more total label under a second `amount:` would otherwise drop the first list
    (tmp_path / "xx.yaml").write_text("code: xx\nlabels:\n  amount: {10: [total, grand total]}\n"
                                      "  vat: {10: [tax]}\n  amount: {10: [to pay]}\n", encoding="utf-8")
    with pytest.raises(VisionError, match=r"xx.yaml:5: lexicon: the key 'amount' is given twice \(first on line 3\)"):
        load_lexicons(tmp_path)


def test_norwegian_code_no_stays_the_text_no(tmp_path):
    # YAML 1.1 would read `no` (and a detect word `on`) as a boolean
    (tmp_path / "nb.yaml").write_text("code: no\nname: Norsk\ndetect: [og, på, til, on, faktura]\n"
                                      "labels:\n  amount: {10: [å betale]}\n", encoding="utf-8")
    norwegian = load_lexicons(tmp_path).by_code["no"]
    assert "on" in norwegian.detect


def buyer_first_invoice() -> Document:
    """The buyer's block comes first and carries a legal form; the seller signs at the bottom."""
    return page_of([
        (40, [(40, "INVOICE")]),
        (70, [(40, "Bill to:")]),
        (84, [(40, "Megacorp Holdings Ltd")]),
        (98, [(40, "1 Canary Wharf, London E14 5AB")]),
        (70, [(350, "Invoice no:"), (450, "7781")]),
        (84, [(350, "Date:"), (450, "2024-05-02")]),
        (200, [(40, "Description"), (480, "Amount")]),
        (216, [(40, "Window cleaning, May"), (480, "400.00")]),
        (260, [(330, "Subtotal"), (480, "400.00")]),
        (274, [(330, "VAT 20%"), (480, "80.00")]),
        (288, [(330, "Total"), (480, "£480.00")]),
        (300, [(330, "Amount paid"), (480, "£100.00")]),
        (760, [(40, "Crystal Clear Windows Ltd · 22 Mill Lane, Leeds LS1 4AB · VAT Reg No GB 123 4567 89")]),
        (774, [(40, "Questions? accounts@crystalclearwindows.co.uk")]),
    ])


def test_issuer_is_the_seller_never_the_buyers_block():
    result = analyse(buyer_first_invoice(), policy=ANY_DATE)
    assert result.value("issuer") == "Crystal Clear Windows Ltd"
    assert "Megacorp" not in result.fields["issuer"].detail
    assert result.value("amount") == Decimal("480.00")


def test_vendor_master_names_the_vendor_by_tax_id_and_says_so():
    vendors = [Vendor("Megacorp Holdings Ltd", tax_id="GB999999999"),
               Vendor("CRYSTAL CLEAR WINDOWS LIMITED", tax_id="GB123456789", code="V-0042")]
    result = analyse(buyer_first_invoice(), policy=ANY_DATE, vendors=vendors)
    assert result.value("issuer") == "CRYSTAL CLEAR WINDOWS LIMITED"
    assert "tax id GB123456789" in result.fields["issuer"].detail


def test_total_is_the_amount_the_net_and_tax_add_up_to_not_a_heavier_decoy():
    doc = page_of([
        (40, [(40, "Acme Widgets GmbH · Hauptstr. 1 · 10115 Berlin")]),
        (80, [(40, "Rechnungsnummer"), (200, "2024-77")]),
        (94, [(40, "Rechnungsdatum"), (200, "05.06.2024")]),
        (200, [(330, "Nettobetrag"), (480, "1.000,00")]),
        (214, [(330, "MwSt. 19 %"), (480, "190,00")]),
        (228, [(330, "Gesamtbetrag"), (480, "1.190,00")]),
        (242, [(330, "Anzahlung erhalten"), (480, "500,00")]),
        (256, [(330, "Rechnungsbetrag nach Abzug der Anzahlung"), (480, "690,00")]),
    ])
    result = analyse(doc, policy=ANY_DATE)
    assert result.value("amount") == Decimal("1190.00")
    assert any(c["name"] == "subtotal_plus_tax" and c["ok"] for c in result.checks)


def test_readable_document_without_number_date_or_total_goes_to_review_not_quarantine():
    letter = page_of([
        (40, [(40, "Dear customer,")]),
        (60, [(40, "we are moving to a new office next month. Our phone number stays the same.")]),
        (80, [(40, "Kind regards, the team")]),
    ])
    result = analyse(letter)
    assert result.status == "review"
    assert "no invoice number, date or total was found" in result.reasons[0]


def test_labels_with_letters_a_latin_ocr_model_lacks_are_still_found():
    """Tesseract's English model reads the Polish ł as t and ć as é: the labels still count."""
    doc = page_of([
        (40, [(40, "Faktura nr 55/02/2025")]),
        (60, [(40, "Data wystawienia: 2025-02-10")]),
        (74, [(40, "Termin ptatnosci: 2025-02-24")]),
        (110, [(40, "Sprzedawca:")]),
        (124, [(40, "Serwis Komputerowy Lis Sp. z o.o.")]),
        (138, [(40, "ul. Krótka 3, 61-001 Poznań")]),
        (300, [(330, "Wartosé netto"), (480, "1 000,00")]),
        (314, [(330, "VAT 23%"), (480, "230,00")]),
        (328, [(330, "Do zaptaty"), (480, "1 230,00 zt")]),
    ])
    r = analyse(doc, templates=[], policy=ANY_DATE)
    assert r.value("due_date") == date(2025, 2, 24)
    assert r.value("amount") == Decimal("1230.00") and r.value("currency") == "PLN"
    assert r.value("amount_untaxed") == Decimal("1000.00")


def test_a_tax_word_inside_an_invoice_number_is_no_tax_label():
    doc = page_of([
        (40, [(40, "Anand Hardware Pvt Ltd")]),
        (60, [(40, "Invoice No."), (200, "GST/2025/0311")]),
        (74, [(40, "Invoice Date"), (200, "12-03-2025")]),
        (300, [(330, "Taxable Amount"), (480, "Rs. 1,000.00")]),
        (314, [(330, "CGST @ 9%"), (480, "Rs. 90.00")]),
        (328, [(330, "SGST @ 9%"), (480, "Rs. 90.00")]),
        (342, [(330, "Grand Total"), (480, "Rs. 1,180.00")]),
    ])
    r = analyse(doc, templates=[], policy=ANY_DATE)
    assert r.value("invoice_number") == "GST/2025/0311"
    assert r.value("vat") == Decimal("180.00")
    assert r.status == "ready", r.reasons


def test_a_chinese_title_that_leads_with_its_region_is_never_the_issuer():
    # the region's name before 增值税电子普通发票 makes the title look like a name to the reader
    doc = page_of([
        (40, [(200, "天津增值税电子普通发票")]),
        (70, [(40, "发票号码："), (120, "66548753")]),
        (84, [(40, "开票日期："), (120, "2026年09月16日")]),
        (200, [(40, "合计"), (300, "¥1028.60"), (400, "¥133.72")]),
        (214, [(40, "价税合计（小写）"), (300, "¥1162.32")]),
    ])
    assert analyse(doc, policy=ANY_DATE).plain_fields().get("issuer") is None


@pytest.mark.parametrize("language, words", [
    ("sv", ["Leverantör:", "Fakturanummer", "Fakturadatum", "Netto", "Moms 25 %", "Att betala", "Tack för att du betalar i tid och anger OCR-numret"]),
    ("da", ["Leverandør:", "Fakturanr.", "Fakturadato", "Beløb ekskl. moms", "Moms 25 %", "At betale", "Tak for betalingen, venligst angiv fakturanummeret"]),
    ("no", ["Leverandør:", "Fakturanummer", "Fakturadato", "Sum eks. mva", "Mva 25 %", "Å betale", "Takk for betalingen, vennligst bruk KID ved betaling"]),
])
def test_nordic_invoices_are_read_with_the_shipped_lexicons(language, words):
    supplier, number, day, net, tax, total, closing = words
    doc = page_of([
        (40, [(40, supplier), (150, "Nordisk Kontorsvaror AB")]),
        (70, [(40, number), (150, "88812")]),
        (84, [(40, day), (150, "2023-10-12" if language == "sv" else "12.10.2023")]),
        (200, [(300, net), (450, "1 000,00")]),
        (214, [(300, tax), (450, "250,00")]),
        (228, [(300, total), (450, "1 250,00")]),
        (300, [(40, closing)]),
    ])
    result = analyse(doc, policy=ANY_DATE)
    got = result.plain_fields()
    assert result.conventions["language"] == language
    assert (got["invoice_number"], got["date"], got["amount"], got["amount_untaxed"], got["vat"]) == (
        "88812", "2023-10-12", 1250.0, 1000.0, 250.0)
    assert got["issuer"] == "Nordisk Kontorsvaror AB"
