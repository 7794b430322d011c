"""Where a total is learned when the teaching invoice prints the same figure beside several
labels: nothing was discounted, so the subtotal equals the total."""

from decimal import Decimal

from tests.vision.test_lexicons import page_of
from vision.learned import locate
from vision.fields import Options


def _shop_slip(subtotal: str, total: str, card: str):
    return page_of([
        (40, [(200, "CORNER HARDWARE")]),
        (60, [(200, "Invoice No: 88-1203")]),
        (120, [(150, "Hammer claw 16oz"), (380, subtotal)]),
        (150, [(150, "SUB-TOTAL"), (380, subtotal)]),
        (164, [(150, "TOTAL"), (380, total)]),
        (178, [(150, "VISA DEBIT"), (380, card)]),
    ], scanned=True)


def test_a_total_equal_to_the_subtotal_is_learned_beside_the_totals_label():
    spot, _ = locate(_shop_slip("18.40", "18.40", "18.40"), "amount", Decimal("18.40"), Options())
    assert spot is not None and spot.anchor is not None
    assert spot.anchor.text == "TOTAL"


def test_the_net_equal_to_the_total_is_learned_beside_the_subtotals_label():
    spot, _ = locate(_shop_slip("18.40", "18.40", "18.40"), "amount_untaxed", Decimal("18.40"), Options())
    assert spot is not None and spot.anchor is not None
    assert spot.anchor.text == "SUB-TOTAL"
