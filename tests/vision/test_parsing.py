"""Amounts, dates and currencies as invoices print them."""

from datetime import date
from decimal import Decimal

import pytest

from vision.parsing import detect_currency, find_amounts, find_dates, parse_amount, parse_invoice_number


@pytest.mark.parametrize("text, value", [
    ("1,234.50", "1234.50"), ("1.234,50", "1234.50"), ("34,73", "34.73"), ("1 939", "1939"),
    ("12,345", "12345"), ("(15.00)", "-15.00"), ("¥16,799.64", "16799.64"),
])
def test_amounts_in_both_decimal_conventions(text, value):
    assert parse_amount(text) == Decimal(value)


def test_template_decimal_comma_wins_over_guessing():
    assert parse_amount("1.234", decimal=",") == Decimal("1234")


def test_percentages_are_not_amounts_and_currency_marks_are_kept():
    found = find_amounts("Tax 14.50% 40.39 Total EUR 319,00")
    assert [v for v, *_ in found] == [Decimal("40.39"), Decimal("319.00")]
    assert find_amounts("Rs 1939")[0][1] == "INR"


@pytest.mark.parametrize("text, value", [
    ("August 3 , 2014", date(2014, 8, 3)), ("7. Mai 2014", date(2014, 5, 7)), ("2026年03月05日", date(2026, 3, 5)),
    ("20-10-2015", date(2015, 10, 20)), ("31/12/2017", date(2017, 12, 31)), ("2026-11-02", date(2026, 11, 2)),
    ("05 Mar 2026", date(2026, 3, 5)), ("21.05.14", date(2014, 5, 21)),
])
def test_dates_in_en_de_cn_spellings(text, value):
    assert find_dates(text)[0][0] == value


def test_ambiguous_numeric_date_is_marked_uncertain():
    value, certainty, *_ = find_dates("03/04/2026")[0]
    assert value == date(2026, 4, 3) and certainty < 1


def test_currency_from_codes_symbols_and_words():
    assert detect_currency("Total $4.11, all charges in US Dollars")[0] == "USD"
    assert detect_currency("价税合计 ¥1,130.00")[0] == "CNY"
    assert detect_currency("nothing here")[0] is None


def test_marks_ocr_made_of_letters_name_no_currency():
    # a ringgit docket as a worn scan comes out of OCR: the chain's dotted initials, its
    # document number and the tax codes of its item rows each came out with a sign in them
    docket = ("KEDAI P.T.¥. HARDWARE\nReceipt : £$20417733\n2 4.50 9.00 $R\n1 3.10 3.10 $R\n"
              "Summary Amount (RM)\nTotal 12.10")
    assert detect_currency(docket)[0] == "MYR"
    # the same signs standing by amounts are money
    assert detect_currency("Paid $ 12.10, change $0.90")[0] == "USD"
    assert detect_currency("P.T. Ltd. Total £8.00.")[0] == "GBP"
    assert detect_currency("Summe 8,00€.")[0] == "EUR"
    # a figure after the sign read as the letter it looks like: still money
    assert detect_currency("Anzahlung €O,50 Kasse zt 2")[0] == "EUR"
    assert detect_currency("Paid $I2.50 at the zt till")[0] == "USD"


def test_invoice_number_keeps_hash_and_needs_a_digit():
    assert parse_invoice_number(": # BLR_WFLD20151000982590") == "#BLR_WFLD20151000982590"
    assert parse_invoice_number("Payment Mode") is None


@pytest.mark.parametrize("text, number", [
    ("FS B2025/311 de 04-02-2025", "FS B2025/311"),  # series code, then its running number
    ("N 0042/2025", "N 0042/2025"),
    ("EUR 12/30", None),  # a currency is not a series
    ("Nr. 778-19 vom 3.2.2025", "778-19"),
])
def test_a_number_keeps_the_series_printed_before_it(text, number):
    assert parse_invoice_number(text) == number


@pytest.mark.parametrize("text", ["Razem brutto: 2 460,00 zl", "Suma 99,90 zt"])
def test_zloty_spelled_without_the_barred_l_is_still_zloty(text):
    assert detect_currency(text)[0] == "PLN"


@pytest.mark.parametrize("text, code", [
    ("Amount payable CA$ 2,310.75", "CAD"),  # Canada's dollar is no Australian one
    ("Balance AU$88.10", "AUD"),
    ("Please pay NZ$ 415.00 by Friday", "NZD"),  # nor is New Zealand's a US dollar
])
def test_a_dollar_prefixed_with_its_country_is_that_countrys_dollar(text, code):
    assert detect_currency(text)[0] == code
    assert [mark for _, mark, _, _ in find_amounts(text)] == [code]


def test_a_four_digit_year_with_a_digit_read_as_a_letter_is_no_two_digit_year():
    # 'l' for the 1 of 2017, 'O' for the 0 of 2018: not 5 January 2020
    assert find_dates("Invoice date: 05/01/20l7") == []
    assert find_dates("Date 14 NOV 2O18") == []
    assert [d for d, *_ in find_dates("Date 05/01/17 Time 13:45")] == [date(2017, 1, 5)]


@pytest.mark.parametrize("text, page_mark, value", [
    ("316,29", ".", "316.29"),      # a ringgit docket's full stop printed with a tail
    ("7,154,15", ".", "7154.15"),   # its thousands comma kept, its cents' stop read as a comma too
    ("48.90", ",", "48.90"),        # a German till's decimal comma read as a stop
    ("1.204.90", ",", "1204.90"),
])
def test_two_digits_after_the_other_mark_are_cents_not_a_thousands_group(text, page_mark, value):
    assert parse_amount(text, decimal=page_mark) == Decimal(value)
    assert find_amounts(f"TOTAL {text}", page_mark)[0][0] == Decimal(value)

