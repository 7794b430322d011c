"""SWIFT MT940 (statement) and MT942 (intraday) via the ``mt-940`` library, with a lenient
fallback parser for the dialects it rejects.

Both paths agree on what a line is: one ``:61:`` per line, its ``:86:`` (joined across
hard-wrapped continuation lines) as description. Structured ``:86:`` content is taken apart
for the counterparty and the remittance text:

- German SEPA ``?20``…``?29`` purpose, ``?32``/``?33`` name (e.g. ``?20EREF+…?32ACME GMBH``);
- Dutch/IBAN style ``/NAME/…/REMI/…/EREF/…`` (Rabobank, ING);
- Polish ``OD: name;`` / ``TYT.: text;`` (mBank).

The fallback also gives each ``:20:`` section its opening (``:60F:``/``:60M:``) and closing
(``:62F:``/``:62M:``) balances, which tests use to cross-check the lines.
"""

from __future__ import annotations

import re
import warnings
from datetime import date
from decimal import Decimal
from pathlib import Path

from reconcile.lines import Section, Statement, StatementError, make_frame

TAG = re.compile(r"^:(\d{2}[A-Z]?|NS):(.*)$")
LINE_61 = re.compile(
    r"^(?P<date>\d{6})(?P<entry>\d{4})?(?P<mark>R?[CD])(?P<funds>[A-Z])?(?P<amount>\d[\d,]*)"
    r"(?P<type>[NFS][A-Z0-9 ]{3})?(?P<custref>[^\n/]*?)(?://(?P<bankref>[^\n]*))?(?:\n(?P<extra>.*))?$", re.S)
BALANCE = re.compile(r"^(?P<mark>[CD])(?P<date>\d{6})(?P<currency>[A-Z]{3})(?P<amount>\d[\d,]*)")


def looks_like(head: bytes) -> bool:
    text = head.decode("latin-1")
    return bool(re.search(r"^:20:", text, re.M) and re.search(r"^:(25|61|60F|28C?):", text, re.M))


def _amount(text: str) -> Decimal:
    whole, _, frac = text.partition(",")
    return Decimal(f"{whole or 0}.{frac or 0}")


def _yymmdd(text: str) -> date:
    year = int(text[:2])
    return date(2000 + year if year < 80 else 1900 + year, int(text[2:4]), int(text[4:6]))


def _tags(text: str):
    """(tag, value, line number) with continuation lines joined by newlines."""
    current = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\r")
        match = TAG.match(line)
        if match:
            if current:
                yield current
            current = [match.group(1), match.group(2), number]
        elif line.strip() in ("-", "-}") or line.startswith(("{", "}")):
            # end of a message, or a SWIFT envelope block ({1:…}{2:…}{4:, -})
            if current:
                yield current
            current = None
        elif current is not None and line.strip():
            current[1] += "\n" + line
    if current:
        yield current


def split_details(details: str) -> tuple[str, str, str]:
    """(description, counterparty, reference) from a ``:86:`` text of any common dialect."""
    flat = details.replace("\n", "")
    if re.search(r"\?\d\d", flat):
        fields: dict[str, list[str]] = {}
        for code, value in re.findall(r"\?(\d\d)([^?]*)", flat):
            fields.setdefault(code, []).append(value.strip())
        purpose = " ".join(v for c in [f"{i}" for i in range(20, 30)] + ["60", "61", "62", "63"] for v in fields.get(c, []))
        name = " ".join(fields.get("32", []) + fields.get("33", []))
        reference = ""
        match = re.search(r"(?:EREF|KREF)\+(\S+)", purpose)
        if match:
            reference = match.group(1)
        purpose = re.sub(r"\b(EREF|KREF|MREF|CRED|SVWZ|ABWA|ABWE)\+", " ", purpose)
        return " ".join(purpose.split()), name, reference
    if re.search(r"/(NAME|REMI|EREF|ORDP|BENM)/", flat):
        parts = dict(re.findall(r"/(NAME|REMI|EREF|ADDR|ISDT|CSID|MARF|IBAN|BIC)/(.*?)(?=/(?:NAME|REMI|EREF|ADDR|ISDT|CSID|MARF|IBAN|BIC|ORDP|BENM)/|$)", flat))
        remi = parts.get("REMI", "")
        return " ".join(remi.split()), parts.get("NAME", "").strip(), parts.get("EREF", "").strip()
    match = re.search(r"\bOD:\s*([^;]+);", flat)
    if match:
        title = re.search(r"TYT\.:\s*([^;]*)", flat)
        return " ".join((title.group(1) if title else flat).split()), " ".join(match.group(1).split()), ""
    return " ".join(details.replace("\n", " ").split()), "", ""


def parse_lenient(text: str, file: str) -> tuple[list[dict], list[Section]]:
    """The fallback parser: tolerant of missing headers, odd wrapping and unknown tags."""
    records: list[dict] = []
    sections: list[Section] = []
    section = None
    currency = ""
    pending = None
    for tag, value, number in _tags(text):
        if tag == "20" or section is None:
            section = Section()
            sections.append(section)
        if tag == "25":
            section.account = value.split()[0] if value.split() else ""
        elif tag in ("60F", "60M", "62F", "62M", "34F"):
            if tag == "34F":
                currency = value[:3]
                section.currency = currency
                continue
            match = BALANCE.match(value.strip())
            if not match:
                raise StatementError(f"balance :{tag}: {value!r} is not C/D + YYMMDD + currency + amount", file=file, line=number)
            amount = _amount(match.group("amount")) * (-1 if match.group("mark") == "D" else 1)
            currency = match.group("currency")
            section.currency = currency
            if tag.startswith("60") and section.opening is None:
                section.opening = amount
            elif tag.startswith("62"):
                section.closing = amount
        elif tag == "61":
            match = LINE_61.match(value.strip())
            if not match:
                raise StatementError(f":61: line {value.splitlines()[0]!r} is not a valid statement line "
                                     "(date, C/D mark, amount, type code)", file=file, line=number)
            amount = _amount(match.group("amount"))
            if match.group("mark").endswith("D"):
                amount = -amount
            if match.group("mark").startswith("R"):  # a reversal flips the sign of the original
                amount = -amount
            custref = (match.group("custref") or "").strip()
            pending = {"bank_id": (match.group("bankref") or "").strip(), "date": _yymmdd(match.group("date")),
                       "amount": amount, "currency": currency,
                       "reference": "" if custref.upper() in ("NONREF", "EREF", "X") else custref,
                       "description": (match.group("extra") or "").strip(), "counterparty": "", "line": number}
            records.append(pending)
            section.total += amount
            section.count += 1
        elif tag == "NS":
            if pending is not None and not pending["description"]:
                # Hungarian/Russian banks put details in a non-SWIFT block: 09 text, 15/16 name
                fields: dict[str, str] = {}
                for part in value.splitlines():
                    if len(part) > 2 and part[:2].isdigit():
                        fields[part[:2]] = fields.get(part[:2], "") + part[2:].strip()
                pending["description"] = fields.get("09", "")
                pending["counterparty"] = (fields.get("15", "") + fields.get("16", "")).strip()
            continue
        elif tag == "86" and pending is not None:
            description, counterparty, reference = split_details(value)
            pending["description"] = " ".join(filter(None, [description, pending["description"] if not description else ""]))
            pending["counterparty"] = counterparty
            pending["reference"] = pending["reference"] or reference
            pending = None
    return records, sections


def read(path: str | Path) -> Statement:
    file = str(path)
    raw = Path(file).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    records, sections = parse_lenient(text, file)
    parser = "lenient"
    library_records = _with_library(text)
    if library_records is not None and len(library_records) == len(records) and \
            sum(r["amount"] for r in library_records) == sum(r["amount"] for r in records):
        # take the library's dates (entry-date year roll-over) and keep our :86: split
        for ours, theirs in zip(records, library_records):
            ours["date"] = theirs["date"]
        parser = "mt-940"
    if not records and not sections:
        raise StatementError("no MT940 tags (:20:, :61:) found", file=file)
    for r in records:
        r.pop("line", None)
    kind = "MT942" if re.search(r"^:(34F|13D|90[CD]):", text, re.M) else "MT940"
    return Statement(file, kind, make_frame(records), sections, parser=parser)


def _with_library(text: str) -> list[dict] | None:
    try:
        import mt940
        from mt940.models import Transactions

        processors = dict(Transactions.DEFAULT_PROCESSORS)
        processors["post_transaction_details"] = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            transactions = Transactions(processors=processors)
            transactions.parse(text)
        out = []
        for t in transactions:
            amount = t.data["amount"].amount
            when = t.data["date"]
            out.append({"date": date(when.year, when.month, when.day), "amount": Decimal(amount)})
        return out
    except Exception:  # the library rejects some dialects: the lenient parser's result stands
        return None
