"""Line items whose cells a scan read with the currency sign stuck to the number."""

from __future__ import annotations

from decimal import Decimal

from tests.vision.word_pages import cells
from vision.document import Document, Page
from vision.invoice import analyse


def _invoice(*rows: tuple[str, str, str, str]) -> Document:
    words = (cells(40, (60, "Rechnung Nr. RE-3318"))
             + cells(60, (60, "Datum: 14.10.2026"))
             + cells(100, (60, "Bezeichnung"), (300, "Menge"), (380, "Einzelpreis"), (500, "Betrag")))
    y = 120
    for desc, qty, price, amount in rows:
        words += cells(y, (60, desc), (300, qty), (380, price), (500, amount))
        y += 20
    words += cells(y + 20, (380, "Nettobetrag"), (500, "1.139,50€"))
    words += cells(y + 40, (380, "MwSt 19%"), (500, "216,51€"))
    words += cells(y + 60, (380, "Gesamtbetrag"), (500, "1.356,01€"))
    return Document("scan.png", [Page(1, 640, 900, words, "ocr")], "image")


def test_a_row_whose_amount_reads_with_its_euro_sign_attached_keeps_its_amount():
    result = analyse(_invoice(("Fliesen verlegen", "12", "61,75€", "741,00€"),
                              ("Anfahrt", "2", "199,25 €", "398,50 €")), templates=[])
    assert [(item["quantity"], item["unit_price"], item["amount"]) for item in result.lines] == [
        (Decimal("12"), Decimal("61.75"), Decimal("741.00")), (Decimal("2"), Decimal("199.25"), Decimal("398.50"))]
    assert not any(c["name"] == "lines_sum" and c["ok"] is False for c in result.checks)


def test_a_totals_row_whose_words_name_columns_does_not_start_a_second_item_table():
    from vision.fields import Options, extract

    # a GST invoice's totals with the bank's lines beside them: 'Bank Details  Total  20,337.47'
    # spells a description and an amount heading, but it holds a figure: it heads no table, and
    # the payment made under it is no item
    words = (cells(100, (60, "Item & Description"), (500, "Qty"), (620, "Rate"), (760, "Amount"))
             + cells(120, (60, "Brake Pad Set"), (500, "5"), (620, "3,177.73"), (760, "15,888.65"))
             + cells(160, (500, "Sub Total"), (760, "15,888.65"))
             + cells(180, (500, "IGST 28%"), (760, "4,448.82"))
             + cells(200, (60, "Bank Details"), (500, "Total"), (760, "20,337.47"))
             + cells(220, (60, "A/c No: 815829339125"), (500, "Payment Made (-)"), (760, "10,168.50"))
             + cells(240, (500, "Balance Due"), (760, "10,168.97")))
    doc = Document("gst.pdf", [Page(1, 1240, 1754, words, "text")], "pdf")
    lines = extract(doc, Options()).lines
    assert [(item["description"], item["amount"]) for item in lines] == [("Brake Pad Set", Decimal("15888.65"))]
