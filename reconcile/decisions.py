"""The operator's manual decisions: a CSV file they edit, honoured on every re-run.

    action,bank_id,ledger_id,note
    match,TX-1042,INV-2026-0031,"paid together with the credit note"
    match,TX-1043,INV-2026-0032|INV-2026-0033,one transfer for two invoices
    confirm,TX-1050,INV-2026-0040,suggestion accepted
    reject,TX-1060,INV-2026-0077,"same amount, different customer"
    ignore,TX-1070,,bank fee booked elsewhere

- ``match`` / ``confirm``: these lines belong together (``|`` separates several ids: a
  one-to-many or many-to-one match). Applied before any automatic pass.
- ``reject``: never pair these two lines automatically.
- ``ignore``: leave these lines out of matching and out of the open items.

Lines starting with ``#`` are comments. Ids not present in a run are reported as warnings
and kept: a decision about next month's line waits for next month.

Programs add a decision with :func:`append_decision` (the console does, for the operator who
confirms a suggestion there): under a lock beside the file, written to a temporary file and
renamed, and only when the same decision is not in the file already, so it is never there twice.
Ids and notes are written as ``sheets.writer.safe_text`` writes them (a leading ``'`` before
``= + - @``, so a spreadsheet opening the file runs no formula); reading takes the ``'`` off again.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ACTIONS = ("match", "confirm", "reject", "ignore")
HEADER = ["action", "bank_id", "ledger_id", "note"]
TEMPLATE = (
    "# Manual decisions, honoured on every run. One per row:\n"
    "#   match/confirm BANK_ID LEDGER_ID (several ids joined by |), reject BANK_ID LEDGER_ID, ignore BANK_ID or LEDGER_ID\n"
    "action,bank_id,ledger_id,note\n"
)


class DecisionsError(ValueError):
    pass


@dataclass
class Decision:
    action: str
    bank_ids: list[str]
    ledger_ids: list[str]
    note: str = ""
    line: int = 0


@dataclass
class Decisions:
    rows: list[Decision] = field(default_factory=list)
    path: str | None = None


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _unguard(text: str) -> str:
    """An id written with a spreadsheet's formula guard (``'=x``) is the id ``=x``."""
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text


def _ids(text: str) -> list[str]:
    return [_unguard(part.strip()) for part in (text or "").split("|") if part.strip()]


def load_decisions(path: str | Path | None) -> Decisions:
    """Read a decisions file; a missing file means no decisions."""
    if path is None or not Path(path).exists():
        return Decisions(path=str(path) if path else None)
    text = Path(path).read_text(encoding="utf-8-sig")
    rows: list[Decision] = []
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        return Decisions(path=str(path))
    # Excel in many European locales saves CSV with semicolons
    delimiter = ";" if ";" in lines[0][1] and "," not in lines[0][1] else ","
    reader = csv.reader(io.StringIO("\n".join(line for _, line in lines)), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    if header[:3] != HEADER[:3]:
        raise DecisionsError(f"{path}, line {lines[0][0]}: the header must be {','.join(HEADER)}")
    for (number, _), values in zip(lines[1:], reader):
        values = values + [""] * (4 - len(values))
        action = values[0].strip().lower()
        if action not in ACTIONS:
            raise DecisionsError(f"{path}, line {number}: action {values[0]!r} is not one of {', '.join(ACTIONS)}")
        bank_ids, ledger_ids = _ids(values[1]), _ids(values[2])
        if action in ("match", "confirm", "reject") and (not bank_ids or not ledger_ids):
            raise DecisionsError(f"{path}, line {number}: {action} needs a bank_id and a ledger_id")
        if action == "ignore" and not (bank_ids or ledger_ids):
            raise DecisionsError(f"{path}, line {number}: ignore needs a bank_id or a ledger_id")
        rows.append(Decision("match" if action == "confirm" else action, bank_ids, ledger_ids, values[3].strip(), number))
    return Decisions(rows, str(path))


def ensure_template(path: str | Path) -> None:
    """Create an empty decisions file with its instructions, unless one exists."""
    target = Path(path)
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(TEMPLATE)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temp, 0o666 & ~umask)
    os.replace(temp, target)


def _same(row: Decision, action: str, bank_ids: list[str], ledger_ids: list[str]) -> bool:
    action = "match" if action == "confirm" else action
    return row.action == action and sorted(row.bank_ids) == sorted(bank_ids) and \
        sorted(row.ledger_ids) == sorted(ledger_ids)


def append_decision(path: str | Path, action: str, bank_ids: list[str], ledger_ids: list[str],
                    note: str = "") -> bool:
    """Add one decision to the file (created with its instructions when missing).

    Returns False, changing nothing, when the file already holds the same decision (``confirm``
    and ``match`` are the same). Raises DecisionsError when the decision is malformed or the
    file cannot be read."""
    from filelock import FileLock

    from sheets.writer import safe_text

    action = action.strip().lower()
    if action not in ACTIONS:
        raise DecisionsError(f"action {action!r} is not one of {', '.join(ACTIONS)}")
    bank_ids = [str(i).strip() for i in bank_ids if str(i).strip()]
    ledger_ids = [str(i).strip() for i in ledger_ids if str(i).strip()]
    if action in ("match", "confirm", "reject") and (not bank_ids or not ledger_ids):
        raise DecisionsError(f"{action} needs a bank_id and a ledger_id")
    if action == "ignore" and not (bank_ids or ledger_ids):
        raise DecisionsError("ignore needs a bank_id or a ledger_id")
    if any("|" in i or "\n" in i for i in bank_ids + ledger_ids):
        raise DecisionsError("an id cannot hold '|' or a line break")
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target) + ".lock", timeout=30):
        ensure_template(target)
        if any(_same(row, action, bank_ids, ledger_ids) for row in load_decisions(target).rows):
            return False
        text = target.read_text(encoding="utf-8-sig")
        header = next((line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")), "")
        delimiter = ";" if ";" in header and "," not in header else ","
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerow(
            [action, "|".join(safe_text(i) for i in bank_ids), "|".join(safe_text(i) for i in ledger_ids),
             safe_text(" ".join(note.split()))])
        if text and not text.endswith("\n"):
            text += "\n"
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(text + buffer.getvalue())
            os.chmod(temp, target.stat().st_mode & 0o777)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    return True
