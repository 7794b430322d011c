"""Bank statement readers: one entry point, the format found from the file's content.

    from reconcile.statements import read_statement
    statement = read_statement("bank.sta")            # MT940 / MT942
    statement = read_statement("export.csv", profile="icbc")
    statement.lines      # normalized DataFrame: id, date, amount, currency, description, reference, counterparty
    statement.sections   # per statement: account, opening, closing, count, total (balances cross-check)

| format | module | library, then fallback |
| --- | --- | --- |
| camt.053 / camt.054 (ISO 20022 XML) | ``camt`` | lxml |
| MT940 / MT942 (SWIFT) | ``mt940`` | ``mt-940`` (WoLpH), lenient tag parser |
| OFX 1 (SGML) / OFX 2 (XML) | ``ofx`` | ``ofxparse``, lenient tag reader |
| CSV / XLSX / XLS | ``tabular`` | ``sheets.reader`` + bank profiles |

Every failure is a ``reconcile.lines.StatementError`` naming the file (and line or row).

Strict where money is concerned (``docs/operator.md`` has an example of each):

- an amount that does not read completely is an error naming file, line and column, never a
  prefix of it (``21O3,57`` is not 21);
- a statement whose lines do not add up to its own balances (opening + lines = closing, a
  running balance column row by row, gross - fee = net), or that lacks the closing balance its
  format requires (MT940, camt.053, OFX), raises ``UnbalancedStatement``; with
  ``allow_unbalanced=True`` it is read and every problem is a warning (``statement.unbalanced``);
- an XML statement with a DOCTYPE is refused (entity tricks), an OFX aggregate left open is an
  error naming its line;
- rows that move no money (closed, failed, neither income nor expense, fully refunded) are left
  out with their reason in ``statement.excluded``; footer and total rows end a table.
"""

from __future__ import annotations

import re
from pathlib import Path

from reconcile.lines import Statement, StatementError, UnbalancedStatement
from reconcile.statements import camt, mt940, ofx, tabular

__all__ = ["read_statement", "detect_format", "Statement", "StatementError", "UnbalancedStatement"]

MAX_BYTES = 512 * 1024 * 1024


def detect_format(path: str | Path) -> str:
    """``camt``, ``mt940``, ``ofx`` or ``table``, from the first bytes of the file."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if camt.looks_like(head):
        return "camt"
    if ofx.looks_like(head):
        return "ofx"
    if mt940.looks_like(head):
        return "mt940"
    return "table"


def refuse_doctype(head: bytes, file) -> None:
    """XML statements never need a DOCTYPE; one is how entity-expansion and external-entity
    attacks arrive, so the file is refused before any parser sees it."""
    prolog = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if prolog.startswith(b"<") and re.search(rb"<!DOCTYPE|<!ENTITY", head[:65536], re.I):
        line = head[:head.upper().find(b"<!")].count(b"\n") + 1
        raise StatementError("the XML has a DOCTYPE declaration, which no bank statement needs and which can "
                             "carry entity attacks; refused. Ask the bank for the plain export", file=file, line=line)


def read_statement(path: str | Path, profile: str | None = None, profiles_dir: str | Path | None = None,
                   allow_unbalanced: bool = False) -> Statement:
    """Read one statement file; see the module docstring for what is refused and why."""
    file = Path(path)
    if not file.is_file():
        raise StatementError("file not found", file=file)
    size = file.stat().st_size
    if size == 0:
        raise StatementError("the file is empty; was the download interrupted?", file=file)
    if size > MAX_BYTES:
        raise StatementError(f"the file is {size // (1024 * 1024)} MB, more than a statement can be", file=file)
    kind = "table" if profile else detect_format(file)
    if kind in ("camt", "ofx"):
        with open(file, "rb") as handle:
            refuse_doctype(handle.read(65536), file)
    try:
        if kind == "camt":
            statement = camt.read(file)
        elif kind == "ofx":
            statement = ofx.read(file)
        elif kind == "mt940":
            statement = mt940.read(file)
        else:
            statement = tabular.read(file, profile, profiles_dir)
    except StatementError:
        raise
    except (ValueError, ArithmeticError, KeyError, IndexError, UnicodeError) as exc:
        raise StatementError(f"cannot read this {kind} statement: {exc}", file=file) from None
    return check_balances(statement, allow_unbalanced)


def balance_problems(statement: Statement) -> list[str]:
    """What the statement's own arithmetic says is wrong, one sentence per section."""
    problems = []
    several = len(statement.sections) > 1
    for n, section in enumerate(statement.sections, 1):
        label = (f"statement {n}" if several else "the statement") + (f" (account {section.account})" if section.account else "")
        missing = " and ".join(w for w, v, needed in (("opening", section.opening, section.opening_required),
                                                       ("closing", section.closing, section.required))
                               if v is None and needed)
        if missing:
            problems.append(f"{label} has no {missing} balance, which {statement.format} requires; "
                            "was the file cut short or edited?")
            continue
        problems += [f"{label}: {p}" if several else p for p in section.problems]
        if not section.problems and section.opening is not None and section.closing is not None \
                and section.opening + section.total != section.closing:
            problems.append(
                f"{label} does not add up: opening {section.opening} + {section.count} line(s) totalling "
                f"{section.total} = {section.opening + section.total}, but the closing balance is {section.closing} "
                f"(off by {section.closing - section.opening - section.total})")
    return problems


def check_balances(statement: Statement, allow_unbalanced: bool = False) -> Statement:
    """Refuse a statement that contradicts its own balances, or keep it with a warning."""
    problems = balance_problems(statement)
    if not problems:
        return statement
    if not allow_unbalanced:
        raise UnbalancedStatement(
            "; ".join(problems) + f". Nothing was imported ({len(statement.lines)} line(s) read, totalling "
            f"{statement.total}). Download the statement again, or accept it as it is with --allow-unbalanced "
            "(allow_unbalanced: true in the rules)", file=statement.path, statement=statement)
    statement.unbalanced = problems
    statement.warnings += [f"UNBALANCED, accepted with allow_unbalanced: {p}" for p in problems]
    return statement
