"""The normalized statement line, shared by every reader and by the matching engine.

One row per bank (or ledger) line, as DESIGN.md fixes it::

    id, date (YYYY-MM-DD), amount (signed Decimal, credit positive), currency,
    description, reference, counterparty

``Statement`` wraps the lines of one file with what the file says about itself (account,
opening/closing balances per statement section) so a reader can be cross-checked against the
bank's own arithmetic.

Ids are stable: the bank's own id where the format carries one (camt ``AcctSvcrRef``, OFX
``FITID``, PayPal ``Transaction ID``), otherwise a hash of the line's content plus its
occurrence number among identical lines of the same file. Re-reading a file gives the same
ids, and two genuine identical card payments on one day still get two ids.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

COLUMNS = ["id", "date", "amount", "currency", "description", "reference", "counterparty"]
TEXT_COLUMNS = ["currency", "description", "reference", "counterparty"]


class StatementError(ValueError):
    """A statement file cannot be read. The message names the file, the line (and column) and
    what to do."""

    def __init__(self, message: str, *, file: str | Path | None = None, line: int | None = None,
                 column: int | str | None = None):
        self.file, self.line, self.column, self.reason = (str(file) if file else None), line, column, message
        where = ""
        if file:
            where = f"{file}" + (f", line {line}" if line else "") + (f", column {column}" if column else "") + ": "
        super().__init__(f"{where}{message}")


class UnbalancedStatement(StatementError):
    """The lines do not add up to the statement's own balances, or a closing balance the format
    requires is missing. ``statement`` is what was read, for the operator to inspect."""

    def __init__(self, message: str, *, file: str | Path, statement: "Statement"):
        super().__init__(message, file=file)
        self.statement = statement


@dataclass
class Section:
    """One statement inside a file (MT940 files and camt documents may hold several)."""

    account: str = ""
    currency: str = ""
    opening: Decimal | None = None
    closing: Decimal | None = None
    total: Decimal = Decimal(0)
    count: int = 0
    #: the format makes a closing balance mandatory (MT940, camt.053, OFX) and an opening one
    #: (MT940, camt.053; OFX has none)
    required: bool = False
    opening_required: bool = False
    #: what this section's own arithmetic says is wrong beyond opening + lines != closing
    #: (a running balance that breaks at a row, gross - fee != net)
    problems: list[str] = field(default_factory=list)

    @property
    def balanced(self) -> bool | None:
        """True when opening + lines == closing; None when the file gives no balances."""
        if self.problems:
            return False
        if self.opening is None or self.closing is None:
            return None
        return self.opening + self.total == self.closing


@dataclass
class Statement:
    path: str
    format: str
    lines: pd.DataFrame
    sections: list[Section] = field(default_factory=list)
    parser: str = ""
    warnings: list[str] = field(default_factory=list)
    #: rows read but left out because they move no money, each with its reason (``Excluded``)
    excluded: list["Excluded"] = field(default_factory=list)
    #: where the table ended (a total or footer row) and what followed, for the operator
    footer: list[str] = field(default_factory=list)
    #: balance problems accepted with --allow-unbalanced (each also a warning)
    unbalanced: list[str] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum(self.lines["amount"], Decimal(0)) if len(self.lines) else Decimal(0)

    def to_json(self) -> dict:
        rows = frame_to_records(self.lines)
        return {
            "file": self.path, "format": self.format, "parser": self.parser,
            "count": len(rows), "total": str(self.total),
            "sections": [{"account": s.account, "currency": s.currency,
                          "opening": None if s.opening is None else str(s.opening),
                          "closing": None if s.closing is None else str(s.closing),
                          "count": s.count, "total": str(s.total), "balanced": s.balanced}
                         for s in self.sections],
            "warnings": self.warnings, "unbalanced": self.unbalanced,
            "excluded": [e.to_json() for e in self.excluded], "footer": self.footer, "lines": rows,
        }


@dataclass
class Excluded:
    """A statement row that is not a money movement (closed, failed, neither income nor
    expense, fully refunded…), kept out of the lines with the rule that said so."""

    where: str                    # "row 14", "line 230"
    reason: str
    date: str = ""
    amount: str = ""
    currency: str = ""
    description: str = ""
    counterparty: str = ""
    id: str = ""

    def to_json(self) -> dict:
        return {"where": self.where, "reason": self.reason, "date": self.date, "amount": self.amount,
                "currency": self.currency, "description": self.description, "counterparty": self.counterparty,
                "id": self.id}


def frame_to_records(frame: pd.DataFrame) -> list[dict]:
    out = []
    for row in frame[COLUMNS].itertuples(index=False):
        out.append({"id": row.id, "date": _iso(row.date), "amount": str(row.amount),
                    "currency": row.currency, "description": row.description,
                    "reference": row.reference, "counterparty": row.counterparty})
    return out


def _iso(value) -> str:
    if isinstance(value, (date, pd.Timestamp)):
        return value.strftime("%Y-%m-%d")
    return str(value)


def make_frame(records: list[dict], *, source: str = "") -> pd.DataFrame:
    """Normalized DataFrame from reader records; fills ids that the bank did not give.

    Each record has ``date`` (datetime.date), ``amount`` (Decimal), and optionally
    ``bank_id``, ``currency``, ``description``, ``reference``, ``counterparty``.
    """
    frame = pd.DataFrame.from_records(
        [{"bank_id": r.get("bank_id") or "", "date": r["date"], "amount": r["amount"],
          "currency": (r.get("currency") or "").strip().upper(),
          "description": _clean(r.get("description")), "reference": _clean(r.get("reference")),
          "counterparty": _clean(r.get("counterparty"))} for r in records],
        columns=["bank_id", "date", "amount", "currency", "description", "reference", "counterparty"])
    frame["date"] = pd.to_datetime(frame["date"]).dt.normalize() if len(frame) else pd.Series([], dtype="datetime64[ns]")
    frame.insert(0, "id", assign_ids(frame))
    return frame.drop(columns="bank_id")[COLUMNS].reset_index(drop=True)


def _clean(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return " ".join(str(value).split())


def assign_ids(frame: pd.DataFrame) -> pd.Series:
    """Bank ids where present, else content hash + occurrence among identical lines."""
    if not len(frame):
        return pd.Series([], dtype=object)
    days = frame["date"].dt.strftime("%Y-%m-%d").tolist() if len(frame) < 1000 else \
        np.datetime_as_string(frame["date"].to_numpy().astype("datetime64[D]")).tolist()
    content = ["|".join((d, str(a), c, s, r, p)) for d, a, c, s, r, p in zip(
        days, frame["amount"].tolist(), frame["currency"].tolist(), frame["description"].tolist(),
        frame["reference"].tolist(), frame["counterparty"].tolist())]
    occurrence = pd.Series(content).groupby(content, sort=False).cumcount().tolist()
    hashed = [hashlib.sha1(f"{c}|{n}".encode()).hexdigest()[:16] for c, n in zip(content, occurrence)]
    bank = [str(b).strip() for b in frame["bank_id"].tolist()] if "bank_id" in frame else [""] * len(frame)
    # a bank id seen again with the same content is the same line exported twice: it keeps its
    # id (and is reported as a duplicate); under different content the id is only a placeholder
    # (WeChat repeats one number), so the n-th distinct content gets "/n"
    keyed = pd.DataFrame({"bank": bank, "content": pd.factorize(pd.Series(content))[0]})
    distinct = keyed.drop_duplicates(["bank", "content"])
    distinct = distinct.assign(variant=distinct.groupby("bank", sort=False).cumcount())
    variant = keyed.merge(distinct, on=["bank", "content"], how="left")["variant"].tolist()
    ids = [(b if n == 0 else f"{b}/{n + 1}") if b else h for b, n, h in zip(bank, variant, hashed)]
    return pd.Series(ids, index=frame.index, dtype=object)


def plain_decimal(value) -> Decimal | None:
    """Fast path for amounts already written plainly (``-1234.50``); None means 'parse it fully'."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str) and _PLAIN.match(value):
        return Decimal(value)
    return None


_PLAIN = __import__("re").compile(r"^-?\d+(\.\d+)?$")
_ISO_DATE = __import__("re").compile(r"^\d{4}-\d{2}-\d{2}$")


def plain_date(value) -> date | None:
    """Fast path for ISO dates and real dates; None means 'parse it fully'."""
    if isinstance(value, date):
        return value.date() if isinstance(value, pd.Timestamp) or hasattr(value, "hour") else value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def to_cents(amounts: pd.Series) -> np.ndarray:
    """Signed integer cents of an amount column (Decimal, float or int), as int64."""
    if pd.api.types.is_float_dtype(amounts):
        return np.round(amounts.to_numpy() * 100).astype(np.int64)
    if pd.api.types.is_integer_dtype(amounts):
        return amounts.to_numpy().astype(np.int64) * 100
    return np.fromiter((int((Decimal(a) * 100).to_integral_value()) for a in amounts), np.int64, len(amounts))
