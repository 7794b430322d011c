"""A Malaysian docket whose GST registration label OCR spread over the line (its letters worn,
its words set apart): the page still charges Malaysian GST, so its dates are read day first
and within the years that tax was levied."""

from datetime import date

from tests.vision.test_dot_matrix_dates import _date


_FOOT = ("TOTAL AMOUNT   404.82", "GST   6%   24.29", "TOTAL INCL. GST   429.11", "GRAND TOTAL   429.10",
         "CASH   500.00", "CHANGE   70.90")


def test_a_worn_registration_label_set_wide_still_makes_the_page_malaysian():
    # printed 02/10/2017, its slashed zeros read as 8 and 6 (82/16/2017): read month first it
    # would be 16 February at less cost, but a Malaysian till writes the day first
    for label in ("6ST    Reg.    No.    :    ", "GST REG NO : "):
        head = ("PERNIAGAAN BATA MERAH", label + "901179681994", "CASH BILL / TAX INVOICE")
        day = _date(*head, "Bill No : CB132324    Date :    82/16/2017", *_FOOT)
        assert day is not None and day.value == date(2017, 10, 2), label
        assert day.confidence <= 0.5  # a look-alike reading: a person confirms it


def test_a_registration_number_with_digits_read_as_letters_still_makes_the_page_malaysian():
    # 'GST Reg. No. : 001529377572' with its zeros and a 1 read as letters: still twelve
    # characters, most of them digits, after the word GST; the docket charges 6% GST, so a year
    # after the tax was repealed (2019: its 8 read as 9) is a misread, for a person to confirm
    for number in ("BBIS29377572", "6686395285995"):
        head = ("SYARIKAT BINAAN JAYA MAJU", f"GST Reg.   No.   :   {number}", "CASH BILL / TAX INVOICE")
        day = _date(*head, "Bill No : CB885552    Date :    23/05/2019", *_FOOT)
        assert day is not None and day.value == date(2018, 5, 23) and day.confidence <= 0.5, number


def test_a_years_one_read_as_a_bracket_is_read_as_the_one():
    # printed 28/10/2015: the month's 0 read as 6, the year's 1 as a closing bracket
    head = ("PERNIAGAAN BATA MERAH", "GST REG NO : 001946205317", "CASH BILL / TAX INVOICE")
    day = _date(*head, "Bill No : CB510958    Date :    28/16/20)5", *_FOOT)
    assert day is not None and day.value == date(2015, 10, 28) and day.confidence <= 0.5
