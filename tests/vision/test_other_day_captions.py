"""A date printed under a caption that names another day ('Delivery date', 'Lieferdatum', 'Valid
until') on an invoice whose own date label the scan garbled.

What a user sees: the invoice is booked with its own date, printed further down, or goes to a
person; the day the goods were delivered is never booked as the invoice's date.

The pages are built word by word, in a scan's pixels, as Tesseract returns them.
"""

from __future__ import annotations

from datetime import date

import pytest

from vision.document import Document, Page, Word
from vision.fields import extract


def _set_in_a_row(words: list[str], top: int) -> list[tuple]:
    """Words left to right from x 200, each 22 pixels a letter, 15 apart."""
    placed, x = [], 200
    for word in words:
        placed.append((word, x, top, x + 22 * len(word), top + 35))
        x += 22 * len(word) + 15
    return placed


def _invoice(caption: list[str], own_date_label: list[str], day_first: bool = True) -> Document:
    delivered, issued = ("28.10.2026", "03.11.2026") if day_first else ("10/28/2026", "11/03/2026")
    caption_words, label_words = _set_in_a_row(caption, 600), _set_in_a_row(own_date_label, 660)
    words = [
        ("Nordwind", 200, 150, 400, 190), ("Logistics", 415, 150, 620, 190), ("Ltd", 635, 150, 700, 190),
        ("12", 200, 205, 240, 240), ("Harbour", 255, 205, 420, 240), ("Road,", 435, 205, 540, 240),
        ("Leeds", 555, 205, 680, 240),
        ("INVOICE", 200, 420, 420, 470), ("No.", 200, 540, 270, 575), ("INV-5521", 285, 540, 480, 575),
        *caption_words, (delivered, 700, 600, 930, 635),
        *label_words, (issued, 700, 660, 930, 695),
        ("Description", 200, 1000, 450, 1035), ("Amount", 1900, 1000, 2080, 1035),
        ("Pallet", 200, 1060, 340, 1095), ("freight", 355, 1060, 520, 1095), ("1,000.00", 1990, 1060, 2180, 1095),
        ("Subtotal", 1500, 1200, 1690, 1235), ("1,000.00", 1990, 1200, 2180, 1235),
        ("VAT", 1500, 1250, 1590, 1285), ("20%", 1605, 1250, 1690, 1285), ("200.00", 2040, 1250, 2180, 1285),
        ("Total", 1500, 1300, 1620, 1335), ("GBP", 1635, 1300, 1720, 1335), ("1,200.00", 1990, 1300, 2180, 1335),
    ]
    page = Page(1, 2480, 3508, [Word(t, x0, y0, x1, y1, 0.93) for t, x0, y0, x1, y1 in words], "ocr")
    return Document("invoice.png", [page], "image")


@pytest.mark.parametrize("caption", [["Delivery", "date:"], ["Valid", "until"], ["Delivered", "on"]])
def test_the_delivery_day_above_a_garbled_invoice_date_is_not_booked_as_the_invoice_date(caption):
    fields = extract(_invoice(caption, ["|nv0|ce", "d@tc:"])).fields
    day = fields.get("date")
    assert day is not None and day.value == date(2026, 11, 3)


def test_a_german_invoice_s_delivery_day_is_not_its_date():
    fields = extract(_invoice(["Lieferdatum:"], ["Rechnvng5d@tvm"])).fields
    day = fields.get("date")
    assert day is None or day.value != date(2026, 10, 28)


def test_the_invoice_date_read_under_its_label_still_wins():
    fields = extract(_invoice(["Delivery", "date:"], ["Invoice", "date:"])).fields
    assert fields["date"].value == date(2026, 11, 3)
    assert fields["date"].confidence >= 0.6
