"""SWIFT MT940 (statement) and MT942 (intraday) via the ``mt-940`` library, with a lenient
fallback parser for the dialects it rejects.

Both paths agree on what a line is: one ``:61:`` per line, its ``:86:`` (joined across
hard-wrapped continuation lines) as description. Structured ``:86:`` content is taken apart
for the counterparty and the remittance text:

- German SEPA ``?20``…``?29`` purpose, ``?32``/``?33`` name (e.g. ``?20EREF+…?32ACME GMBH``);
- Dutch/IBAN style ``/NAME/…/REMI/…/EREF/…`` (Rabobank, ING);
- Polish ``OD: name;`` / ``TYT.: text;`` (mBank).

Each ``:20:`` section gets its opening (``:60F:``/``:60M:``) and closing (``:62F:``/``:62M:``)
balances; MT940 makes both mandatory, so a section without them is refused (MT942, the
intraday report, has none). Amounts are read whole or not at all: SWIFT writes digits, one
comma, decimals (``1234,56``), followed on a ``:61:`` line by the type code (``NTRF``);
anything else (``21O3,57`` with a letter O) is an error naming the line and column.
The ``mt-940`` library only contributes its dates (entry-date year roll-over); its log output
goes to the debug log (``_quiet``).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from reconcile.lines import Section, Statement, StatementError, make_frame
from reconcile.statements._quiet import library_output

TAG = re.compile(r"^:(\d{2}[A-Z]?|NS):(.*)$")
LINE_61_HEAD = re.compile(r"^(?P<date>\d{6})(?P<entry>\d{4})?(?P<mark>R?[CD])(?P<funds>[A-Z](?=\d))?")
LINE_61_TAIL = re.compile(
    r"^(?P<amount>\d{1,15},\d{0,3})(?P<type>[NFS][A-Z0-9 ]{3})(?P<custref>[^\n/]*?)"
    r"(?://(?P<bankref>[^\n]*))?(?:\n(?P<extra>.*))?$", re.S)
BALANCE = re.compile(r"^(?P<mark>[CD])(?P<date>\d{6})(?P<currency>[A-Z]{3})(?P<amount>.*)$")
SWIFT_AMOUNT = re.compile(r"^\d{1,15},\d{0,3}$")


def looks_like(head: bytes) -> bool:
    text = head.decode("latin-1")
    return bool(re.search(r"^:20:", text, re.M) and re.search(r"^:(25|61|60F|28C?):", text, re.M))


def _amount(text: str) -> Decimal:
    whole, _, frac = text.partition(",")
    return Decimal(f"{whole or 0}.{frac or 0}")


def _bad_amount(token: str, tag: str, file: str, line: int, column: int) -> StatementError:
    return StatementError(f"the amount {token!r} in :{tag}: is not a SWIFT amount (digits, one comma, up to 3 "
                          "decimals, e.g. 1234,56); nothing was imported. Was the file edited or garbled?",
                          file=file, line=line, column=column)


def _amount_token(text: str) -> str:
    """The amount as written: up to the transaction type code, or the first blank."""
    cut = re.search(r"[NFS][A-Z0-9]{3}", text)
    token = text[:cut.start()] if cut and cut.start() > 0 else text.split()[0] if text.split() else text
    return token[:20]


def _yymmdd(text: str) -> date:
    year = int(text[:2])
    return date(2000 + year if year < 80 else 1900 + year, int(text[2:4]), int(text[4:6]))


def _date_61(text: str, file: str, line: int) -> date:
    try:
        return _yymmdd(text)
    except ValueError:
        raise StatementError(f"the value date {text!r} of :61: is not a real date (YYMMDD)", file=file, line=line,
                             column=5) from None


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
        elif line.strip(" \t\x03\x1a") in ("-", "-}") or line.startswith(("{", "}")):
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


def is_mt942(text: str) -> bool:
    return bool(re.search(r"^:(34F|13D|90[CD]):", text, re.M))


def parse_lenient(text: str, file: str) -> tuple[list[dict], list[Section]]:
    """The tag parser: tolerant of missing headers, odd wrapping and unknown tags, strict on
    amounts and dates."""
    mt942 = is_mt942(text)
    totals: dict[int, tuple[Section, dict]] = {}     # :90D:/:90C: count and sum the bank declares
    counted: dict[int, dict[str, list]] = {}
    records: list[dict] = []
    sections: list[Section] = []
    section = None
    currency = ""
    pending = None
    for tag, value, number in _tags(text):
        if tag == "20" or section is None:
            section = Section(required=not mt942, opening_required=not mt942)
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
            if not SWIFT_AMOUNT.match(match.group("amount").strip()):
                column = len(tag) + 3 + value.index(match.group("amount")) + 1
                raise _bad_amount(match.group("amount").strip(), tag, file, number, column)
            amount = _amount(match.group("amount").strip()) * (-1 if match.group("mark") == "D" else 1)
            currency = match.group("currency")
            section.currency = currency
            if tag.startswith("60") and section.opening is None:
                section.opening = amount
            elif tag.startswith("62"):
                section.closing = amount
        elif tag in ("90D", "90C"):
            declared = re.match(r"^(\d+)([A-Z]{3})(.*)$", value.strip())
            if not declared or not SWIFT_AMOUNT.match(declared.group(3)):
                raise StatementError(f":{tag}: {value.strip()!r} is not a count, a currency and a SWIFT amount "
                                     "(e.g. 3EUR120,50)", file=file, line=number, column=6)
            totals.setdefault(id(section), (section, {}))[1][tag[-1]] = (int(declared.group(1)), _amount(declared.group(3)))
        elif tag == "61":
            body = value.strip()
            head = LINE_61_HEAD.match(body)
            if not head:
                raise StatementError(f":61: line {value.splitlines()[0]!r} is not a valid statement line "
                                     "(date, C/D mark, amount, type code)", file=file, line=number)
            match = LINE_61_TAIL.match(body[head.end():])
            if not match:
                rest = body[head.end():]
                raise _bad_amount(_amount_token(rest), tag, file, number, 5 + head.end())
            amount = _amount(match.group("amount"))
            if head.group("mark").endswith("D"):
                amount = -amount
            if head.group("mark").startswith("R"):  # a reversal flips the sign of the original
                amount = -amount
            custref = (match.group("custref") or "").strip()
            pending = {"bank_id": (match.group("bankref") or "").strip(), "date": _date_61(head.group("date"), file, number),
                       "amount": amount, "currency": currency,
                       "reference": "" if custref.upper() in ("NONREF", "EREF", "X") else custref,
                       "description": (match.group("extra") or "").strip(), "counterparty": "", "line": number}
            records.append(pending)
            section.total += amount
            section.count += 1
            moved = counted.setdefault(id(section), {"D": [0, Decimal(0)], "C": [0, Decimal(0)]})["D" if amount < 0 else "C"]
            moved[0] += 1
            moved[1] += abs(amount)
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
    for key, (section, declared) in totals.items():
        for mark, (count, amount) in declared.items():
            seen = counted.get(key, {}).get(mark, [0, Decimal(0)])
            if (seen[0], seen[1]) != (count, amount):
                side = "debit" if mark == "D" else "credit"
                section.problems.append(f":90{mark}: declares {count} {side}(s) totalling {amount}, but the lines hold "
                                        f"{seen[0]} totalling {seen[1]}")
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
    kind = "MT942" if is_mt942(text) else "MT940"
    return Statement(file, kind, make_frame(records), sections, parser=parser)


def _with_library(text: str) -> list[dict] | None:
    try:
        import mt940
        from mt940.models import Transactions

        processors = dict(Transactions.DEFAULT_PROCESSORS)
        processors["post_transaction_details"] = []
        with library_output("mt-940", "mt940"):
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
