"""A till's rounding line takes the total to the nearest coin and does nothing else: an amount
read on it that would not get there (its sign lost, a zero read as a 3 or a 9) is no rounding
the till made, and is not added to the amount paid as read."""

from decimal import Decimal

from tests.vision.test_receipts import _read, _receipt


def test_a_rounding_misread_as_thirty_two_sen_still_gives_the_amount_paid_to_the_coin():
    # a cash bill as a phone photo read it: printed ROUNDING -0.02 and GRAND TOTAL 766.15; the tax
    # summary says 766.17 was the total before rounding, the grand total's 6 came out a 5
    rows = ["CASH BILL / TAX INVOICE", "Bill No : CB128326   Date : 07/02/2018", "TOTAL AMOUNT   722.60",
            "GST 6%   43.37", "TOTAL INCL. GST   766,17", "ROUNDING   -0.32", "GRAND TOTAL   756.15",
            "CASH   7236.06", "CHANGE   19.85", "GST SUMMARY   AMOUNT(RM)   TAX(RM)", "SR 6%   722.80   43.37"]
    paid = _read(_receipt(*rows))["amount"]
    assert paid.value == Decimal("766.15")
    assert paid.confidence <= 0.5  # two lines misread on the way: a person confirms it


def test_a_rounding_of_nothing_read_as_nine_sen_leaves_the_total_as_it_was():
    # printed ROUNDING 0.00 under a total already on a five-sen coin; the grand total lost its mark
    rows = ["CASH BILL / TAX INVOICE", "Bill No : CB756925", "TOTAL AMOUNT   118.07", "GST 6%   7.08",
            "TOTAL INCL. GST   125.15", "ROUNDING   0.09", "GRAND TOTAL   125 15", "CASH   209.08",
            "CHANGE   74.35"]
    assert _read(_receipt(*rows))["amount"].value == Decimal("125.15")
