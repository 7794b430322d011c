"""A till that rounds takes cash in whole coins: a rounded total and a cash-less-change that agree
on an amount off the coin are one ribbon's slashed zero struck as an 8 on both lines, not two
witnesses of it."""

from decimal import Decimal

from tests.vision.test_cash_less_change_struck_alike import _amount

_TOP = ("KEDAI SPARE PART MAJU", "GST Reg: 000987654321", "CASH BILL", "Date : 02 JUN 2016")


def test_an_amount_due_off_the_coin_that_cash_less_change_repeats_is_read_back_to_its_zeros():
    # paid 268.30: the amount due read 268.38 and the cash 300.08 (each a slashed 0 as an 8), the
    # change 31.70 read right; the rounding's amount illegible, the total before it a 0 read as 7
    total = _amount(*_TOP, "Nett Total (Incl 6ST)   268.37", "Rounding Adj", "NETT PAYABLE   268.38",
                    "CASH   300.08", "CHANGE   31.70")
    assert total is not None and total.value == Decimal("268.30")
    assert total.confidence <= 0.5  # digits read back by rule: a person confirms it

