"""What an e-invoice says, syntax-independent, and the strict value parsers the readers share.

Field names follow ``vision.invoice`` (invoice2data's test data) so a structured invoice and a
scanned one come out alike: ``issuer`` (seller name, EN 16931 BT-27), ``invoice_number``,
``date``, ``due_date``, ``amount`` (the invoice total with tax, BT-112), ``amount_untaxed``
(BT-109), ``vat`` (the TAX AMOUNT, BT-110: deskbot's historic name), ``currency``; and, only
an e-invoice says them for sure: ``amount_due`` (BT-115, after prepayments), ``seller_tax_id``
(the seller's VAT / tax number: what the sample files call ``vat``), ``iban`` (the payee
account), ``buyer``, ``invoice_code`` (China's 12-digit 发票代码), ``document_type``
(``invoice`` or ``credit_note``).

A value the XML holds but that cannot be parsed exactly (``12,3O``, ``2024-13-40``) is an error
naming the element: money is never partly read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from vision.errors import RefusedXml

#: UNTDID 1001 document codes that are credit notes (EN 16931 code list)
CREDIT_NOTE_CODES = {"81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"}
CENT = Decimal("0.01")


@dataclass
class EInvoice:
    syntax: str  # cii | ubl | fatturapa | cn-xml | cn-xbrl | ofd-tags | ofd-info
    format: str  # what a person would call it: "Factur-X EN16931 (CII)", "XRechnung 3.0 UBL", …
    origin: str  # the file, or "file.pdf › factur-x.xml"
    values: dict[str, object] = field(default_factory=dict)
    lines: list[dict] = field(default_factory=list)
    taxes: list[dict] = field(default_factory=list)  # {category, rate, basis, amount}
    #: named sums the syntax carries besides the totals, for the arithmetic checks
    sums: dict[str, Decimal] = field(default_factory=dict)
    derived: dict[str, str] = field(default_factory=dict)  # field -> how it was computed

    @property
    def document_type(self) -> str:
        return str(self.values.get("document_type") or "invoice")


def money(text: str | None, where: str) -> Decimal | None:
    """An XML decimal ('1804.00', '-100', '9.91150442') exactly; None when absent or empty."""
    if text is None:
        return None
    s = text.strip()
    if not s:
        return None
    if not re.fullmatch(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", s):
        raise RefusedXml(f"{where}: '{s[:40]}' is not a decimal number; the XML is invalid, ask the sender to correct it")
    try:
        return Decimal(s)
    except InvalidOperation:  # pragma: no cover - the pattern above admits only valid decimals
        raise RefusedXml(f"{where}: '{s[:40]}' is not a number") from None


_CN_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def xml_date(text: str | None, where: str, fmt: str | None = None) -> date | None:
    """CII '20240131' (format 102), ISO '2024-01-31' (also with a time), Chinese '2020年10月10日'."""
    if text is None or not text.strip():
        return None
    s = text.strip()
    try:
        if fmt == "102" or re.fullmatch(r"\d{8}", s):
            return datetime.strptime(s, "%Y%m%d").date()
        if fmt == "610":  # a month: CII allows it for periods, never meant as an issue date
            raise RefusedXml(f"{where}: '{s}' is a month (format 610), not a date")
        m = _CN_DATE.fullmatch(s)
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?", s)
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        pass
    raise RefusedXml(f"{where}: '{s[:40]}' is not a date; the XML is invalid, ask the sender to correct it")


def clean(text: str | None) -> str | None:
    """Element text with runs of white space folded; None when empty."""
    if text is None:
        return None
    s = " ".join(text.split())
    return s or None


def compact_iban(text: str | None) -> str | None:
    s = "".join((text or "").split()).upper()
    return s or None
