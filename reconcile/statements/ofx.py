"""OFX 1.x (SGML) and 2.x (XML) bank statements: ``ofxparse`` first, a lenient reader after.

``ofxparse`` accepts elements out of the order the spec fixes (which ``ofxtools`` rejects,
e.g. OCA's ``test_ofx_iban.ofx``); when it fails too (unclosed tags, odd headers, a truncated
trailer), the lenient reader takes every ``<STMTTRN>`` block apart by tag name. Amounts with a
decimal comma (``-200,00``) are read in both paths. The line id is the bank's ``FITID``.

Before either reader runs, ``check_structure`` walks the tags once: an aggregate (``<STMTTRN>``,
``<BANKTRANLIST>``, ``<STMTRS>``…) left open is an error naming the line where it was opened
(SGML lets leaf elements go unclosed, never aggregates), every ``TRNAMT``/``BALAMT`` must be a
whole number (``-1234.56`` or ``-1234,56``), every ``DTPOSTED`` a date, and each statement must
carry its ``LEDGERBAL`` (the closing balance OFX requires).
"""

from __future__ import annotations

import bisect
import io
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from reconcile.lines import Section, Statement, StatementError, make_frame
from reconcile.statements._quiet import library_output

#: aggregates the OFX spec defines around bank statements; an empty-content tag not listed
#: here counts as an aggregate only when the file closes it somewhere
AGGREGATES = frozenset("""OFX SIGNONMSGSRSV1 SONRS STATUS FI BANKMSGSRSV1 CREDITCARDMSGSRSV1 STMTTRNRS
    CCSTMTTRNRS STMTRS CCSTMTRS BANKACCTFROM CCACCTFROM BANKACCTTO CCACCTTO BANKTRANLIST STMTTRN LEDGERBAL
    AVAILBAL ORIGCURRENCY PAYEE BALLIST BAL INVSTMTMSGSRSV1 INVSTMTTRNRS INVSTMTRS""".split())
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9_.]*)>([^<]*)")
_OFX_AMOUNT = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$")


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


def _text_of(raw: bytes) -> str:
    head = raw[:600].upper()
    if b"UTF-8" in head or b"ENCODING=\"UTF-8\"" in head or raw.startswith(b"\xef\xbb\xbf"):
        return raw.decode("utf-8", errors="replace")
    return raw.decode("cp1252", errors="replace")


def check_structure(text: str, file: str) -> None:
    """Refuse an OFX whose aggregates are not closed, or whose amounts or dates are not whole."""
    newlines = [m.start() for m in re.finditer("\n", text)]

    def where(offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(newlines, offset)
        return line + 1, offset - (newlines[line - 1] + 1 if line else 0) + 1

    closed_somewhere = {m.upper() for m in re.findall(r"</([A-Za-z][A-Za-z0-9_.]*)>", text)}
    stack: list[tuple[str, int]] = []
    last_leaf = None
    statements = 0
    for match in _TAG.finditer(text):
        closing, name, content = match.group(1), match.group(2).upper(), match.group(3)
        if not closing:
            value = content.strip()
            if not value and (name in AGGREGATES or name in closed_somewhere):
                earlier = next((offset for open_name, offset in stack if open_name == name), None)
                if earlier is not None:  # an aggregate never contains itself: the earlier one was left open
                    line, _ = where(earlier)
                    again, _ = where(match.start())
                    raise StatementError(f"<{name}> opened here is never closed (another <{name}> starts on line "
                                         f"{again}); the file is damaged, nothing was imported", file=file, line=line)
                stack.append((name, match.start()))
                last_leaf = None
                if name in ("STMTRS", "CCSTMTRS"):
                    statements += 1
                continue
            last_leaf = name
            if name in ("TRNAMT", "BALAMT") and not _OFX_AMOUNT.match(value.replace(" ", "")):
                line, column = where(match.start(3))
                raise StatementError(f"<{name}> {value!r} is not an amount (digits with one decimal mark, e.g. "
                                     "-1234.56); nothing was imported", file=file, line=line, column=column)
            if name in ("DTPOSTED", "DTASOF") and not re.match(r"^\d{8}", value):
                line, column = where(match.start(3))
                raise StatementError(f"<{name}> {value!r} is not a date (YYYYMMDD…)", file=file, line=line, column=column)
            continue
        if stack and stack[-1][0] == name:
            stack.pop()
        elif name == last_leaf:
            last_leaf = None  # a leaf closed the XML way
        elif any(open_name == name for open_name, _ in stack):
            inner, offset = stack[-1]
            line, _ = where(offset)
            closing_line, _ = where(match.start())
            raise StatementError(f"<{inner}> opened here is never closed (</{name}> on line {closing_line} comes "
                                 f"first); the file is damaged or cut short, nothing was imported", file=file, line=line)
        else:
            line, _ = where(match.start())
            raise StatementError(f"</{name}> closes an element that was never opened", file=file, line=line)
    if stack:
        inner, offset = stack[-1]
        line, _ = where(offset)
        raise StatementError(f"<{inner}> opened here is never closed before the end of the file; the download "
                             "was cut short or the file damaged, nothing was imported", file=file, line=line)
    if not statements:
        raise StatementError("no <STMTRS> or <CCSTMTRS> statement in this OFX file", file=file)


def read(path: str | Path) -> Statement:
    file = str(path)
    raw = Path(file).read_bytes()
    check_structure(_text_of(raw), file)
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

    with library_output("ofxparse", "ofxparse", "bs4"):
        ofx = ofxparse.OfxParser.parse(io.BytesIO(raw))
    records, sections = [], []
    for account in ofx.accounts:
        stmt = account.statement
        currency = (getattr(stmt, "currency", "") or getattr(account, "curdef", "") or "").upper()
        section = Section(account=getattr(account, "account_id", "") or "", currency=currency, required=True)
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
    text = _text_of(raw)
    statements = re.split(r"<(?:STMTRS|CCSTMTRS)>", text, flags=re.I)[1:]
    if not statements:
        raise StatementError("no <STMTRS> statement in this OFX file", file=file)
    records, sections = [], []
    for body in statements:
        currency = _tag(body, "CURDEF").upper()
        section = Section(account=_tag(body, "ACCTID"), currency=currency, required=True)
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
