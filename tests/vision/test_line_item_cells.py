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
