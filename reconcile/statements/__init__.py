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
"""

from __future__ import annotations

from pathlib import Path

from reconcile.lines import Statement, StatementError
from reconcile.statements import camt, mt940, ofx, tabular

__all__ = ["read_statement", "detect_format", "Statement", "StatementError"]

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


def read_statement(path: str | Path, profile: str | None = None, profiles_dir: str | Path | None = None) -> Statement:
    file = Path(path)
    if not file.is_file():
        raise StatementError("file not found", file=file)
    size = file.stat().st_size
    if size == 0:
        raise StatementError("the file is empty; was the download interrupted?", file=file)
    if size > MAX_BYTES:
        raise StatementError(f"the file is {size // (1024 * 1024)} MB, more than a statement can be", file=file)
    kind = "table" if profile else detect_format(file)
    try:
        if kind == "camt":
            return camt.read(file)
        if kind == "ofx":
            return ofx.read(file)
        if kind == "mt940":
            return mt940.read(file)
        return tabular.read(file, profile, profiles_dir)
    except StatementError:
        raise
    except (ValueError, ArithmeticError, KeyError, IndexError, UnicodeError) as exc:
        raise StatementError(f"cannot read this {kind} statement: {exc}", file=file) from None
