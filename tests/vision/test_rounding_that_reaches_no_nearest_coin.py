"""A rounding line takes the total before it to its nearest coin and does nothing else: a rounding
misread past that (a worn -0.01 read as -0.11) is no rounding of any reading of the total, and the
sums it would make never outweigh the amount due as read."""

from decimal import Decimal

from tests.vision.test_cash_less_change_struck_alike import _amount

_HEAD = ("KEDAI PERKAKASAN MAJU JAYA", "GST Reg No: 002198765431", "TAX INVOICE", "Date : 03 MAR 2016")


def _docket_total(taxed_total: str, rounding: str, amount_payable: str):
    # net 283.08 + 6% 16.98 = 300.06, rounded -0.01: paid 300.05; the tax line misread, the summary right
    return _amount(*_HEAD, "Sub-Total Excl. GST   283.08", "GST @ 6%   16.38", f"Total Incl. GST   {taxed_total}",
                   f"Rounding Adjustment   {rounding}", f"AMOUNT PAYABLE   {amount_payable}",
                   "GST Summary   Amount(RM)   Tax(RM)", "SR @ 6%   283.08   16.98")


def test_a_rounding_no_coin_explains_leaves_the_amount_due_as_read():
    # the taxed total's zero read as 8 and the rounding's as 1: 300.06 - 0.11 = 299.95 is no coin a
    # till rounds 300.06 to, though the summary and the taxed total read back would both give it
    total = _docket_total("308.06", "-0.11", "300.05")
    assert total is not None and total.value == Decimal("300.05")


def test_a_rounding_read_right_still_brings_zeros_read_back_to_the_coin():
    # the same docket with its rounding legible and the amount due's zero read as 8 too
    total = _docket_total("308.06", "-0.01", "308.05")
    assert total is not None and total.value == Decimal("300.05") and total.confidence <= 0.5
