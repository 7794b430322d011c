"""A line's unit price that a scan read with a minus sign (a speck, the end of a ruled line)
where its amount has none: the price is the unsigned one when quantity x it is the amount."""

from decimal import Decimal

from tests.vision.test_lexicons import page_of
from vision.fields import extract


def _order(unit_price: str, amount: str):
    return page_of([
        (40, [(40, "Fenwick Tool Supply Ltd")]),
        (60, [(40, "Invoice No: FT-20931")]),
        (120, [(40, "Description"), (250, "Qty"), (320, "Unit price"), (450, "Amount")]),
        (136, [(40, "Socket set 40pc"), (250, "4"), (320, "12.50"), (450, "50.00")]),
        (150, [(40, "Drill bits HSS"), (250, "6"), (320, unit_price), (450, amount)]),
        (200, [(320, "Subtotal"), (450, "93.00")]),
    ], scanned=True)


def _last_line(doc) -> dict:
    return extract(doc).lines[-1]


def test_a_minus_before_a_unit_price_whose_amount_has_no_sign_is_a_speck():
    line = _last_line(_order("-7.1666", "43.00"))
    assert (line["unit_price"], line["amount"]) == (Decimal("7.1666"), Decimal("43.00"))


def test_a_minus_speck_and_a_lost_decimal_mark_on_one_line_are_both_mended():
    line = _last_line(_order("-7.1666", "4300"))
    assert (line["unit_price"], line["amount"]) == (Decimal("7.1666"), Decimal("43.00"))
    assert line.get("mended")


def test_a_negative_unit_price_that_does_not_give_the_amount_stays_as_read():
    line = _last_line(_order("-7.50", "43.00"))
    assert line["unit_price"] == Decimal("-7.50")
