"""Values out of text: amounts, dates, currencies, invoice numbers, in any language of the lexicons.

Every parser returns the value and a certainty in 0..1 (1 = unambiguous), so a field's
confidence can say "the OCR was sure but the date could be 03/04 or 04/03".
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from decimal import Decimal, InvalidOperation

CURRENCY_SYMBOLS = {
    "$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "CNY", "￥": "CNY", "₹": "INR", "Rs": "INR",
    "Rs.": "INR", "元": "CNY", "人民币": "CNY", "RMB": "CNY", "HK$": "HKD", "₩": "KRW", "zł": "PLN", "RM": "MYR",
    # złoty in a font without ł, or read by a Latin OCR model that does not know the letter
    "zl": "PLN", "zt": "PLN",
    # koruna the same way, its háček lost: '18 718,00 Kc'
    "Kc": "CZK",
    "A$": "AUD", "C$": "CAD", "S$": "SGD", "Kč": "CZK", "Ft": "HUF", "R$": "BRL",
    # a dollar named by two letters of its country: the last letter and $ alone name another one
    # (CA$ is not A$, NZ$ is not $)
    "CA$": "CAD", "AU$": "AUD", "NZ$": "NZD", "SG$": "SGD",
}
ISO_CURRENCIES = ("USD", "EUR", "GBP", "CNY", "RMB", "INR", "JPY", "HKD", "CHF", "SGD", "AUD", "CAD", "KRW", "TWD",
                  "PLN", "SEK", "NOK", "DKK", "CZK", "HUF", "RON", "MYR", "BRL", "NZD", "ZAR", "MXN", "AED")
CURRENCY_WORDS = {"us dollars": "USD", "euro": "EUR", "euros": "EUR", "rupees": "INR", "人民币": "CNY", "yuan": "CNY",
                  "złotych": "PLN", "zloty": "PLN", "ringgit": "MYR"}

_SYMBOL_RE = (r"(?:US\$|HK\$|CA\$|AU\$|NZ\$|SG\$|A\$|C\$|S\$|R\$|Rs\.?|RMB|USD|EUR|GBP|CNY|INR|JPY|HKD|CHF|SGD|AUD|CAD|PLN|SEK|NOK|DKK|CZK|"
              r"HUF|MYR|zł|z\u0142|(?<![^\W\d_])z[lt](?![^\W\d_])|Kč|(?<![^\W\d_])Kc(?![^\W\d_])|RM(?=\s?\d)|[$€£¥￥₹])")
MONEY_RE = re.compile(
    # accounting prints a negative amount in brackets: (8,558.36), £(8,558.36), (£8,558.36)
    rf"(?P<open>\(\s?(?=[\d$€£¥￥₹A-Z]))?(?P<pre>{_SYMBOL_RE})?\s?(?P<open2>(?(open)(?!)|\()\s?)?(?P<sign>[-−])?\s?"
    # Indian digit groups first (1,23,456.78: thousands, then lakhs and crores in pairs)
    # (thousands grouped by spaces only from a number standing apart or after its currency: 'GS5
    # 364.35', a label's last letter read as a digit, is no 5,364.35)
    r"(?P<num>\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d{1,2})?|(?(pre)|(?<![^\W\d_]))\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:[.,]\d{1,2})?"
    r"|\d{1,3}(?:[,.'\u00a0\u202f\u2009]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)"
    rf"(?!\d)(?P<pct>\s?%)?(?:\s?(?P<post>{_SYMBOL_RE}|元))?(?P<close>(?(open)\s?\)|(?(open2)\s?\))))?"
)


def parse_amount(text: str, decimal: str | None = None) -> Decimal | None:
    """'1,234.50' / '1.234,50' / '34,73' / '1 939' -> Decimal; None when it is not a number.

    ``decimal`` ('.' or ',') forces the decimal separator (from a vendor template)."""
    # French typesetting groups thousands with a narrow no-break space (1\u202f234,56 €)
    s = text.strip().replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ").replace("−", "-")
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
    elif len(s) > 3 and s[-3] in ".," and s[-3] != decimal and decimal not in s and s[-2:].isdigit():
        # the page's decimal mark read as the other one ('316,29', '7,154,15' on a page of dots, a
        # dot-matrix full stop with a tail): thousands are grouped by three, two digits are cents
        s = s[:-3].replace(s[-3], "") + decimal + s[-2:]
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


#: a hyphen joining digits: what ends before a number (its sign would be that hyphen) or starts after it
_HYPHEN_BEFORE = re.compile(r"\d[-−]$")
_HYPHEN_AFTER = re.compile(r"[-−]\d")


def find_amounts(text: str, decimal: str | None = None) -> list[tuple[Decimal, str | None, int, int]]:
    """Every amount in ``text``: (value, currency or None, start, end); percentages are skipped."""
    found = []
    for m in MONEY_RE.finditer(text):
        if m.group("pct"):
            continue
        num = m.group("num")
        if _HYPHEN_BEFORE.search(text, 0, m.start("num")) or _HYPHEN_AFTER.match(text, m.end("num")):
            continue  # a piece of '03-4147-5315' (a phone number, a reference, a range): no money
        # "2014" after a month name, phone numbers etc. are not money; amounts have decimals,
        # a currency mark, or stand alone
        value = parse_amount(("-" if m.group("sign") else "") + num, decimal)
        if value is None:
            continue
        if m.group("close") and value > 0 and (m.group("pre") or m.group("post") or re.search(r"[.,]\d{2}$", num)):
            # in brackets, with cents or a currency: a negative amount; "(2)" or "(2019)" stay what they are
            value = -value
        symbol = m.group("pre") or m.group("post")
        end = m.end() if value < 0 or not m.group("close") else m.start("close")
        found.append((value, currency_of(symbol) if symbol else None, m.start("num"), end))
    return found


def currency_of(symbol: str) -> str | None:
    symbol = symbol.strip()
    if symbol.upper() in ISO_CURRENCIES:
        return "CNY" if symbol.upper() == "RMB" else symbol.upper()
    return CURRENCY_SYMBOLS.get(symbol)


# the currency of the country a seller's tax id belongs to (EU VAT ids carry the country first)
TAX_ID_CURRENCY = {**{c: "EUR" for c in ("AT", "BE", "CY", "DE", "EE", "EL", "ES", "FI", "FR", "HR", "IE", "IT", "LT",
                                         "LU", "LV", "MT", "NL", "PT", "SI", "SK")},
                   "BG": "BGN", "CZ": "CZK", "DK": "DKK", "HU": "HUF", "PL": "PLN", "RO": "RON", "SE": "SEK",
                   "GB": "GBP", "CHE": "CHF"}
_GSTIN = re.compile(r"(?<![0-9A-Z])\d{2}[A-Z]{5}\d{4}[A-Z][0-9A-Z]Z[0-9A-Z](?![0-9A-Z])")
#: the taxes of India's GST, which no other country levies: central, state, integrated and union
#: territory GST ('CGST @ 9%', 'IGST 18%'); a scan that lost the ₹ still prints them
_INDIAN_GST = re.compile(r"(?<![A-Za-z])(?:CGST|SGST|IGST|UTGST)(?![A-Za-z])")
_VAT_ID = re.compile(r"(?<![A-Za-z])(CHE|[A-Z]{2})[\s.-]?(?=[0-9A-Z\s.-]{8,})\d")


#: the figure of an exchange rate: three decimals or more ('4,3321', '24,315'), no thousands group
_RATE = re.compile(r"(?<![\d.,])\d{1,3}[.,]\d{3,6}(?![\d.,])|\d\s?[A-Z]{3}\s?=")


def exchange_rate_currencies(text: str) -> set[str]:
    """The currencies named on a line that prints an exchange rate between two of them ('Kurs NBP
    EUR z dnia 2026-09-28: 4,3321 PLN', '1 EUR = 24,315 CZK'): an invoice in one currency that
    restates its tax in the local one, as Polish, Czech and Hungarian law ask."""
    out: set[str] = set()
    for line in text.splitlines():
        if not _RATE.search(line):
            continue
        codes = {"CNY" if m.group(0) == "RMB" else m.group(0)
                 for m in re.finditer(r"(?<![A-Za-z])(?:" + "|".join(ISO_CURRENCIES) + r")(?![A-Za-z])", line)}
        if len(codes) >= 2:
            out |= codes
    return out


#: the dollars other than the US one (A$, C$, S$ …): a bare $ is their mark as much as the US dollar's
OTHER_DOLLARS = frozenset(code for mark, code in CURRENCY_SYMBOLS.items() if mark.endswith("$") and code != "USD") \
    & frozenset(ISO_CURRENCIES)


def currency_named(text: str, code: str) -> bool:
    """Does the text name the currency in letters (its ISO code or its word), not only by a mark
    like $, ¥ or ₹ that OCR can mistake for another one?"""
    codes = ("CNY", "RMB") if code == "CNY" else (code,)
    if any(re.search(rf"(?<![A-Za-z]){c}(?![A-Za-z])", text) for c in codes):
        return True
    low = text.lower()
    return any(word in low for word, c in CURRENCY_WORDS.items() if c == code)


#: Malaysia's GST registration number, 12 digits after 'GST ID' or 'GST REG NO' (2015-2018; dot-matrix
#: print reads a 0 as O or G, a 5 as S, an 8 as B), and its sales and service tax number (SST No.
#: W10-1808-31001234, since 2018)
MALAYSIAN_GST_ID = r"\bGST\b[^\n\d]{0,24}(?<![\dBOSG])(?=(?:[BOSG]?\d){8})[\dBOSG]{12}(?![\dBOSG])"
_MALAYSIAN_TAX_ID = re.compile(MALAYSIAN_GST_ID + r"|\bSST\b[^\n\d]{0,24}(?<![A-Z\d])[A-Z]\d{2}-\d{4}-\d{8}(?!\d)", re.I)


def tax_id_currency(labelled: list[str], anywhere: str) -> str | None:
    """The currency of the seller's country by its tax ids: GSTIN (India; or a tax only India's GST
    levies, CGST, SGST, IGST) or a Malaysian GST or SST number anywhere, an EU or UK VAT id after
    a tax-id label, 统一社会信用代码 (China). None when there is none or they disagree."""
    found = set()
    if _GSTIN.search(anywhere) or _INDIAN_GST.search(anywhere):
        found.add("INR")
    if _MALAYSIAN_TAX_ID.search(anywhere):
        found.add("MYR")
    for text in labelled:
        if re.search(r"统一社会信用代码|纳税人识别号", text):
            found.add("CNY")
        for m in _VAT_ID.finditer(text):
            if m.group(1) in TAX_ID_CURRENCY:
                found.add(TAX_ID_CURRENCY[m.group(1)])
        for pattern, code in _DOLLAR_TAX_IDS:
            if pattern.search(text):
                found.add(code)
    return found.pop() if len(found) == 1 else None


#: a tax the United States does not levy, named on the page: goods and services tax (Australia,
#: Singapore, New Zealand, India, Canada, Malaysia 2015-2018) or value added tax. The US charges
#: sales tax, so a bare $ beside one of these is another country's dollar
_TAX_NOT_LEVIED_IN_US = re.compile(r"(?<![A-Za-z])(?:GST|VAT)(?![A-Za-z])|goods\s+(?:and|&)\s+services?\s+tax"
                                   r"|value[\s-]+added\s+tax", re.I)
_SALES_TAX = re.compile(r"(?<![A-Za-z])sales\s+tax(?![A-Za-z])", re.I)


def names_tax_not_levied_in_us(text: str) -> bool:
    """Does the page name GST or VAT, and no sales tax (Canada's provinces add one to GST)?"""
    return bool(_TAX_NOT_LEVIED_IN_US.search(text)) and not _SALES_TAX.search(text)


#: the registrations of countries that write their own dollar as a bare $: an Australian Business
#: Number (11 digits), a Singapore UEN, a Canadian business number's GST/HST account (RT0001)
_DOLLAR_TAX_IDS = ((re.compile(r"(?<![A-Za-z])ABN[\s:.#]*\d{2}\s?\d{3}\s?\d{3}\s?\d{3}(?!\d)"), "AUD"),
                   (re.compile(r"(?<![A-Za-z])UEN[\s:.#]*(?:\d{8,9}|[TSR]\d{2}[A-Z]{2}\d{4})[A-Z](?![A-Za-z0-9])"), "SGD"),
                   (re.compile(r"\d{9}\s?RT\s?\d{4}(?!\d)"), "CAD"))


# ¥ is the yen's sign as much as the yuan's: a page that is Japanese (kana, 株式会社, 御中, an era
# year, 消費税 the consumption tax, a qualified-invoice number T + 13 digits) and names no yuan
# prices in yen. The Chinese model reads 消費税 as 消费税 and 登録 as 登录.
_JAPANESE = re.compile(r"[\u3041-\u3096\u30a1-\u30fa]|株式会社|有限会社|合同会社|御中|令和|平成|消[費费]税|"
                       r"登[録录]番号|(?<![A-Za-z])JPY(?![A-Za-z])|\d\s?円")
# 元 names the yuan beside a figure ('1130元', '壹仟元整'), as a column's unit ('金额（元）',
# '单位：元') or per unit ('元/吨'); elsewhere it is as likely a kana the Chinese model read as a
# hanzi ('ロゴ' came out '口卫元' on a Japanese invoice), which says nothing about the money
_YUAN_SIGN = re.compile(r"[\d零壹贰叁肆伍陆柒捌玖拾佰仟万亿]\s?元(?!年)|元整|[（(]\s?元\s?[)）]|单位\s*[:：]?\s*元|元\s?/")
_YUAN = re.compile(r"人民币|(?<![A-Za-z])(?:RMB|CNY)(?![A-Za-z])|增值税|[发發]票|" + _YUAN_SIGN.pattern)


def yen_or_yuan(text: str) -> str:
    """'JPY' or 'CNY': what a ¥ on this page is."""
    return "JPY" if _JAPANESE.search(text) and not _YUAN.search(text) else "CNY"


#: where a currency sign is a letter or a mark OCR read as one, not money: beside another sign
#: (a document number '£$82695512'), or an initial between dots ('MR. D.I.Y.' read 'O.1.¥.'). A
#: $ before a letter that no figure follows is the S of a tax code ('$R' of SR); a sign before a
#: figure read as a letter ('€O,50') is money
_NOT_A_LETTER_READ_AS_SIGN = r"(?<![$€£¥￥₹])(?![$€£¥￥₹]{2})(?!(?<=\b\w\.)\S\.)"


def detect_currency(text: str) -> tuple[str | None, float]:
    """The document's currency from ISO codes, symbols and words, with a certainty."""
    counts: dict[str, int] = {}
    yen = yen_or_yuan(text)
    for code in ISO_CURRENCIES:
        # a code glued to a whole number is a name, not money: RON95 / RON97 is petrol's octane
        n = len(re.findall(rf"(?<![A-Za-z]){code}(?![A-Za-z]|\d+(?![\d.,]))", text))
        if n:
            key = "CNY" if code == "RMB" else code
            counts[key] = counts.get(key, 0) + 3 * n
    for symbol, code in CURRENCY_SYMBOLS.items():
        if symbol in ("Rs", "Rs."):
            n = len(re.findall(r"(?<![A-Za-z])Rs\.?\s?-?\d", text))
        elif symbol == "元":
            n = len(_YUAN_SIGN.findall(text))
        elif symbol == "人民币":
            n = text.count(symbol)
        elif symbol[:1].isalpha():  # RM, zł, Ft, Kč: only beside a number ("FORM" holds no ringgit)
            n = len(re.findall(rf"(?<![^\W\d_]){re.escape(symbol)}\s?-?\d|\d\s?{re.escape(symbol)}(?![^\W\d_])", text))
            # or as a column's or total's unit: TOTAL (RM), Amount(RM)
            n += len(re.findall(rf"\(\s?{re.escape(symbol)}\s?\)", text))
        elif symbol == "$":  # the $ of S$, HK$, US$ is counted with its own dollar
            n = len(re.findall(rf"(?<![A-Za-z]){_NOT_A_LETTER_READ_AS_SIGN}\$(?![A-Za-z](?![\d.,]))", text))
        elif symbol.endswith("$"):  # A$ inside CA$ is counted with CA$
            n = len(re.findall(rf"(?<![A-Za-z]){re.escape(symbol)}", text))
        elif len(symbol) == 1 and not symbol.isalpha():
            n = len(re.findall(rf"{_NOT_A_LETTER_READ_AS_SIGN}{re.escape(symbol)}", text))
        else:
            n = text.count(symbol)
        if n:
            code = yen if symbol in ("¥", "￥") else code
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


def _default_months() -> dict[str, int]:
    from vision.lexicon import load_lexicons

    return load_lexicons().months


#: a percentage as tax rates print ('20%', '7,0 %', '8.1%'): its figure the first group; the
#: digits of a larger number before it are no part of it
PERCENT = re.compile(r"(?<![\d.,])(\d{1,2}(?:[.,]\d{1,3})?)\s*%")


def printed_rates(text: str) -> set[Decimal]:
    """The percentages a page prints ('13%', '6 %', '8,1%'): the rates it may tax at."""
    return {Decimal(m.group(1).replace(",", ".")) for m in PERCENT.finditer(text or "")}

#: a two-digit year is not the first half of a four-digit one whose third digit OCR read as the
#: letter it looks like ('05/01/20l7', '05 JAN 2O18' are 2017 and 2018, not 2020)
NO_WORN_YEAR_DIGIT = r"(?![lIi|!oOQDsSzZbBgq]\d)"


@lru_cache(maxsize=16)
def _date_patterns(month_names: tuple[str, ...]) -> list[tuple[str, re.Pattern]]:
    months = "|".join(re.escape(m) for m in sorted(month_names, key=len, reverse=True))
    return [
        ("cn", re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日?")),
        ("iso", re.compile(r"(?<!\d)(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)")),
        ("mdy_name", re.compile(rf"(?<![^\W\d_])(?P<mon>{months})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s*"
                                rf"(?P<y>\d{{4}})(?!\d)", re.I)),
        # French prints the first of the month '1er', which a scan reads 'ler' or 'Ier'; a till may
        # print the year short after an apostrophe (05 JAN'17)
        ("dmy_name", re.compile(rf"(?:(?<!\d)(?P<d>\d{{1,2}})|(?<![^\W\d_])(?P<first>[li])(?=er))"
                                rf"(?:st|nd|rd|th|er|e|º|°)?\.?[\s-]*(?:de\s+|del\s+)?"
                                rf"(?P<mon>{months})(?![^\W\d_])\.?[\s,'’-]*(?:de\s+|del\s+)?(?P<y>\d{{4}}|\d{{2}}{NO_WORN_YEAR_DIGIT})(?!\d)",
                                re.I)),
        # Japan's era years: 令和8年12月3日 is 3 December 2026 (Reiwa 1 = 2019, Heisei 1 = 1989)
        ("era", re.compile(r"(?P<era>令和|平成)\s*(?P<y>\d{1,2}|元)\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日?")),
        # day and month each closed by a dot and a space, as Czech, Slovak and some German tools
        # print them (3. 12. 2026); the four-digit year keeps '5. 1. 27' items apart
        # (a scan may lose one of the spaces: '5.1. 2027')
        ("spaced", re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?:\s(?P<m>\d{1,2})\.\s?|(?P<m2>\d{1,2})\.\s)(?P<y>\d{4})(?!\d)")),
        ("numeric", re.compile(r"(?<![\d.])(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>\d{4}|\d{2}" + NO_WORN_YEAR_DIGIT + r")(?![\d])")),
    ]


def _year(text: str) -> int:
    """A two-digit year is this century's; four digits are the year as written (0012 is no 2012:
    a number's digits, an invoice number's 18/03/0012)."""
    y = int(text)
    return y + 2000 if len(text) <= 2 else y


#: how sure a day read with a letter glued before its digit is ('l5 Dec 2026' read as the 15th):
#: below what books a date, so that a person looks
GLUED_DAY_CERTAINTY = 0.5


def _glued_lookalike(folded: str, start: int) -> bool:
    """A letter that looks like a 1 (l, i, |) glued before a date's day of one digit at ``start``:
    'l5 Dec 2026' prints the 15th, not the 5th. Before two digits it is a smudge or a rule."""
    return (start > 0 and folded[start - 1] in "li|!" and folded[start].isdigit()
            and not folded[start + 1: start + 2].isdigit())


def find_dates(text: str, day_first: bool | None = None, months: dict[str, int] | None = None,
               certainty: float | None = None) -> list[tuple[date, float, int, int]]:
    """Every date in ``text``: (date, certainty, start, end). Month names come from the label
    lexicons (any language; ``months`` narrows or orders them). A numeric date that could be
    read both ways (03/04/2024) is read day first unless ``day_first=False``; its certainty is
    ``certainty`` when the caller knows the document's order, else 0.7."""
    from vision.lexicon import fold

    months = months if months is not None else _default_months()
    folded = fold(text)
    out = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _date_patterns(tuple(sorted(months))):
        for m in pattern.finditer(folded):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            if kind == "numeric" and _is_bank_code(folded, m.start()):
                continue
            day_at = {"dmy_name": "d", "spaced": "d", "numeric": "a"}.get(kind)
            glued = bool(day_at and m[day_at]) and _glued_lookalike(folded, m.start(day_at))
            try:
                sure = 1.0
                g = m.groupdict()
                if glued:  # 'l5 Dec 2026': the day is 15, its 1 read as the letter it looks like
                    g[day_at] = "1" + g[day_at]
                    sure = GLUED_DAY_CERTAINTY
                if kind in ("cn", "iso"):
                    value = date(int(g["y"]), int(g["m"]), int(g["d"]))
                elif kind == "spaced":
                    value = date(int(g["y"]), int(g["m"] or g["m2"]), int(g["d"]))
                elif kind == "era":
                    year = 1 if g["y"] == "元" else int(g["y"])
                    value = date(year + (2018 if g["era"] == "令和" else 1988), int(g["m"]), int(g["d"]))
                elif kind in ("mdy_name", "dmy_name"):
                    day = 1 if kind == "dmy_name" and g["first"] else int(g["d"])
                    value = date(_year(g["y"]), months[g["mon"].lower()], day)
                else:
                    a, b, y = int(g["a"]), int(g["b"]), _year(g["y"])
                    if a > 12:
                        value = date(y, b, a)
                    elif b > 12:
                        value = date(y, a, b)
                    else:
                        first = True if day_first is None else day_first
                        value = date(y, b, a) if first else date(y, a, b)
                        if a != b:
                            sure = min(sure, certainty if certainty is not None else (1.0 if day_first is not None else 0.7))
            except (ValueError, KeyError):
                continue
            if not 1990 <= value.year <= 2100:
                continue
            taken.append((m.start(), m.end()))
            out.append((value, sure, m.start(), m.end()))
    out.sort(key=lambda t: t[2])
    return out


#: a bank's sort code ('Sort code 10-30-80', 'S/C: 40-12-76') is printed the way a date is: it
#: is no date, and no vote for the page's date order
_BANK_CODE_BEFORE = re.compile(r"(?i)(?:\bsort[\s-]?code|\bs/c|\bbsb)\s*(?:no\.?|number)?\s*[:.]?\s*$")


def _is_bank_code(text: str, start: int) -> bool:
    return bool(_BANK_CODE_BEFORE.search(text[max(0, start - 24):start]))


def date_order_votes(text: str) -> tuple[int, int]:
    """(day-first, month-first) numeric dates in ``text`` that can only be read one way."""
    dmy = mdy = 0
    for kind, pattern in _date_patterns(()):
        if kind != "numeric":
            continue
        for m in pattern.finditer(text):
            if _is_bank_code(text, m.start()):
                continue
            a, b = int(m["a"]), int(m["b"])
            if a > 12 >= b >= 1 and a <= 31:
                dmy += 1
            elif b > 12 >= a >= 1 and b <= 31:
                mdy += 1
    return dmy, mdy


def decimal_votes(text: str) -> tuple[int, int]:
    """(dot, comma) amounts in ``text`` whose decimal mark is unmistakable (1,234.56 / 12,50)."""
    dot = comma = 0
    masked = text
    for _, _, a, b in reversed(find_dates(text)):
        masked = masked[:a] + " " * (b - a) + masked[b:]
    for m in re.finditer(r"(?<![\d.,])\d{1,3}(?:([.,' \u00a0\u202f\u2009])\d{3})*([.,])\d{2}(?![\d.,])", masked):
        group, mark = m.group(1), m.group(2)
        if group and group == mark:
            continue
        if mark == ".":
            dot += 1
        else:
            comma += 1
    # whole amounts grouped twice or more by one mark ('¥1,127,796', '1.035.000 Ft'): that mark
    # groups thousands, so the other one is the decimal mark (yen and forint print no cents)
    for m in _GROUPED_WHOLE.finditer(masked):
        if m.group(1) == ",":
            dot += 1
        else:
            comma += 1
    return dot, comma


#: a whole number grouped twice or more by one mark, standing apart from letters and hyphens
#: (an identifier 'CHE-123.456.789' is no amount)
_GROUPED_WHOLE = re.compile(r"(?<![\w.,\-])\d{1,3}([.,])\d{3}(?:\1\d{3})+(?![\w.,]|-\d)")


INVOICE_NUMBER_RE = re.compile(r"#?\s?[A-Za-z0-9][A-Za-z0-9_\-/.]{1,39}")


def parse_invoice_number(text: str) -> str | None:
    """The first token that looks like an invoice number: has a digit, no spaces."""
    text = text.strip().lstrip(":：").strip()
    hash_prefix = text.startswith("#")
    if hash_prefix:
        text = text[1:].strip()
    # a scan reads a colon's dots or a speck before the number as a quote mark (”9223372036854775807)
    tokens = [t for t in (t.strip("()[]:：.“”\"'‘’").strip() for t in re.split(r"[\s,;]+", text)) if t]
    for i, token in enumerate(tokens):
        if i + 1 < len(tokens) and re.fullmatch(r"(?i)n\.?[2o0°º]\.?", token):
            continue  # the same sign as a scan reads it ("N.2 FT 2024/118"): not a number of its own
        if any(c.isdigit() for c in token) and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_\-/.]{1,39}", token):
            return ("#" + token) if hash_prefix else token
        if re.fullmatch(r"(?i)(?:no|nr|n[°º]|n\.[°º]|num|#)\.?", token):
            continue  # "N.º FT 2024/118", "Nº 2024-17": the number sign before the number
        # a document series before its number ("FT 2024/118", "FR A2024/17"): one number,
        # as the series code and the running number only identify the invoice together
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if (re.fullmatch(r"[A-Z]{1,3}", token) and token.upper() not in ISO_CURRENCIES
                and re.fullmatch(r"[A-Z]{0,3}\d[\w\-.]*/[\w\-/]*\d", nxt)):
            return f"{token} {nxt}"
        return None
    return None
