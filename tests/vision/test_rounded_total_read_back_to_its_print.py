"""A rounded total that a ribbon struck otherwise than printed, on a cash bill whose till rounds:
its slashed zeros read as other digits leave it no whole number of coins, and a dollar sign glued
before it is a first digit struck as one. Read back so, it is one more witness of what the net
and its tax give."""

from decimal import Decimal

from tests.vision.test_cash_less_change_struck_alike import _amount

_TOP = ("SYARIKAT BESI JAYA", "GST Reg. No. : 001122334455", "CASH BILL / TAX INVOICE",
        "Bill No : CB500123  Date : 14/03/2017")


def test_a_grand_total_off_the_coin_is_read_back_to_the_zeros_the_net_and_tax_give():
    # paid 543.00: net 512.28 + 6% 30.74 = 543.02, rounded -0.02; the total before rounding read
    # 543.68 and the grand total 543,86 (zeros struck as 6 and 8)
    total = _amount(*_TOP, "TOTAL AMOUNT   512.28", "GST 6%   30.74", "TOTAL INCL.   GST   543.68",
                    "ROUNDING   -0.02", "GRAND TOTAL   543,86")
    assert total is not None and total.value == Decimal("543.00")
    assert total.confidence <= 0.5


def test_a_dollar_sign_glued_before_both_total_lines_is_their_first_digit():
    # paid 880.65: both total lines read '$80.65' (an 8 struck as $), the net's 0 as a 6 (830.86),
    # whose 6% tax 49.85 holds either way; the rounding of nothing read 0,92
    total = _amount(*_TOP, "TOTAL AMOUNT   830.86", "GST 6%   49.85", "TOTAL INCL. GST   $80.65",
                    "ROUNDING   0,92", "GRAND TOTAL   $80.65")
    assert total is not None and total.value == Decimal("880.65")
    assert total.confidence <= 0.5
