"""ISO 20022 camt.053 (statement) and camt.054 (debit/credit notification) via lxml.

An entry (``Ntry``) with several transaction details (``TxDtls``, a batch) becomes one line
per detail, so each payment can be matched on its own; an entry without details, or whose
details carry no amounts, stays one line. Booking dates may be ``Dt`` or ``DtTm``. Any
namespace version (``camt.053.001.02`` … ``.08``) is accepted: elements are found by local name.

Strict: every ``Amt`` is a plain non-negative decimal (``1234.56``; ISO 20022 allows nothing
else), a camt.053 statement must give its opening (``OPBD``/``PRCD``) and closing (``CLBD``)
balances, and an entry whose status is not booked (``PDNG`` pending, ``INFO``) moves no money
yet: it is left out with that reason (``statement.excluded``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from lxml import etree

from reconcile.lines import Excluded, Section, Statement, StatementError, make_frame

_ISO_AMOUNT = __import__("re").compile(r"^\d{1,18}(\.\d{1,5})?$")


def _decimal(node, file: str, what: str) -> Decimal:
    text = (node.text or "").strip()
    if not _ISO_AMOUNT.match(text):
        raise StatementError(f"{what} amount {text!r} is not a plain decimal such as 1234.56; nothing was imported",
                             file=file, line=node.sourceline)
    return Decimal(text)


def looks_like(head: bytes) -> bool:
    return b"camt.05" in head or b"<BkToCstmrStmt" in head or b"<BkToCstmrDbtCdtNtfctn" in head


def _children(node, name):
    return node.xpath(f"./*[local-name()='{name}']")


def _find(node, path: str):
    """First element along a '/'-separated path of local names, or None."""
    expr = "./" + "/".join(f"*[local-name()='{p}']" for p in path.split("/"))
    found = node.xpath(expr)
    return found[0] if found else None


def _text(node, path: str) -> str:
    found = _find(node, path) if node is not None else None
    return (found.text or "").strip() if found is not None else ""


def _amount(node, where: str, file: str, line: int | None) -> tuple[Decimal, str]:
    amt = _find(node, "Amt")
    if amt is None or not (amt.text or "").strip():
        raise StatementError(f"{where} has no <Amt>; is the file complete?", file=file, line=line)
    value = _decimal(amt, file, where)
    indicator = _text(node, "CdtDbtInd")
    return (-value if indicator == "DBIT" else value), (amt.get("Ccy") or "")


def _date(node, *paths: str) -> date | None:
    for path in paths:
        for leaf in ("Dt", "DtTm"):
            text = _text(node, f"{path}/{leaf}")
            if text:
                try:
                    return date.fromisoformat(text[:10])
                except ValueError:
                    raise StatementError(f"{path} {text!r} is not a date (YYYY-MM-DD)", file=node.getroottree().docinfo.URL,
                                         line=node.sourceline) from None
    return None


def _signed_balance(bal, file: str) -> Decimal:
    amt = _find(bal, "Amt")
    if amt is None:
        raise StatementError("balance without <Amt>", file=file, line=bal.sourceline)
    value = _decimal(amt, file, "balance")
    return -value if _text(bal, "CdtDbtInd") == "DBIT" else value


def read(path: str | Path) -> Statement:
    file = str(path)
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
        tree = etree.parse(file, parser)
        root = tree.getroot()
    except etree.XMLSyntaxError as exc:
        raise StatementError(f"not well-formed XML ({exc.msg}); was the download cut short?",
                             file=file, line=exc.lineno) from None
    if tree.docinfo.doctype:
        raise StatementError("the XML has a DOCTYPE declaration, which no bank statement needs and which can carry "
                             "entity attacks; refused. Ask the bank for the plain export", file=file, line=1)
    reports = root.xpath("//*[local-name()='Stmt' or local-name()='Ntfctn' or local-name()='Rpt']")
    if not reports:
        raise StatementError("no <Stmt>, <Ntfctn> or <Rpt> element: not a camt.053/054 statement", file=file)
    records, sections, excluded = [], [], []
    for report in reports:
        account = _text(report, "Acct/Id/IBAN") or _text(report, "Acct/Id/Othr/Id")
        statement_053 = etree.QName(report).localname == "Stmt"
        section = Section(account=account, currency=_text(report, "Acct/Ccy"), required=statement_053,
                          opening_required=statement_053)
        for bal in _children(report, "Bal"):
            code = _text(bal, "Tp/CdOrPrtry/Cd")
            if code in ("OPBD", "PRCD") and section.opening is None:
                section.opening = _signed_balance(bal, file)
            elif code == "CLBD":
                section.closing = _signed_balance(bal, file)
        for entry in _children(report, "Ntry"):
            line = entry.sourceline
            entry_amount, currency = _amount(entry, "entry", file, line)
            status = _text(entry, "Sts/Cd") or _text(entry, "Sts")
            if status and status.upper() != "BOOK":
                excluded.append(Excluded(
                    where=f"line {line}", reason=f"entry status {status} ({_STATUS.get(status.upper(), 'not booked')}): "
                    "no money has moved yet", date=str(_date(entry, "BookgDt", "ValDt") or ""), amount=str(entry_amount),
                    currency=currency, description=_text(entry, "AddtlNtryInf"), id=_text(entry, "AcctSvcrRef")))
                continue
            booked = _date(entry, "BookgDt", "ValDt")
            if booked is None:
                raise StatementError("entry has neither booking nor value date", file=file, line=line)
            entry_ref = _text(entry, "AcctSvcrRef") or _text(entry, "NtryRef")
            details = entry.xpath("./*[local-name()='NtryDtls']/*[local-name()='TxDtls']")
            detail_amounts = []
            for detail in details:
                amt = _find(detail, "Amt") if _find(detail, "Amt") is not None else _find(detail, "AmtDtls/TxAmt/Amt")
                detail_amounts.append(amt)
            split = len(details) > 1 and all(a is not None for a in detail_amounts)
            parts = list(zip(details, detail_amounts)) if split else [(details[0] if details else None, None)]
            for n, (detail, amt) in enumerate(parts, 1):
                if amt is not None:
                    value = _decimal(amt, file, "transaction detail")
                    indicator = _text(detail, "CdtDbtInd") or _text(entry, "CdtDbtInd")
                    amount = -value if indicator == "DBIT" else value
                    currency_here = amt.get("Ccy") or currency
                else:
                    amount, currency_here = entry_amount, currency
                records.append(_record(entry, detail, booked, amount, currency_here, entry_ref, n if split else 0))
                section.total += amount
                section.count += 1
        sections.append(section)
    kind = "camt.054" if root.xpath("//*[local-name()='BkToCstmrDbtCdtNtfctn']") else "camt.053"
    return Statement(file, kind, make_frame(records), sections, parser="lxml", excluded=excluded)


_STATUS = {"PDNG": "pending", "INFO": "for information only", "FUTR": "future-dated"}


def _record(entry, detail, booked, amount, currency, entry_ref, n) -> dict:
    d = detail if detail is not None else entry
    own_id = _text(d, "Refs/AcctSvcrRef") if detail is not None else ""
    bank_id = own_id or (f"{entry_ref}/{n}" if entry_ref and n else entry_ref)
    reference = (_text(d, "RmtInf/Strd/CdtrRefInf/Ref") or _text(d, "Refs/EndToEndId")
                 or _text(d, "Refs/InstrId"))
    if reference.upper() == "NOTPROVIDED":
        reference = ""
    unstructured = " ".join((u.text or "").strip() for u in d.xpath(".//*[local-name()='Ustrd']"))
    description = unstructured or _text(entry, "AddtlNtryInf") or _text(d, "AddtlTxInf")
    counterparty = ""
    if detail is not None:
        # the other party: the debtor of a credit, the creditor of a debit
        order = ("Dbtr", "Cdtr") if amount >= 0 else ("Cdtr", "Dbtr")
        for role in order:
            counterparty = _text(detail, f"RltdPties/{role}/Nm") or _text(detail, f"RltdPties/{role}/Pty/Nm")
            if counterparty:
                break
    return {"bank_id": bank_id, "date": booked, "amount": amount, "currency": currency,
            "description": description, "reference": reference, "counterparty": counterparty}
