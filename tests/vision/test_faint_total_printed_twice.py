"""A Japanese invoice (請求書) whose totals block the scan read faintly: the yen sign beside the
figures read as a CJK character or a Y takes the words' confidence down to nothing.

What a user sees: when the lines add up to the net, net + tax is the total, and the amount billed
is printed again at the top in clear print (with its ¥), the invoice is booked in yen with that
total; when the top amount is not printed, or is faint too, or the sums do not hold, a person
checks the total.

The pages are built word by word, in a scan's pixels, as Tesseract returns them.
"""

from __future__ import annotations

from decimal import Decimal

from vision.document import Document, Page, Word
from vision.fields import extract


def _seikyu(billed: str | None, billed_conf: float = 0.92, tax: str = "Y520,670") -> Document:
    rows = [
        [("INVOICE", 1000, 0.95)],
        [("請求書番号", 1300, 0.9), ("Invoice", 1500, 0.93), ("No.", 1680, 0.93), ("2026090252", 1950, 0.92)],
        [("Global", 200, 0.9), ("Foods", 350, 0.9), ("Pte.", 480, 0.9), ("Ltd.", 580, 0.9), ("御中", 700, 0.8),
         ("請求日", 1300, 0.9), ("Date", 1500, 0.93), ("2026/09/20", 1950, 0.92)],
        [("Hikari", 1300, 0.93), ("Precision", 1450, 0.93), ("Industries", 1680, 0.93), ("Inc.", 1920, 0.93)],
        [("ご請求金額", 200, 0.3)],  # the caption of the amount billed, read as no label
        [(billed, 200, billed_conf)] if billed else [],
        [("Description", 200, 0.93), ("Qty", 1300, 0.93), ("Unit", 1500, 0.93), ("price", 1600, 0.93),
         ("Amount", 1990, 0.93)],
        [("Logo", 200, 0.9), ("design", 320, 0.9), ("29", 1300, 0.9), ("23,900", 1500, 0.9), ("693,100", 1990, 0.9)],
        [("Soy", 200, 0.9), ("sauce", 300, 0.9), ("37", 1300, 0.9), ("57,100", 1500, 0.9), ("2,112,700", 1990, 0.9)],
        [("Sea", 200, 0.9), ("freight", 300, 0.9), ("38", 1300, 0.9), ("37,600", 1500, 0.9), ("1,428,800", 1990, 0.9)],
        [("Rice", 200, 0.9), ("crackers", 320, 0.9), ("39", 1300, 0.9), ("44,700", 1500, 0.9),
         ("1,743,300", 1990, 0.9)],
        [("小计", 1300, 0.9), ("Subtotal", 1420, 0.93), ("半", 1900, 0.4), ("5,977,900", 1990, 0.89)],
        [("消费税", 1300, 0.0), ("Consumption", 1420, 0.0), ("tax", 1700, 0.0), (tax, 1990, 0.0)],
        [("合计", 1300, 0.0), ("Total", 1420, 0.0), ("半", 1900, 0.0), ("6,498,570", 1990, 0.0)],
    ]
    words = [Word(text, x, 150 + 60 * row, x + 22 * len(text), 185 + 60 * row, conf)
             for row, texts in enumerate(rows) for text, x, conf in texts]
    return Document("seikyu.png", [Page(1, 2480, 3508, words, "ocr")], "image")


def test_a_faint_total_printed_again_clearly_at_the_top_is_booked_in_yen():
    fields = extract(_seikyu("¥6,498,570-")).fields
    assert fields["amount"].value == Decimal("6498570")
    assert fields["amount"].confidence >= 0.6
    assert fields["currency"].value == "JPY" and fields["currency"].confidence >= 0.6


def test_a_faint_total_with_no_clear_second_printing_is_checked_by_a_person():
    for billed, conf in ((None, 0.0), ("¥6,498,570-", 0.5)):
        fields = extract(_seikyu(billed, conf)).fields
        assert fields["amount"].confidence < 0.6


def test_a_faint_total_whose_tax_does_not_add_up_is_checked_by_a_person():
    fields = extract(_seikyu("¥6,498,570-", tax="Y529,670")).fields
    assert fields["amount"].confidence < 0.6
