"""Ribbon-struck dockets whose marks OCR read as other characters: the slash between a date's
groups struck so its ends hook into an s, the D of a date caption worn off the ribbon's edge, an
8's two loops read as an ampersand, and the rounding's caption worn three letters deep."""

from datetime import date
from decimal import Decimal

from tests.vision.test_dot_matrix_dates import _date
from tests.vision.test_receipts import _read, _receipt
from vision.dotdates import _names_date
from vision.receipts import _date_label_word

_HEAD = ("PERNIAGAAN SINAR TIMUR", "GST REG NO : 000812345678")
_TAIL = ("TOTAL INCL GST   84.80", "CASH   100.00", "CHANGE   15.20")


def test_a_date_whose_slashes_read_as_s_is_offered_for_a_person_to_confirm():
    # printed 14/06/2016 and 03/11/17: both slashes, or one, came out as an s
    day = _date(*_HEAD, "Invoice : CS10442   Date : 14s06s2016", *_TAIL)
    assert day is not None and day.value == date(2016, 6, 14)
    assert day.confidence < 0.6  # a guess about the print: never booked by itself
    assert _date(*_HEAD, "Date/Time : 03s11/17 09:12", *_TAIL).value == date(2017, 11, 3)
    # an s inside a word is no slash: a product code glued to figures names no date
    assert _date(*_HEAD, "Item : PCS12s05s20XL", *_TAIL) is None


def test_an_ampersand_among_a_dates_digits_is_read_as_the_eight_it_was():
    day = _date(*_HEAD, "Date : 2&/05/2016   10:31", *_TAIL)
    assert day is not None and day.value == date(2016, 5, 28) and day.confidence < 0.6
    assert _date(*_HEAD, "Date : 13/0&/2017", *_TAIL).value == date(2017, 8, 13)


def test_a_date_caption_that_lost_its_first_letter_still_names_the_date():
    assert _names_date("ate") and _names_date("ate:") and _date_label_word("atum")
    # words that merely end like the caption are not it
    assert not _date_label_word("rate") and not _date_label_word("late")


def test_an_ampersand_in_the_total_is_the_eight_the_cash_and_change_confirm():
    found = _read(_receipt("KEDAI RUNCIT AH SENG", "Date : 12/05/2016", "BERAS 10KG   1   38.50",
                           "TOTAL   1&5.50", "CASH   200.00", "CHANGE   14.50"))
    assert found["amount"].value == Decimal("185.50")
    # a caption's ampersand is no digit
    found = _read(_receipt("KEDAI RUNCIT AH SENG", "Date : 12/05/2016", "S&P SAUCE   1   5.50",
                           "TOTAL   5.50", "CASH   10.00", "CHANGE   4.50"))
    assert found["amount"].value == Decimal("5.50")


def test_a_rounding_worn_three_letters_deep_rounds_down_by_its_printed_amount():
    # 185.52 rounded down to 185.50; the rounding caption struck as 'ROUADIRGS' (three letters
    # off ROUNDING), the rounded total's own 8 and 0 read as B and O
    found = _read(_receipt("KEDAI RUNCIT AH SENG", "Date : 12/05/2016", "Total Excl GST   175.02",
                           "GST 6%   10.50", "TOTAL INCL GST   185.52", "ROUADIRGS   -0.02",
                           "TOTAL ROUNDED   1B5.5O", "CASH   200.00", "CHANGE   14.50"))
    assert found["amount"].value == Decimal("185.50")
    assert found["amount"].confidence < 0.6
    # a line three letters off the caption with more than a rounding's amount is no rounding
    found = _read(_receipt("KEDAI RUNCIT AH SENG", "Date : 12/05/2016", "ROUNDERS CAP   1   12.00",
                           "TOTAL   12.00", "CASH   20.00", "CHANGE   8.00"))
    assert found["amount"].value == Decimal("12.00")
