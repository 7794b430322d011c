"""OFX 1.x (SGML) and 2.x (XML) bank statements: ``ofxparse`` first, a lenient reader after.

``ofxparse`` accepts elements out of the order the spec fixes (which ``ofxtools`` rejects,
e.g. OCA's ``test_ofx_iban.ofx``); when it fails too (unclosed tags, odd headers, a truncated
trailer), the lenient reader takes every ``<STMTTRN>`` block apart by tag name. Amounts with a
decimal comma (``-200,00``) are read in both paths. The line id is the bank's ``FITID``.
"""

from __future__ import annotations

import io
import re
import warnings
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from reconcile.lines import Section, Statement, StatementError, make_frame


def looks_like(head: bytes) -> bool:
    upper = head.upper()
    return b"OFXHEADER" in upper or b"<OFX>" in upper or b"<?OFX" in upper


def _decimal(text: str, file: str) -> Decimal:
    cleaned = text.strip().replace(" ", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise StatementError(f"amount {text!r} is not a number", file=file) from None


def _ofx_date(text: str, file: str) -> date:
    digits = re.match(r"\s*(\d{8})", text or "")
    if not digits:
        raise StatementError(f"date {text!r} is not YYYYMMDD…", file=file)
    d = digits.group(1)
    return date(int(d[:4]), int(d[4:6]), int(d[6:8]))


def read(path: str | Path) -> Statement:
    file = str(path)
    raw = Path(file).read_bytes()
    try:
        return _read_ofxparse(raw, file)
    except StatementError:
        raise
    except Exception as exc:  # ofxparse is strict about some headers; the lenient reader is not
        statement = _read_lenient(raw, file)
        statement.warnings.append(f"ofxparse could not read the file ({type(exc).__name__}); used the lenient reader")
        return statement


def _read_ofxparse(raw: bytes, file: str) -> Statement:
    import ofxparse

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ofx = ofxparse.OfxParser.parse(io.BytesIO(raw))
    records, sections = [], []
    for account in ofx.accounts:
        stmt = account.statement
        currency = (getattr(stmt, "currency", "") or getattr(account, "curdef", "") or "").upper()
        section = Section(account=getattr(account, "account_id", "") or "", currency=currency)
        closing = getattr(stmt, "balance", None)
        section.closing = Decimal(str(closing)) if closing is not None else None
        for t in stmt.transactions:
            amount = Decimal(str(t.amount))
            records.append({"bank_id": t.id, "date": t.date.date(), "amount": amount, "currency": currency,
                            "description": t.memo or "", "counterparty": t.payee or "",
                            "reference": getattr(t, "checknum", "") or ""})
            section.total += amount
            section.count += 1
        sections.append(section)
    if not records and not any(s.closing is not None for s in sections):
        raise ValueError("no transactions")
    return Statement(file, "OFX", make_frame(records), sections, parser="ofxparse")


def _tag(block: str, name: str) -> str:
    match = re.search(rf"<{name}>\s*([^<\r\n]*)", block, re.I)
    return match.group(1).strip() if match else ""


def _read_lenient(raw: bytes, file: str) -> Statement:
    text = raw.decode("utf-8", errors="replace") if b"UTF-8" in raw[:400].upper() else raw.decode("latin-1")
    statements = re.split(r"<(?:STMTRS|CCSTMTRS)>", text, flags=re.I)[1:]
    if not statements:
        raise StatementError("no <STMTRS> statement in this OFX file", file=file)
    records, sections = [], []
    for body in statements:
        currency = _tag(body, "CURDEF").upper()
        section = Section(account=_tag(body, "ACCTID"), currency=currency)
        ledger = re.search(r"<LEDGERBAL>(.*?)(?:</LEDGERBAL>|<AVAILBAL>|$)", body, re.S | re.I)
        if ledger and _tag(ledger.group(1), "BALAMT"):
            section.closing = _decimal(_tag(ledger.group(1), "BALAMT"), file)
        for block in re.findall(r"<STMTTRN>(.*?)(?=</STMTTRN>|<STMTTRN>|</BANKTRANLIST>|\Z)", body, re.S | re.I):
            amount = _decimal(_tag(block, "TRNAMT"), file)
            records.append({"bank_id": _tag(block, "FITID"), "date": _ofx_date(_tag(block, "DTPOSTED"), file),
                            "amount": amount, "currency": _tag(block, "CURRENCY") or currency,
                            "description": _tag(block, "MEMO"), "counterparty": _tag(block, "NAME") or _tag(block, "PAYEE"),
                            "reference": _tag(block, "CHECKNUM") or _tag(block, "REFNUM")})
            section.total += amount
            section.count += 1
        sections.append(section)
    return Statement(file, "OFX", make_frame(records), sections, parser="lenient")
