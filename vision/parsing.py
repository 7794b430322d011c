"""Values out of text: amounts, dates, currencies, invoice numbers; EN / DE / CN spellings.

Every parser returns the value and a certainty in 0..1 (1 = unambiguous), so a field's
confidence can say "the OCR was sure but the date could be 03/04 or 04/03".
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

CURRENCY_SYMBOLS = {
    "$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "CNY", "￥": "CNY", "₹": "INR", "Rs": "INR",
    "Rs.": "INR", "元": "CNY", "人民币": "CNY", "RMB": "CNY", "HK$": "HKD", "₩": "KRW",
}
ISO_CURRENCIES = ("USD", "EUR", "GBP", "CNY", "RMB", "INR", "JPY", "HKD", "CHF", "SGD", "AUD", "CAD", "KRW", "TWD")
CURRENCY_WORDS = {"us dollars": "USD", "euro": "EUR", "rupees": "INR", "人民币": "CNY", "yuan": "CNY"}

_SYMBOL_RE = r"(?:US\$|HK\$|Rs\.?|RMB|USD|EUR|GBP|CNY|INR|JPY|HKD|CHF|SGD|AUD|CAD|[$€£¥￥₹])"
MONEY_RE = re.compile(
    rf"(?P<pre>{_SYMBOL_RE})?\s?(?P<sign>[-−])?\s?"
    r"(?P<num>\d{1,3}(?:[,.' \u00a0]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)"
    rf"(?!\d)(?P<pct>\s?%)?(?:\s?(?P<post>{_SYMBOL_RE}|元))?"
)


def parse_amount(text: str, decimal: str | None = None) -> Decimal | None:
    """'1,234.50' / '1.234,50' / '34,73' / '1 939' -> Decimal; None when it is not a number.

    ``decimal`` ('.' or ',') forces the decimal separator (from a vendor template)."""
    s = text.strip().replace("\u00a0", " ").replace("−", "-")
    negative = s.startswith("-") or (s.startswith("(") and s.endswith(")"))
    s = re.sub(r"[^\d.,' ]", "", s).strip().replace("'", "").replace(" ", "")
    if not s or not any(c.isdigit() for c in s):
        return None
    if decimal is None:
        if "," in s and "." in s:
            decimal = "," if s.rfind(",") > s.rfind(".") else "."
        elif "," in s:
            decimal = "," if re.search(r",\d{1,2}$", s) else "."
        else:
            decimal = "," if re.fullmatch(r"\d{1,3}(\.\d{3})+", s) else "."
            if decimal == ",":  # 1.234 with a dot is a thousands group only in comma locales
                decimal = "."
    thousands = "." if decimal == "," else ","
    s = s.replace(thousands, "")
    if decimal == ",":
        s = s.replace(",", ".")
    if s.count(".") > 1:
        return None
    try:
        value = Decimal(s)
    except InvalidOperation:
        return None
    return -value if negative else value


def find_amounts(text: str, decimal: str | None = None) -> list[tuple[Decimal, str | None, int, int]]:
    """Every amount in ``text``: (value, currency or None, start, end); percentages are skipped."""
    found = []
    for m in MONEY_RE.finditer(text):
        if m.group("pct"):
            continue
        num = m.group("num")
        # "2014" after a month name, phone numbers etc. are not money; amounts have decimals,
        # a currency mark, or stand alone
        value = parse_amount(("-" if m.group("sign") else "") + num, decimal)
        if value is None:
            continue
        symbol = m.group("pre") or m.group("post")
        found.append((value, currency_of(symbol) if symbol else None, m.start("num"), m.end()))
    return found


def currency_of(symbol: str) -> str | None:
    symbol = symbol.strip()
    if symbol.upper() in ISO_CURRENCIES:
        return "CNY" if symbol.upper() == "RMB" else symbol.upper()
    return CURRENCY_SYMBOLS.get(symbol)


def detect_currency(text: str) -> tuple[str | None, float]:
    """The document's currency from ISO codes, symbols and words, with a certainty."""
    counts: dict[str, int] = {}
    for code in ISO_CURRENCIES:
        n = len(re.findall(rf"(?<![A-Za-z]){code}(?![A-Za-z])", text))
        if n:
            key = "CNY" if code == "RMB" else code
            counts[key] = counts.get(key, 0) + 3 * n
    for symbol, code in CURRENCY_SYMBOLS.items():
        if symbol in ("Rs", "Rs."):
            n = len(re.findall(r"(?<![A-Za-z])Rs\.?\s?-?\d", text))
        elif symbol in ("元", "人民币"):
            n = len(re.findall(rf"\d\s?{symbol}|{symbol}", text))
        else:
            n = text.count(symbol)
        if n:
            counts[code] = counts.get(code, 0) + n
    low = text.lower()
    for word, code in CURRENCY_WORDS.items():
        if word in low:
            counts[code] = counts.get(code, 0) + 2
    if not counts:
        return None, 0.0
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    best, score = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    return best, 0.95 if score >= 2 * max(runner_up, 1) else 0.7


MONTHS = {
    "jan": 1, "january": 1, "januar": 1, "janvier": 1, "jän": 1,
    "feb": 2, "february": 2, "februar": 2, "février": 2,
    "mar": 3, "march": 3, "märz": 3, "maerz": 3, "mars": 3, "mrz": 3,
    "apr": 4, "april": 4, "avril": 4,
    "may": 5, "mai": 5,
    "jun": 6, "june": 6, "juni": 6, "juin": 6,
    "jul": 7, "july": 7, "juli": 7, "juillet": 7,
    "aug": 8, "august": 8, "août": 8,
    "sep": 9, "sept": 9, "september": 9, "septembre": 9,
    "oct": 10, "october": 10, "okt": 10, "oktober": 10, "octobre": 10,
    "nov": 11, "november": 11, "novembre": 11,
    "dec": 12, "december": 12, "dez": 12, "dezember": 12, "décembre": 12,
}
_MONTH_RE = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_DATE_PATTERNS = [
    ("cn", re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日?")),
    ("iso", re.compile(r"(?<!\d)(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)")),
    ("mdy_name", re.compile(rf"(?P<mon>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s*(?P<y>\d{{4}})", re.I)),
    ("dmy_name", re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\.?[\s-]*(?P<mon>{_MONTH_RE})\.?[\s,-]*(?P<y>\d{{4}}|\d{{2}})(?!\d)", re.I)),
    ("numeric", re.compile(r"(?<![\d.])(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>\d{4}|\d{2})(?![\d])")),
]


def _year(text: str) -> int:
    y = int(text)
    return y + 2000 if y < 100 else y


def find_dates(text: str, day_first: bool | None = None) -> list[tuple[date, float, int, int]]:
    """Every date in ``text``: (date, certainty, start, end). Numeric dates default to day-first
    unless the numbers or ``day_first=False`` say otherwise; an undecidable one is marked 0.7."""
    out = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            try:
                certainty = 1.0
                if kind in ("cn", "iso"):
                    value = date(int(m["y"]), int(m["m"]), int(m["d"]))
                elif kind in ("mdy_name", "dmy_name"):
                    value = date(_year(m["y"]), MONTHS[m["mon"].lower()], int(m["d"]))
                else:
                    a, b, y = int(m["a"]), int(m["b"]), _year(m["y"])
                    if a > 12:
                        value = date(y, b, a)
                    elif b > 12:
                        value = date(y, a, b)
                    else:
                        first = True if day_first is None else day_first
                        value = date(y, b, a) if first else date(y, a, b)
                        certainty = 1.0 if a == b or day_first is not None else 0.7
            except (ValueError, KeyError):
                continue
            if not 1990 <= value.year <= 2100:
                continue
            taken.append((m.start(), m.end()))
            out.append((value, certainty, m.start(), m.end()))
    out.sort(key=lambda t: t[2])
    return out


INVOICE_NUMBER_RE = re.compile(r"#?\s?[A-Za-z0-9][A-Za-z0-9_\-/.]{1,39}")


def parse_invoice_number(text: str) -> str | None:
    """The first token that looks like an invoice number: has a digit, no spaces."""
    text = text.strip().lstrip(":：").strip()
    hash_prefix = text.startswith("#")
    if hash_prefix:
        text = text[1:].strip()
    for token in re.split(r"[\s,;]+", text):
        token = token.strip("()[]:：.").strip()
        if not token:
            continue
        if any(c.isdigit() for c in token) and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_\-/.]{1,39}", token):
            return ("#" + token) if hash_prefix else token
        if not re.fullmatch(r"(No|NO|no|Nr|#)\.?", token):
            return None
    return None
