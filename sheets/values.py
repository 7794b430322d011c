"""Cell values as finance files write them: exact amounts and calendar dates.

    from sheets.values import parse_amount, parse_date, mask_value

    parse_amount("1,234.56")               # Decimal('1234.56')
    parse_amount("1.234,56", decimal=",")  # Decimal('1234.56')
    parse_amount("(1,234.56)")             # Decimal('-1234.56')  accounting negative
    parse_amount("¥1,234.56") == parse_amount("1,234.56元") == parse_amount("CNY 1234.56")
    parse_amount("1,234.56 DR")            # Decimal('-1234.56')  CR/DR, 借/贷 markers
    parse_amount("1,234.56-")              # Decimal('-1234.56')  trailing minus (SAP)
    parse_amount("13.40      \\t")          # tab-padded cells (ICBC) are fine
    parse_amount(28.16)                    # Decimal('28.16') from a float cell, never 28.15999…
    signed_amount(debit="3.88", credit="") # Decimal('-3.88')  split debit/credit columns

    parse_date("2024-03-01")                        # date(2024, 3, 1)
    parse_date("01/03/2024", dayfirst=True)         # date(2024, 3, 1)
    parse_date("2024年3月1日")                      # date(2024, 3, 1)
    parse_date(45352)                               # Excel serial -> date(2024, 3, 1)
    parse_date("2025/12/03  14:06:51")              # date(2025, 12, 3); parse_datetime keeps the time

    mask_value("6222021234561234")         # '6222********1234'

Signatures (stable; other packages call them):

- ``parse_amount(value, decimal=".", *, markers=True) -> Decimal``. ``decimal`` is the
  decimal mark, ``"."`` or ``","``, or ``"auto"`` (the last of ``.``/``,`` is the decimal mark
  when both occur; a lone ``,`` followed by exactly 3 digits is a thousands separator).
  Amounts never pass through float: a float cell is converted via its shortest repr.
- ``signed_amount(debit=None, credit=None, decimal=".") -> Decimal``: credit minus debit,
  blanks (``""``, ``-``, ``/``) count as zero.
- ``parse_date(value, dayfirst=False) -> date`` and ``parse_datetime(value, dayfirst=False)
  -> datetime``. Slash/dot dates that contradict ``dayfirst`` (``15/12/2018`` month-first)
  raise rather than guess; two-digit years mean 20xx below 70, 19xx otherwise.
- ``is_blank(value) -> bool``: empty, NaN, or a placeholder banks print for "nothing"
  (``-``, ``--``, ``/``, ``—``).
- ``mask_value(value, keep_start=4, keep_end=4, char="*") -> str``.
- ``excel_serial_to_datetime(number) -> datetime`` (1900 date system, Lotus leap-year bug).

Every parse failure raises ``sheets.errors.ValueParseError`` (a ValueError) whose message
says what was expected.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sheets.errors import ValueParseError

__all__ = [
    "parse_amount", "signed_amount", "parse_date", "parse_datetime", "is_blank", "mask_value",
    "excel_serial_to_datetime", "BLANK_MARKERS",
]

#: cell texts banks print where there is no value
BLANK_MARKERS = frozenset({"", "-", "--", "---", "—", "–", "/", "\\", "null", "NULL", "None", "nan", "NaN", "N/A", "n/a"})

_CURRENCY_SIGNS = "¥￥$€£₩₹₽฿₫₱"
_CURRENCY_WORDS = ("元", "圆", "人民币", "RMB", "CNY", "USD", "EUR", "GBP", "JPY", "HKD", "CHF", "AUD", "CAD", "SGD")
#: CR/DR (and 借 debit / 贷 credit) after or before the number: a debit is money going out
_MARKER_RE = re.compile(
    r"^(?P<body>.*?)[\s]*(?P<marker>CR|DR|DB|Cr|Dr|cr|dr|借|贷)\.?$|^(?P<marker2>CR|DR|Cr|Dr|借|贷)[\s:：]*(?P<body2>.*)$")
_PLAIN = {
    ".": re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$"),
    ",": re.compile(r"^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$"),
}
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f\u3000']+")


def is_blank(value: Any) -> bool:
    """True for None, NaN, empty text and the placeholders banks print for 'no value'."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return value.strip() in BLANK_MARKERS
    try:  # pandas.NA / NaT without importing pandas
        return bool(value != value)
    except (TypeError, ValueError):
        return False


def _clean_text(value: str) -> str:
    # NFKC folds full-width digits, commas and parentheses (１，２３４．５６) to ASCII
    return unicodedata.normalize("NFKC", value).strip()


def parse_amount(value: Any, decimal: str = ".", *, markers: bool = True) -> Decimal:
    """An exact Decimal from a money cell; see the module docstring for the forms accepted."""
    if isinstance(value, bool):
        raise ValueParseError(f"{value!r} is not an amount", value=value, expected="an amount such as 1,234.56")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueParseError(f"{value} is not an amount", value=value, expected="a finite amount")
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueParseError(f"{value!r} is not an amount", value=value, expected="an amount such as 1,234.56")
        return Decimal(int(value)) if value.is_integer() and abs(value) < 2**53 else Decimal(repr(value))
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return parse_amount(value.item(), decimal, markers=markers)
    if not isinstance(value, str):
        raise ValueParseError(f"{value!r} is not an amount", value=value, expected="an amount such as 1,234.56")
    if decimal not in (".", ",", "auto"):
        raise ValueError(f"decimal must be '.', ',' or 'auto', not {decimal!r}")
    plain = _PLAIN.get(decimal)
    if plain is not None and plain.match(value):  # the common "-1,234.56": no cleaning needed
        return Decimal(value.replace(",", "") if decimal == "." else value.replace(".", "").replace(",", "."))
    text = _clean_text(value)
    if not text:
        raise ValueParseError("empty cell where an amount was expected", value=value, expected="an amount such as 1,234.56")
    negative = False
    if markers:
        found = _MARKER_RE.match(text)
        if found:
            marker = found.group("marker") or found.group("marker2")
            body = found.group("body") if found.group("marker") else found.group("body2")
            if body.strip():
                text = body.strip()
                negative = marker.upper() in ("DR", "DB", "借")
    text, negative = _strip_sign_and_currency(text, negative, value)
    number = _digits(text, decimal, value)
    return -number if negative else number


def _strip_sign_and_currency(text: str, negative: bool, original: Any) -> tuple[str, bool]:
    for _ in range(4):  # signs, brackets and currency can nest in any order: "-¥(1.00)"
        before = text
        if text.startswith("(") and text.endswith(")"):
            text, negative = text[1:-1].strip(), not negative
        if not text:
            break
        if text[:1] in "+-−":
            negative ^= text[0] in "-−"
            text = text[1:].strip()
        elif text[-1:] in "+-−" and len(text) > 1:
            negative ^= text[-1] in "-−"
            text = text[:-1].strip()
        text = text.strip(_CURRENCY_SIGNS).strip()
        for word in _CURRENCY_WORDS:
            if text.startswith(word):
                text = text[len(word):].strip()
            if text.endswith(word):
                text = text[: -len(word)].strip()
        if text == before:
            break
    if not text:
        raise ValueParseError(f"{original!r} has no digits", value=original, expected="an amount such as 1,234.56")
    return text, negative


_GROUPED = {
    ".": re.compile(r"^\d{1,3}(?:[, ]\d{2,3})*(?:\.\d+)?$|^\d+(?:\.\d+)?$|^\.\d+$"),
    ",": re.compile(r"^\d{1,3}(?:[. ]\d{3})*(?:,\d+)?$|^\d+(?:,\d+)?$|^,\d+$"),
}


def _digits(text: str, decimal: str, original: Any) -> Decimal:
    compact = _SPACES.sub(" ", text).strip()
    if decimal == "auto":
        decimal = _guess_decimal_mark(compact)
    if not _GROUPED[decimal].match(compact):
        example = "1,234.56" if decimal == "." else "1.234,56"
        raise ValueParseError(f"{original!r} is not an amount written with decimal mark {decimal!r}",
                              value=original, expected=f"an amount such as {example}")
    if decimal == ",":
        compact = compact.replace(".", "").replace(" ", "").replace(",", ".")
    else:
        compact = compact.replace(",", "").replace(" ", "")
    try:
        return Decimal(compact)
    except InvalidOperation:  # pragma: no cover - the pattern above admits only digits
        raise ValueParseError(f"{original!r} is not an amount", value=original, expected="an amount") from None


def _guess_decimal_mark(text: str) -> str:
    last_dot, last_comma = text.rfind("."), text.rfind(",")
    if last_dot >= 0 and last_comma >= 0:
        return "." if last_dot > last_comma else ","
    if last_comma >= 0:
        tail = text[last_comma + 1:]
        return "." if (len(tail) == 3 and text.count(",") >= 1 and tail.isdigit()) else ","
    return "."


def signed_amount(debit: Any = None, credit: Any = None, decimal: str = ".") -> Decimal:
    """Credit minus debit for statements that split money in and out into two columns."""
    total = Decimal(0)
    if not is_blank(credit):
        total += abs(parse_amount(credit, decimal))
    if not is_blank(debit):
        total -= abs(parse_amount(debit, decimal))
    return total


# ---- dates ---------------------------------------------------------------------------------

_EXCEL_EPOCH = datetime(1899, 12, 30)
_MAX_SERIAL = 2958465  # 9999-12-31
_ISO = re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?:[T\s]+(?P<time>.*))?$")
_CJK = re.compile(r"^(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?(?:\s*(?P<time>.*))?$")
_NUMERIC = re.compile(r"^(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>\d{4}|\d{2})(?:[T\s]+(?P<time>.*))?$")
_COMPACT = re.compile(r"^(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})(?:[T\s]*(?P<time>\d{2}:?\d{2}(?::?\d{2})?))?$")
_TIME = re.compile(r"^(?P<H>\d{1,2})[:时](?P<M>\d{2})(?:[:分](?P<S>\d{2})(?:[.,](?P<f>\d{1,6}))?)?秒?\s*(?P<z>Z|[+-]\d{2}:?\d{2})?$")
_MONTH_WORD = re.compile(r"[A-Za-z]{3,}")


def excel_serial_to_datetime(number: float) -> datetime:
    """The datetime an Excel serial number shows in the 1900 date system."""
    if isinstance(number, bool) or not (1 <= float(number) <= _MAX_SERIAL):
        raise ValueParseError(f"{number!r} is not an Excel date serial", value=number,
                              expected="an Excel date number between 1 and 2958465")
    number = float(number)
    if number < 61:  # Excel counts a 29 Feb 1900 that never existed
        number += 1
    return _EXCEL_EPOCH + timedelta(days=number)


def parse_date(value: Any, dayfirst: bool = False) -> date:
    """A calendar date from a date cell, text in the usual finance forms, or an Excel serial."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_datetime(value, dayfirst).date()


def parse_datetime(value: Any, dayfirst: bool = False) -> datetime:
    """Like ``parse_date`` but keeps a time of day when the value has one (else midnight)."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if hasattr(value, "to_pydatetime"):  # pandas.Timestamp
        return value.to_pydatetime()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueParseError(f"{value!r} is not a date", value=value, expected=_DATE_FORMS)
        return excel_serial_to_datetime(value)
    if hasattr(value, "item") and not isinstance(value, str):
        return parse_datetime(value.item(), dayfirst)
    if not isinstance(value, str):
        raise ValueParseError(f"{value!r} is not a date", value=value, expected=_DATE_FORMS)
    text = _clean_text(value)
    if not text:
        raise ValueParseError("empty cell where a date was expected", value=value, expected=_DATE_FORMS)
    found = _ISO.match(text) or _CJK.match(text)
    if found:
        return _build(value, int(found["y"]), int(found["m"]), int(found["d"]), found["time"])
    found = _NUMERIC.match(text)
    if found:
        first, second = int(found["a"]), int(found["b"])
        day, month = (first, second) if dayfirst else (second, first)
        if month > 12:
            order = "day-first (dd/mm/yyyy)" if dayfirst else "month-first (mm/dd/yyyy)"
            raise ValueParseError(
                f"{value!r} is not a valid {order} date; set dayfirst: {str(not dayfirst).lower()} if the file"
                " writes dates the other way round", value=value, expected=f"a {order} date")
        year = int(found["y"])
        if len(found["y"]) == 2:
            year += 2000 if year < 70 else 1900
        return _build(value, year, month, day, found["time"])
    found = _COMPACT.match(text)
    if found:
        return _build(value, int(found["y"]), int(found["m"]), int(found["d"]), found["time"])
    if re.fullmatch(r"\d{1,7}(?:\.\d+)?", text):
        return excel_serial_to_datetime(float(text))
    if _MONTH_WORD.search(text):
        return _month_name_date(value, text, dayfirst)
    raise ValueParseError(f"{value!r} is not a date", value=value, expected=_DATE_FORMS)


_DATE_FORMS = "a date such as 2024-03-01, 01/03/2024, 2024年3月1日 or an Excel date"


def _build(original: Any, year: int, month: int, day: int, time_text: str | None) -> datetime:
    try:
        result = datetime(year, month, day)
    except ValueError as exc:
        raise ValueParseError(f"{original!r} is not a real date ({exc})", value=original, expected=_DATE_FORMS) from None
    if time_text and time_text.strip():
        found = _TIME.match(time_text.strip())
        if not found:
            raise ValueParseError(f"{original!r} has an unreadable time of day", value=original,
                                  expected="a time such as 14:06:51")
        try:
            result = result.replace(hour=int(found["H"]), minute=int(found["M"]), second=int(found["S"] or 0),
                                    microsecond=int((found["f"] or "0").ljust(6, "0")))
        except ValueError as exc:
            raise ValueParseError(f"{original!r} has an impossible time ({exc})", value=original,
                                  expected="a time such as 14:06:51") from None
    return result


def _month_name_date(original: Any, text: str, dayfirst: bool) -> datetime:
    from dateutil import parser as dateparser

    try:
        parsed = dateparser.parse(text, dayfirst=dayfirst, default=datetime(1, 1, 1))
    except (ValueError, OverflowError):
        raise ValueParseError(f"{original!r} is not a date", value=original, expected=_DATE_FORMS) from None
    if parsed.year == 1:  # dateutil filled in a year the text never gave
        raise ValueParseError(f"{original!r} has no year", value=original, expected=_DATE_FORMS)
    return parsed.replace(tzinfo=None) if parsed.tzinfo is None else parsed


# ---- masking -------------------------------------------------------------------------------

def mask_value(value: Any, keep_start: int = 4, keep_end: int = 4, char: str = "*") -> str:
    """Hide the middle of an account or ID number: ``6222021234561234`` -> ``6222********1234``.

    Short values keep less, so that at least half of the characters are always hidden.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if not text:
        return ""
    length = len(text)
    while keep_start + keep_end > length // 2 and (keep_start or keep_end):
        if keep_start >= keep_end and keep_start:
            keep_start -= 1
        else:
            keep_end -= 1
    return text[:keep_start] + char * (length - keep_start - keep_end) + (text[length - keep_end:] if keep_end else "")
