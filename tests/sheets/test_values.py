"""Amounts and dates as finance files write them (sheets.values)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from sheets.errors import ValueParseError
from sheets.values import is_blank, mask_value, parse_amount, parse_date, parse_datetime, signed_amount


@pytest.mark.parametrize("text, decimal, expected", [
    ("1,234.56", ".", "1234.56"),
    ("1.234,56", ",", "1234.56"),
    ("1 234,56", ",", "1234.56"),
    ("(1,234.56)", ".", "-1234.56"),
    ("（1,234.56）", ".", "-1234.56"),       # full-width brackets from Chinese systems
    ("-1,234.56", ".", "-1234.56"),
    ("1,234.56-", ".", "-1234.56"),          # SAP trailing minus
    ("¥1,234.56", ".", "1234.56"),
    ("￥1,234.56", ".", "1234.56"),
    ("-¥28.16", ".", "-28.16"),
    ("1,234.56元", ".", "1234.56"),
    ("CNY 1,234.56", ".", "1234.56"),
    ("USD -33.50", ".", "-33.50"),
    ("1,234.56 CR", ".", "1234.56"),
    ("1,234.56 DR", ".", "-1234.56"),
    ("1,234.56Dr", ".", "-1234.56"),
    ("借 100.00", ".", "-100.00"),
    ("13.40               \t", ".", "13.40"),  # ICBC tab-padded cell
    ("1'234.56", ".", "1234.56"),             # Swiss grouping
    ("１，２３４．５６", ".", "1234.56"),      # full-width digits
    ("1.234,56", "auto", "1234.56"),
    ("1,234.56", "auto", "1234.56"),
    ("12,5", "auto", "12.5"),
    ("0.1", ".", "0.1"),
])
def test_parse_amount_accepts_what_finance_systems_write(text, decimal, expected):
    result = parse_amount(text, decimal)
    assert isinstance(result, Decimal)
    assert result == Decimal(expected)


def test_parse_amount_from_float_cell_is_exact_not_binary():
    assert parse_amount(28.16) == Decimal("28.16")
    assert str(parse_amount(0.1)) == "0.1"
    assert parse_amount(1234) == Decimal(1234)


@pytest.mark.parametrize("text", ["1.234,56", "abc", "-", "", "1,2,3.4.5", "()", "¥", "12.34.56"])
def test_parse_amount_rejects_with_what_was_expected(text):
    with pytest.raises(ValueParseError) as caught:
        parse_amount(text)
    assert "1,234.56" in caught.value.expected


def test_parse_amount_rejects_bool_and_nan():
    for bad in (True, float("nan"), float("inf")):
        with pytest.raises(ValueParseError):
            parse_amount(bad)


def test_signed_amount_from_split_debit_credit_columns():
    assert signed_amount(debit="3.88", credit="") == Decimal("-3.88")
    assert signed_amount(debit="-", credit="10.00") == Decimal("10.00")
    assert signed_amount(debit=None, credit=None) == Decimal(0)


@pytest.mark.parametrize("value, dayfirst, expected", [
    ("2024-03-01", False, date(2024, 3, 1)),
    ("2024/03/01", False, date(2024, 3, 1)),
    ("01/03/2024", True, date(2024, 3, 1)),
    ("03/01/2024", False, date(2024, 3, 1)),
    ("01.03.2024", True, date(2024, 3, 1)),
    ("1/3/24", True, date(2024, 3, 1)),
    ("2024年3月1日", False, date(2024, 3, 1)),
    ("2024年03月01日 10:20:30", False, date(2024, 3, 1)),
    ("20240301", False, date(2024, 3, 1)),
    (45352, False, date(2024, 3, 1)),        # Excel serial
    (45352.75, False, date(2024, 3, 1)),
    ("45352", False, date(2024, 3, 1)),
    ("2025/12/03  14:06:51", False, date(2025, 12, 3)),
    ("1 Mar 2024", False, date(2024, 3, 1)),
    (datetime(2024, 3, 1, 9, 30), False, date(2024, 3, 1)),
    (date(2024, 3, 1), False, date(2024, 3, 1)),
])
def test_parse_date_accepts_finance_forms(value, dayfirst, expected):
    assert parse_date(value, dayfirst=dayfirst) == expected


def test_parse_datetime_keeps_time_of_day():
    assert parse_datetime("2019-09-26 12:45:27") == datetime(2019, 9, 26, 12, 45, 27)
    assert parse_datetime(45352.75) == datetime(2024, 3, 1, 18, 0)


def test_excel_serial_dates_around_the_1900_leap_year_bug():
    assert parse_date(1) == date(1900, 1, 1)
    assert parse_date(59) == date(1900, 2, 28)
    assert parse_date(61) == date(1900, 3, 1)


def test_slash_date_contradicting_dayfirst_is_an_error_not_a_guess():
    with pytest.raises(ValueParseError, match="dayfirst: true"):
        parse_date("15/12/2018", dayfirst=False)
    with pytest.raises(ValueParseError, match="dayfirst: false"):
        parse_date("12/15/2018", dayfirst=True)


@pytest.mark.parametrize("bad", ["2024-02-30", "hello", "March", "", True, "2024-03-01 25:00"])
def test_parse_date_rejects_impossible_dates(bad):
    with pytest.raises(ValueParseError):
        parse_date(bad)


def test_mask_value_shows_only_the_ends():
    assert mask_value("6222021234561234") == "6222********1234"
    assert mask_value("110101199001011234") == "1101**********1234"
    assert mask_value(6222021234561234) == "6222********1234"
    short = mask_value("123456")
    assert short.count("*") >= 3 and len(short) == 6
    assert mask_value(None) == ""


def test_blank_markers():
    assert all(is_blank(v) for v in (None, "", "  \t", "-", "--", "/", float("nan")))
    assert not any(is_blank(v) for v in ("0", 0, "x", "-1"))


from hypothesis import given, settings, strategies as st  # noqa: E402

money = st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False,
                    allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(amount=money, style=st.sampled_from(["plain", "grouped", "paren", "crdr", "yen", "yuan", "comma", "trailing"]))
def test_any_written_amount_parses_back_exactly(amount, style):
    grouped = f"{abs(amount):,.2f}"
    sign = "-" if amount < 0 else ""
    text, decimal = {
        "plain": (f"{amount:.2f}", "."),
        "grouped": (sign + grouped, "."),
        "paren": (f"({grouped})" if amount < 0 else grouped, "."),
        "crdr": (f"{grouped} {'DR' if amount < 0 else 'CR'}", "."),
        "yen": (f"{sign}¥{grouped}", "."),
        "yuan": (f"{sign}{grouped}元", "."),
        "comma": (sign + grouped.replace(",", " ").replace(".", ","), ","),
        "trailing": (grouped + ("-" if amount < 0 else ""), "."),
    }[style]
    assert parse_amount(text, decimal) == amount


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=date(1900, 3, 1), max_value=date(2199, 12, 31)), dayfirst=st.booleans())
def test_any_date_written_in_finance_forms_parses_back(day, dayfirst):
    slash = day.strftime("%d/%m/%Y" if dayfirst else "%m/%d/%Y")
    serial = (day - date(1899, 12, 30)).days
    for text in (day.isoformat(), slash, f"{day.year}年{day.month}月{day.day}日", serial):
        assert parse_date(text, dayfirst=dayfirst) == day
