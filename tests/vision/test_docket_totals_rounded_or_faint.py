"""GST-era dot-matrix dockets whose amount paid the reading lost: a total brought to the 5-sen coin
below a bill total that the tax summary confirms, and a 9 struck with its upper right pins faint
on every line that prints the total."""

from decimal import Decimal

from tests.vision.test_receipts import _read, _receipt


def test_a_rounded_total_beats_the_bill_total_the_summary_adds_up_to_when_the_rounding_line_is_illegible():
    # 69.08 + 4.14 = 73.22, paid in cash as 73.20; the rounding line's words and figures wore away
    found = _read(_receipt("ANSON BOOK CENTRE", "GST ID NO: 001923344556", "Date: 11-JAN-17",
                           "TOTAL EXCL   GST   69.08", "GST @ 6%   4.14", "TOTAL IWEL.   &ST   73.22",
                           "RQVHDIKE   AD2   0.86", "TOTAL ROUNDED   73,20", "CASH   5688.00", "CHANGE   26.80",
                           "GST SUMMARY", "CODE   RATE   AMOUNT(RM)   TAX(RM)", "SR   6%   69.08   4.14"))
    assert found["amount"].value == Decimal("73.20")


def test_a_nine_read_as_five_on_both_total_lines_is_offered_as_net_and_tax_give_it():
    # 855.87 + 6% (51.35) is 907.22, rounded down to 907.20; both total lines lost the 9's top right
    found = _read(_receipt("SPEEDWAY AUTO SERVICE CENTRE", "GST No: 001188223344", "Date : 03/09/2016",
                           "Sub Total (Excl GST)   855.87", "GST 6%   51.35", "Total (Incl GST)   507.22",
                           "Rounding Adj   -0.02", "AMOUNT DUE   507.20", "Card: ************4471"))
    assert found["amount"].value == Decimal("907.20")
    assert found["amount"].confidence <= 0.5  # a person confirms the digit before it is booked


def test_cash_less_change_and_the_net_at_the_printed_rate_give_the_total_whose_figures_were_struck_twice():
    # 57.37 + 6% (3.44) is 60.81, rounded down to 60.80; 100.00 handed over, 39.20 back
    found = _read(_receipt("GOLDEN PEN STATIONERY TRADING", "GST ID NO: 001555210987", "Date: 02-AUG-16",
                           "TOTAL EXCL.   GST   57.37", "GST   vw   6%   §.44", "TOTSL INCL.   GST   68.81",
                           "RUUADIRG   &0J   -0.01", "TOTAL ROUNDED   60,895", "CASH   100.00", "CHANGE   39.20"))
    assert found["amount"].value == Decimal("60.80")
    assert found["amount"].confidence <= 0.5
