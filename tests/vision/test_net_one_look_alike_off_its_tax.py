"""A net whose one digit a ribbon struck as its look-alike, its tax and a total line read right:
the net read back ties the tax at the printed rate to the cent, and the total line prints that
very gross, so the three are the docket's sums, as a net and tax read right would be."""

from decimal import Decimal

from tests.vision.test_cash_less_change_struck_alike import _amount

_HEAD = ("KEDAI BESI HUP LEE SDN BHD", "GST Reg. No. : 000321654987", "CASH BILL / TAX INVOICE",
         "Bill No : CB118204  Date : 14/09/2016")


def test_a_net_read_back_one_look_alike_digit_ties_its_tax_and_the_taxed_total():
    # paid 527.50: net 497.64 (its 7 read as a 1) + 6% 29.86 = 527.50, printed so on the total with
    # the tax; the grand total read a 7 as a 1 and a 5 as a 6
    total = _amount(*_HEAD, "TOTAL AMOUNT   491.64", "GST 6%   29.86", "TOTAL INCL. GST   527.50",
                    "ROUNDING   0.00", "GRAND TOTAL   521.60")
    assert total is not None and total.value == Decimal("527.50") and total.confidence <= 0.5
