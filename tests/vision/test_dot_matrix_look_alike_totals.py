"""A ribbon docket whose amounts OCR misread digit by digit: a 5x7 three read as a two or a five,
a worn bracket before 'Incl' read as letters, and the docket's own sums reading past one another
only so far that they still say something."""

from datetime import date
from decimal import Decimal

from tests.vision.test_receipts import _read, _receipt


def _docket(*totals: str) -> tuple:
    return ("PERABOT JATI ENTERPRISE", "GST ID : 001234567890", "TAX INVOICE", "Date : 11/03/2016 14:20",
            "SOFA COVER 3 SEATER   1   S", *totals)


def test_a_three_read_as_a_two_and_a_five_is_read_back_from_the_sums_for_a_person():
    # paid 350.00 (net 330.19, tax 19.81): the net's first 3 read as a 5, the payable line's and the
    # summary's as a 2, the total with the tax in smudged past reading
    found = _read(_receipt(*_docket("Sub Total (Excl GST)   530.19", "GST 6%   19.81", "Total (Incl GST)   3¢0.00",
                                    "AMOUNT DUE   250.00", "CASH   400.00", "CHANGE   50.00",
                                    "GST Summary   Amt   Tax", "S = 6%   230.19   19.81")))
    amount = found["amount"]
    assert amount.value == Decimal("350.00") and amount.confidence <= 0.5


def test_a_bracket_read_as_two_letters_before_incl_keeps_the_tax_in_the_total():
    # the payable line smudged: the total with the tax in, brought to the coin by the rounding,
    # is what the card paid
    found = _read(_receipt(*_docket("Sub Total (Excl GST)   438.34", "GST 6%   26.30", "Total fIincl GST}   464.64",
                                    "Rounding Adj   0.01", "NETT PAYABLE (RM)   4b4.6S", "VISA   464.65")))
    assert found["amount"].value == Decimal("464.65") and found["date"].value == date(2016, 3, 11)


def test_the_line_over_the_rounding_is_the_total_it_rounds_though_its_bracket_reads_excl():
    # 'Incl' worn into 'excl' over the rounding line, the payable line's zeros read as 6 and 3,
    # the card slip's marks as letters: net and tax, the total over the rounding and the payable
    # line all give 206.30
    found = _read(_receipt(*_docket("Sub Total (Excl GST)   194.60", "GST 6%   11.68", "Total (excl GST}   206.23",
                                    "Rounding Adj   0.02", "NETT PAYABLE   266.33", "CASH   500.00")))
    assert found["amount"].value == Decimal("206.30") and found["amount"].confidence <= 0.5


def test_a_total_read_right_is_not_traded_for_one_that_the_sums_give_only_with_many_digits_changed():
    # the payable line reads right; the summary is smudged past use and the tax line took the
    # total's amount: readings that rewrite three digits of a line agree with anything
    found = _read(_receipt(*_docket("Sub Total (Excl GST)   438.34", "GST 5%   26.39", "Total (Incl GST) GST   464.64",
                                    "Rounding Adj   0.61", "NETT PAYABLE (RM)   464.65", "DEBIT CARD   464.€5",
                                    "GST Summary   Amt(RM)   GST(RM)", "$ = 6%   438.34   26.20")))
    assert found["amount"].value == Decimal("464.65")


def test_a_slashed_zero_read_alike_on_every_digit_still_reads_back_as_zeros():
    from vision.receipts import _printed_readings

    readings = _printed_readings(Decimal("266.66"))
    assert readings[20000] == 4  # 200.00 struck with a slashed zero read as 6 four times
    assert 25555 not in readings  # four digits that are no zero, each read as another: not a reading


def test_a_rounding_read_past_the_nearest_coin_is_no_rounding_though_the_change_read_agrees():
    # paid 187.45 (net 176.82, tax 10.61, rounding 0.02); the rounding's zeros read as 8 and 3 and
    # the change's 5 as a 2: 187.43 + 0.32 and 200.00 - 12.25 both give 187.75, but a rounding
    # only takes a total to its nearest coin
    found = _read(_receipt(*_docket("Sub Total (Excl GST)   176.82", "GST 6%   10.61", "Total (Incl GST)   187.43",
                                    "Rounding Adj   8.32", "Cash Tendered   200.00", "Change Due   12.25",
                                    "GST Summary   Amt   Tax", "S = 6%   176.82   10.61")))
    assert found["amount"].value == Decimal("187.45") and found["amount"].confidence <= 0.5
