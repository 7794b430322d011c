"""A cash bill's tax summary row whose net lost its decimal point to OCR (``188 40`` for
188.40): the figures are read as one amount where the row's own net and tax then agree at the
printed rate, and never where they do not."""

from decimal import Decimal

from tests.vision.test_cash_less_change_struck_alike import _amount


_HEAD = ("KEDAI PAIP DAN SIMEN HUAT", "GST Reg. No. : 000412398765", "CASH BILL / TAX INVOICE",
         "Date : 03/09/2016", "ITEM QTY PRICE AMOUNT", "CEMENT 50KG", "4 BAG 47.10 188.40")


def _bill(summary_row: str):
    # paid 199.70: net 188.40 and its 6% tax 11.30; the net line smudged, the tax line's 3
    # struck as an 8, the grand total two digits off, the cash and change smudged
    return _amount(*_HEAD, "TOTAL AMOUNT   18@.4G", "GST   6%   11.80", "TOTAL INCL.   GST   199.70",
                   "ROUNDING   §. 08", "GRAND TOTAL   189, 76", "CASH   200.993", "CHANGE   6.30",
                   "GST SUMMARY   AMOUNT(RM)   TAX(RM)", summary_row)


def test_a_net_whose_point_was_lost_is_read_where_the_rate_gives_its_tax():
    total = _bill("SR 6%   188   40   11.30")
    assert total is not None and total.value == Decimal("199.70")


def test_figures_the_rate_does_not_tie_to_the_tax_are_no_net():
    # 188.90 at 6% is 11.33, not 11.30: the figures are not taken for the net, the total stays as read
    total = _bill("SR 6%   188   90   11.30")
    assert total is not None and total.value != Decimal("199.70")
