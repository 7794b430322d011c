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


def _ids(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split("|") if part.strip()]


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
