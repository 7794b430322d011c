"""A till that rounds its total to the coin, taught on a day the rounding was nothing: the amount
due is learned below the rounding line, and a bare $ on the vendor's later slips is its dollar."""

from decimal import Decimal

from tests.vision.test_lexicons import page_of
from vision.fields import Field, Options
from vision.learned import _currency_on_page, locate


def _rounding_slip(before: str, rounding: str, due: str):
    return page_of([
        (40, [(200, "BAYSIDE GARDEN SUPPLIES")]),
        (60, [(200, "Receipt: R-40417")]),
        (120, [(150, "Potting mix 25L"), (380, before)]),
        (150, [(150, "Total Incl. GST"), (380, before)]),
        (164, [(150, "Rounding Adj"), (380, rounding)]),
        (178, [(150, "TOTAL DUE"), (380, due)]),
        (192, [(150, "EFTPOS"), (380, due)]),
    ], scanned=True)


def test_a_total_taught_when_the_rounding_was_nothing_is_learned_below_the_rounding():
    spot, _ = locate(_rounding_slip("64.30", "0.00", "64.30"), "amount", Decimal("64.30"), Options())
    assert spot is not None and spot.anchor is not None
    assert spot.anchor.text == "TOTAL"  # of TOTAL DUE, not of Total Incl. GST


def test_a_total_printed_twice_with_no_rounding_between_is_learned_where_it_was():
    # no rounding line: the first total label is learned, as before
    slip = page_of([
        (40, [(200, "BAYSIDE GARDEN SUPPLIES")]),
        (150, [(150, "Total Incl. GST"), (380, "64.30")]),
        (178, [(150, "TOTAL DUE"), (380, "64.30")]),
    ], scanned=True)
    spot, _ = locate(slip, "amount", Decimal("64.30"), Options())
    assert spot is not None and spot.anchor.text == "Total Incl."


def _mark_read(code: str) -> Field:
    return Field(code, 0.5, "document", 1, code, detail=f"{code} only from a currency mark")


def test_a_bare_dollar_mark_is_the_vendors_own_dollar_unless_the_page_names_the_us_one():
    assert _currency_on_page(_mark_read("USD"), "AUD", "TOTAL DUE $ 64.30") == "AUD"
    assert _currency_on_page(_mark_read("USD"), "AUD", "TOTAL DUE USD 64.30") == "USD"
    assert _currency_on_page(_mark_read("USD"), "AUD", "TOTAL DUE US$ 64.30") == "USD"
    # the euro is no dollar: a $ on a euro vendor's page is another currency, for a person
    assert _currency_on_page(_mark_read("USD"), "EUR", "TOTAL DUE $ 64.30") == "USD"
