"""A tax line whose label OCR wore away still prints its rate and its one amount: the total line
above it is the net the tax is added to, never the total the rounding line rounds."""

from decimal import Decimal

from tests.vision.test_cash_less_change_struck_alike import _amount

_HEAD = ("SYARIKAT PERABOT CAHAYA", "GST Reg. No. : 000741852963", "CASH BILL / TAX INVOICE",
         "Bill No : CB552017  Date : 19/01/2017")


def test_the_net_over_a_rate_line_with_a_worn_label_is_not_rounded_as_the_total():
    # paid 882.55: net 832.60 + 6% 49.96 = 882.56, rounded -0.01; the taxed total and the grand
    # total read with spaces and marks for their points, the summary's tax garbled; the net read
    # with a 3 for an 8 would make 882.60 of it on a 10-sen coin
    total = _amount(*_HEAD, "TOTAL AMOUNT   832.60", "%S7 6%   49.96", "TOTAL INCL. &ST   882 .5&",
                    "ROUNDING   -8.9]", "GRAND TOTAL   882   55", "GST SUMMARY   AMOUNT(RM)   TAX(RM)",
                    "SR 6%   832.60   4S. 96")
    assert total is not None and total.value == Decimal("882.55") and total.confidence <= 0.5
