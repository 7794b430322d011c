"""A small till total misread by less than a unit: the tax at its rate and the payment line tell
the amount paid apart from it all the same (a tax alone leaves its gross open by some cents
only), and a person confirms it."""

from decimal import Decimal

from tests.vision.test_cash_less_change_struck_alike import _amount


_HEAD = ("Backstube Krume", "Lindenweg 4, 33098 Paderborn", "Brezel   1,20 B", "Milchbroetchen 4x   2,60 B",
         "Kaffee   1,55 B")


def test_a_small_total_a_payment_and_its_tax_say_otherwise_goes_to_a_person_with_theirs():
    # paid 5.35 in cash: the sum's 5 read as a 6 and its 3 as a 0 (6.05, under a unit off); the
    # tax row's net misread (5.80 for 5.00), its tax 0.35 at 7% gives a gross of 5.28 to 5.42
    total = _amount(*_HEAD, "SUMME   EUR   6,05", "Bar   EUR   5,35", "Steuer   %   Netto   Steuer",
                    "B   7%   5,80   0,35", "17.03.2021   09:12")
    assert total is not None and total.value == Decimal("5.35")
    assert total.confidence <= 0.5  # the sums chose it: a person confirms

