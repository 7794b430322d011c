"""The run journal: what a run has done, kept so that it can stop and go on later.

A run is a journal, as in durable workflow engines. While it runs, the runner writes:

- ``started`` before each try of a step, ``done`` (with the step's outputs) when it finished,
  ``parked`` when the step asked to wait (a timed retry, a long ``wait:``, an approval);
- ``clock`` for every ``today()`` / ``now()`` an expression read, and ``env`` once: the
  settings, the vars as computed and the run's start time.

Outputs are kept whole, not summarized: plain values as tagged JSON in the store (``Decimal``,
dates, paths keep their type), tables (pandas DataFrames) as JSON files in the run's folder
(``journal/``, column by column). A secret value inside an output is never written: it is
sealed as a reference to the secret's name and filled in again from the environment when the run
resumes. Writes are batched (``Journal``): the store always holds a prefix of what the run did,
and everything before a step with effects is committed before that step starts.

Resuming re-walks the recipe from the top (``bots.runner``): a step whose ``done`` entry exists
returns its outputs instead of running, so loops and groups find their place by themselves and
nothing finished runs twice. A step left ``started`` had no outputs when its process died: it
runs again only under ``on_interrupt: resume``.

``run_waits`` holds one row per parked run: what it waits for, and from when it is due
(``wake_at``, UTC; none while only a person can move it). Claiming a run to resume it is a
compare-and-set on its status (``waiting``/``interrupted`` -> ``running``) in one transaction,
so two schedulers, or a scheduler and ``deskbot resume``, never resume it twice.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import socket
import time
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

from sqlalchemy import Column, Index, Integer, String, Table, Text, bindparam, delete, insert, select, update

from bots.fileio import write_atomic
from bots.store import metadata, runs, utcnow
from bots.timeouts import shielded

run_journal = Table(
    "run_journal", metadata,
    Column("run_id", String(64), nullable=False),
    Column("key", String(500), nullable=False),
    Column("kind", String(20), nullable=False),     # started | done | parked | clock | env
    Column("attempt", Integer, nullable=False, default=0),
    Column("value", Text),
    Column("recorded", String(40), nullable=False),
    Index("run_journal_key", "run_id", "key", unique=True),
)

run_waits = Table(
    "run_waits", metadata,
    Column("run_id", String(64), primary_key=True),
    Column("recipe", String(200), nullable=False),
    Column("kind", String(20), nullable=False),     # approval | retry | wait
    Column("step", Text, nullable=False),           # where: path and label
    Column("detail", Text, nullable=False),         # what, for people: "retry 2/3"
    Column("wake_at", String(40)),                  # UTC ISO; due from then (none: a person decides)
    Column("approval_id", String(64)),
    Column("since", String(40), nullable=False),
    Index("run_waits_wake", "wake_at"),
)


class ResumeRefused(Exception):
    """The run cannot be resumed now (not parked, not due, taken by another process).
    ``waiting``: the run still waits (a pending approval, a retry not yet due)."""

    def __init__(self, message: str, waiting: bool = False):
        self.waiting = waiting
        super().__init__(message)


# ---- values in and out ---------------------------------------------------------------------

_SEAL = "\x00secret:{form}:{name}\x00"
_FORMS = {"raw": lambda v: v, "url": lambda v: quote(v, safe=""), "form": quote_plus,
          "json": lambda v: json.dumps(v)[1:-1]}


class Codec:
    """Outputs to JSON and back, exactly: tagged scalars, tables as files, secrets sealed."""

    def __init__(self, run_dir: Path, secrets: dict[str, str] | None = None):
        self.run_dir = Path(run_dir)
        self.set_secrets(secrets or {})

    def set_secrets(self, secrets: dict[str, str]) -> None:
        self.lost: list[str] = []
        self.secrets = dict(secrets)
        # longest first, so that a secret containing another is sealed whole
        self._needles = sorted(
            ((form(value), _SEAL.format(form=kind, name=name)) for name, value in self.secrets.items() if value
             for kind, form in _FORMS.items()), key=lambda pair: len(pair[0]), reverse=True)
        # each needle as it shows inside JSON text (quotes and backslashes escaped)
        self._text_needles = {json.dumps(needle, ensure_ascii=False)[1:-1] for needle, _ in self._needles if needle}

    # -- secrets
    def seal(self, text: str) -> Any:
        sealed = text
        for needle, token in self._needles:
            if needle and needle in sealed:
                sealed = sealed.replace(needle, token)
        return {"$sealed": sealed} if sealed != text else text

    def unseal(self, text: str) -> str:
        for name, value in self.secrets.items():
            for kind, form in _FORMS.items():
                text = text.replace(_SEAL.format(form=kind, name=name), form(value))
        if "\x00secret:" in text:
            raise ResumeRefused("a journaled value needs a secret this run no longer has; set it again"
                                " in the environment or .env")
        return text

    # -- values
    def dumps(self, value: Any, key: str = "") -> str:
        """``value`` as the journal's JSON text: what ``encode`` gives, written by the C encoder
        when that is provably the same.

        Step outputs are often thousands of plain records (an API's pages, a table's rows): the
        C encoder writes them ~20x faster than the exact walk. Reading the text back and comparing
        it with ``value`` proves nothing was bent on the way (a tuple made a list, a number key
        made text, a dict whose key looks like a tag); a secret anywhere in the text, a value
        without a tag, or any doubt takes the exact walk instead.
        """
        tables: dict[str, Any] = {}
        try:
            text = json.dumps(value, ensure_ascii=False, allow_nan=False,
                              default=lambda v: self._tag(v, key, tables))
        except (TypeError, ValueError, RecursionError):
            text = None
        if text is not None and not any(needle in text for needle in self._text_needles):
            try:
                same = json.loads(text, object_hook=lambda d: _untag(d, tables)) == value
            except (TypeError, ValueError, RecursionError):  # pd.NA refuses to be compared
                same = False
            if same:
                for relative, frame in tables.items():
                    self._write_table(frame, key, relative)
                return text
        return json.dumps(self.encode(value, key), ensure_ascii=False, allow_nan=True)

    def _tag(self, value: Any, key: str, tables: dict) -> Any:
        """The C encoder's hook for what JSON has no type for: the same tags as ``encode``."""
        tag = _scalar_tag(value)
        if tag is not None:
            return tag
        if _is_table(value):
            relative = _table_file(key, f"table{len(tables)}")
            tables[relative] = value
            return {"$table": relative}
        raise TypeError(type(value).__name__)

    def encode(self, value: Any, key: str = "", name: str = "value") -> Any:
        if value is None or isinstance(value, (bool, int)):
            return value
        if isinstance(value, float):
            return value if math.isfinite(value) else {"$float": repr(value)}
        if isinstance(value, str):
            return self.seal(value)
        tag = _scalar_tag(value)
        if tag is not None:
            return tag
        if _is_table(value):
            return {"$table": self._save_table(value, key, name)}
        if hasattr(value, "as_dict") and callable(value.as_dict):  # the runner's Outputs
            value = value.as_dict()
        if isinstance(value, dict):
            if all(isinstance(k, str) for k in value):
                out = {k: self.encode(v, key, f"{name}.{k}") for k, v in value.items()}
                if any(k.startswith("$") for k in value):
                    return {"$dict": out}
                return out
            return {"$pairs": [[self.encode(k, key, name), self.encode(v, key, name)] for k, v in value.items()]}
        if isinstance(value, tuple):
            return {"$tuple": [self.encode(v, key, f"{name}.{i}") for i, v in enumerate(value)]}
        if isinstance(value, (list, set, frozenset)):
            return [self.encode(v, key, f"{name}.{i}") for i, v in enumerate(value)]
        if hasattr(value, "item") and type(value).__module__ == "numpy":  # numpy scalars
            return self.encode(value.item(), key, name)
        if hasattr(value, "model_dump"):
            return self.encode(value.model_dump(), key, name)
        if _is_missing(value):
            return {"$na": True}
        if hasattr(value, "isoformat") and hasattr(value, "to_pydatetime"):  # pandas Timestamp
            return {"$datetime": value.to_pydatetime().isoformat()}
        # an object only this process understands (a live handle): kept as its absence, and said so
        self.lost.append(f"{name} ({type(value).__name__})")
        return {"$lost": type(value).__name__}

    def decode(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.decode(v) for v in value]
        if isinstance(value, str):
            return value
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            (tag, inner), = value.items()
            if tag == "$sealed":
                return self.unseal(inner)
            if tag == "$decimal":
                return Decimal(inner)
            if tag == "$datetime":
                return datetime.fromisoformat(inner)
            if tag == "$date":
                return date.fromisoformat(inner)
            if tag == "$path":
                return Path(inner)
            if tag == "$float":
                return float(inner)
            if tag == "$tuple":
                return tuple(self.decode(v) for v in inner)
            if tag == "$pairs":
                return {self.decode(k): self.decode(v) for k, v in inner}
            if tag == "$dict":
                return {k: self.decode(v) for k, v in inner.items()}
            if tag == "$table":
                return self._load_table(inner)
            if tag in ("$na", "$lost"):
                return None
        return {k: self.decode(v) for k, v in value.items()}

    # -- tables
    def _save_table(self, frame, key: str, name: str) -> str:
        relative = _table_file(key, name)
        self._write_table(frame, key, relative)
        return relative

    def _write_table(self, frame, key: str, relative: str) -> None:
        """A table as JSON, column by column: a column of one plain type (numbers, text without
        a secret, decimals, dates) is written as one list; any other column cell by cell."""
        import pandas as pd

        plain_index = isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0 and frame.index.step == 1
        body = {
            "columns": [self.encode(c, key, relative) for c in frame.columns],
            "dtypes": [str(t) for t in frame.dtypes],
            "index": None if plain_index else [self.encode(i, key, relative) for i in frame.index],
            "length": frame.shape[0],
            "cols": [self._column(frame.iloc[:, position], key) for position in range(frame.shape[1])],
        }
        path = self.run_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(body, ensure_ascii=False, allow_nan=True))

    def _column(self, column, key: str) -> dict:
        cells = column.tolist()
        if type(column.dtype).__module__ == "numpy" and column.dtype.kind in "biuf":
            return {"plain": cells}  # bools, ints and floats (NaN too): JSON keeps them exactly
        kinds = set(map(type, cells))
        if kinds <= {str, NoneType, int, bool}:
            text = "\x1f".join(c for c in cells if type(c) is str)
            if not any(needle in text for needle, _ in self._needles):
                return {"plain": cells}
        elif kinds <= {Decimal, NoneType}:
            return {"decimal": [None if c is None else str(c) for c in cells]}
        elif kinds <= {date, NoneType}:
            return {"date": [None if c is None else c.isoformat() for c in cells]}
        return {"cells": [self.encode(cell, key, "cell") for cell in cells]}

    def _column_cells(self, column: dict) -> list:
        (form, values), = column.items()
        if form == "plain":
            return values
        if form in _COLUMN_TYPES:
            parse = _COLUMN_TYPES[form]
            return [None if v is None else parse(v) for v in values]
        if form == "cells":
            return [self.decode(v) for v in values]
        raise ResumeRefused(f"a journal table has a column written as {form!r}, which this version cannot read")

    def _load_table(self, relative: str):
        import pandas as pd

        path = (self.run_dir / relative).resolve()
        if self.run_dir.resolve() not in path.parents:
            raise ResumeRefused(f"journal table {relative!r} is outside the run's folder")
        try:
            body = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ResumeRefused(f"journal table {path} cannot be read ({exc}); the run's folder was changed") from None
        columns = [self.decode(c) for c in body["columns"]]
        if "cols" in body:
            # column by column, so that a text column keeps its None (row-wise building makes it NaN)
            frame = pd.DataFrame({position: pd.Series(self._column_cells(column), dtype=object)
                                  for position, column in enumerate(body["cols"])}, index=range(body["length"]))
            frame.columns = pd.Index(columns, dtype=object)
        else:  # written row by row (before column-wise tables)
            rows = [[self.decode(cell) for cell in row] for row in body["rows"]]
            frame = pd.DataFrame(rows, columns=pd.Index(columns, dtype=object) if columns else None)
            if not columns:
                frame = pd.DataFrame(index=range(len(rows)))
        for position, dtype in enumerate(body["dtypes"]):
            if dtype != "object" and position < frame.shape[1]:
                try:
                    frame.isetitem(position, frame.iloc[:, position].astype(dtype))
                except (TypeError, ValueError):
                    pass  # the cells keep their exact values; only the column's dtype differs
        if body.get("index") is not None:
            frame.index = [self.decode(i) for i in body["index"]]
        return frame


def _scalar_tag(value: Any) -> dict | None:
    """The tag of a value JSON has no type for (decimals, dates, paths); None for any other."""
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, datetime):
        return {"$na": True} if _is_missing(value) else {"$datetime": value.isoformat()}  # pandas' NaT is one
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Path):
        return {"$path": str(value)}
    return None


_COLUMN_TYPES = {"decimal": Decimal, "date": date.fromisoformat}
NoneType = type(None)


def _table_file(key: str, name: str) -> str:
    digest = hashlib.sha256(f"{key}\n{name}".encode()).hexdigest()[:16]
    return f"journal/{digest}.json"


_PLAIN_TAGS = {"$decimal": Decimal, "$date": date.fromisoformat, "$datetime": datetime.fromisoformat, "$path": Path}


def _untag(value: dict, tables: dict) -> Any:
    """``json.loads`` hook for ``Codec.dumps``'s check: the tags its hook wrote, read back."""
    if len(value) == 1:
        (tag, inner), = value.items()
        if tag in _PLAIN_TAGS and isinstance(inner, str):
            return _PLAIN_TAGS[tag](inner)
        if tag == "$table":
            return tables.get(inner, _NOT_OURS)
        if tag.startswith("$"):
            return _NOT_OURS  # a tag the check cannot read back: the exact walk decides
    return value


_NOT_OURS = object()


def _is_table(value: Any) -> bool:
    return hasattr(value, "columns") and hasattr(value, "itertuples") and hasattr(value, "dtypes")


def _is_missing(value: Any) -> bool:
    try:
        import pandas as pd

        return value is pd.NA or value is pd.NaT
    except ImportError:
        return False


# ---- the journal of one run ----------------------------------------------------------------

@dataclass
class Entry:
    kind: str
    attempt: int
    #: the stored JSON text (None: no value); ``Journal.value`` decodes it
    text: str | None

    @property
    def value(self) -> Any:
        return json.loads(self.text) if self.text is not None else None


#: how long writes that may wait (a repeatable step's outputs, a clock reading) wait at most
FLUSH_AFTER_SECONDS = 0.5


class Journal:
    """Read and write one run's journal. Loaded whole on resume: a run has hundreds of rows.

    Writes are kept in order and committed together: ``write(..., durable=True)`` commits every
    write before it in the same transaction, so what is in the store is always a prefix of what
    the run did. Writes that may wait (``durable=False``) are committed by the next durable one,
    by ``flush()``, or once they are ``FLUSH_AFTER_SECONDS`` old. The runner makes a write
    durable before anything leaves the run (a step that acts on the world), so losing the
    writes after the last commit loses only work that is safe to do again.
    """

    _insert = insert(run_journal)
    # the SET clause comes from each row's own keys (kind, attempt, value, recorded)
    _update = update(run_journal).where(run_journal.c.run_id == bindparam("b_run_id"),
                                        run_journal.c.key == bindparam("b_key"))

    def __init__(self, store, run_id: str, codec: Codec, load: bool = False):
        self.store, self.run_id, self.codec = store, run_id, codec
        self.entries: dict[str, Entry] = {}
        self._stored: set[str] = set()            # keys that have a row in the store
        self._pending: dict[str, dict] = {}       # key -> row to write, in the order written
        self._also: list[tuple[Any, dict]] = []   # other rows that go in the same transaction
        self._oldest: float | None = None
        if load:
            with store.read() as conn:
                for row in conn.execute(select(run_journal).where(run_journal.c.run_id == run_id)):
                    self.entries[row.key] = Entry(row.kind, row.attempt, row.value)
            self._stored = set(self.entries)

    def get(self, key: str) -> Entry | None:
        return self.entries.get(key)

    def value(self, key: str) -> Any:
        """The decoded value of an entry (outputs, a clock read, the parked state)."""
        entry = self.entries.get(key)
        return None if entry is None or entry.text is None else self.codec.decode(entry.value)

    def write(self, key: str, kind: str, attempt: int = 0, value: Any = None, *, encoded: bool = False,
              durable: bool = True) -> None:
        if value is None:
            text = None
        elif encoded:
            text = json.dumps(value, ensure_ascii=False, allow_nan=True)
        else:
            text = self.codec.dumps(value, key)
        self._pending.pop(key, None)  # a later write of the same key replaces one not yet committed
        self._pending[key] = dict(kind=kind, attempt=attempt, value=text, recorded=utcnow())
        self.entries[key] = Entry(kind, attempt, text)
        self._queued(durable)

    def also(self, statement, row: dict, *, durable: bool = True) -> None:
        """Another table's row (a step try for the history) committed with the journal's writes."""
        self._also.append((statement, row))
        self._queued(durable)

    def _queued(self, durable: bool) -> None:
        if self._oldest is None:
            self._oldest = time.monotonic()
        if durable or time.monotonic() - self._oldest >= FLUSH_AFTER_SECONDS:
            self.flush()

    def flush(self) -> None:
        """Commit every write not yet committed, in one transaction."""
        if not self._pending and not self._also:
            return
        inserts, updates = [], []
        for key, row in self._pending.items():
            if key in self._stored:
                updates.append({**row, "b_run_id": self.run_id, "b_key": key})
            else:
                inserts.append({**row, "run_id": self.run_id, "key": key})
        # a step's timeout landing between the commit and the clearing below would leave the
        # committed rows pending, and the next flush would insert them twice
        with shielded():
            with self.store.write() as conn:
                if inserts:
                    conn.execute(self._insert, inserts)
                if updates:
                    conn.execute(self._update, updates)
                for statement, rows in _runs_of(self._also):
                    conn.execute(statement, rows)
            self._stored.update(self._pending)
            self._pending.clear()
            self._also.clear()
            self._oldest = None

    def park_run(self, *, recipe: str, kind: str, step: str, detail: str, wake_at: datetime | None,
                 approval_id: str | None = None, error: str | None = None) -> None:
        """The run waits: its wait row and its status, in one transaction."""
        self.flush()
        row = dict(recipe=recipe, kind=kind, step=step, detail=detail, approval_id=approval_id,
                   wake_at=iso(wake_at) if wake_at else None, since=utcnow())
        with self.store.write() as conn:
            if approval_id:
                # a decision that came while this run was parking must not be lost: the row lock
                # (PostgreSQL) orders this read after a concurrent decision, or that decision after us
                from bots.approvals import approvals

                status = conn.execute(select(approvals.c.status).where(approvals.c.id == approval_id)
                                      .with_for_update()).scalar()
                if status not in (None, "pending"):
                    row["wake_at"] = iso(now_utc())
            conn.execute(delete(run_waits).where(run_waits.c.run_id == self.run_id))
            conn.execute(insert(run_waits).values(run_id=self.run_id, **row))
            conn.execute(update(runs).where(runs.c.id == self.run_id).values(
                status="waiting", ended=None, error=error, failed_step=None))


def _runs_of(rows: list[tuple[Any, dict]]) -> list[tuple[Any, list[dict]]]:
    """Consecutive rows of the same statement, grouped for one executemany each."""
    runs_: list[tuple[Any, list[dict]]] = []
    for statement, row in rows:
        if runs_ and runs_[-1][0] is statement:
            runs_[-1][1].append(row)
        else:
            runs_.append((statement, [row]))
    return runs_


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


# ---- waits: listing, waking, claiming ------------------------------------------------------

def get_wait(store, run_id: str) -> dict | None:
    with store.read() as conn:
        row = conn.execute(select(run_waits).where(run_waits.c.run_id == run_id)).first()
    return dict(row._mapping) if row else None


def list_waits(store) -> list[dict]:
    with store.read() as conn:
        return [dict(r._mapping) for r in conn.execute(select(run_waits).order_by(run_waits.c.since))]


def due_runs(store, now: datetime | None = None) -> list[dict]:
    """Parked runs whose condition is met (a decision came, a retry or wait is due)."""
    moment = iso(now or now_utc())
    with store.read() as conn:
        rows = conn.execute(select(run_waits).join(runs, runs.c.id == run_waits.c.run_id)
                            .where(runs.c.status == "waiting", run_waits.c.wake_at.is_not(None),
                                   run_waits.c.wake_at <= moment)
                            .order_by(run_waits.c.wake_at)).all()
    return [dict(r._mapping) for r in rows]


def cut_off_steps(store, run_id: str) -> list[str]:
    """Journal keys of the step tries a dead process left ``started`` (they may have done part of
    their work); empty when the run stopped between steps."""
    with store.read() as conn:
        return list(conn.execute(select(run_journal.c.key).where(run_journal.c.run_id == run_id,
                                                                 run_journal.c.kind == "started")).scalars())


def wake(conn, run_id: str, moment: datetime | None = None) -> None:
    """Make a parked run due now (inside the caller's transaction, e.g. a decision's)."""
    conn.execute(update(run_waits).where(run_waits.c.run_id == run_id).values(wake_at=iso(moment or now_utc())))


def claim(store, run_id: str, *, due_only: bool, now: datetime | None = None) -> dict:
    """Take a parked or interrupted run to resume it here; exactly one claimant wins.

    Raises ResumeRefused saying why not (unknown, finished, not due, taken by another process).
    ``due_only`` (the scheduler) takes a waiting run only when its condition is met; ``deskbot
    resume`` may also take a waiting run early (a retry or wait cut short) and an interrupted one.
    """
    run = store.get_run(run_id)  # also turns a dead process's "running" into "interrupted"
    if run is None:
        raise ResumeRefused(f"no run {run_id!r}; see 'deskbot runs'")
    run_id = run["id"]
    moment = iso(now or now_utc())
    with store.write() as conn:
        row = conn.execute(select(runs.c.status, runs.c.pid, runs.c.host).where(runs.c.id == run_id)).first()
        wait = conn.execute(select(run_waits).where(run_waits.c.run_id == run_id)).first()
        if row.status == "waiting":
            if wait is None:
                raise ResumeRefused(f"run {run_id} is marked waiting but records nothing to wait for")
            if due_only and (wait.wake_at is None or wait.wake_at > moment):
                raise ResumeRefused(f"run {run_id} is not due: {describe_wait(dict(wait._mapping))}", waiting=True)
        elif row.status == "interrupted":
            if due_only:
                raise ResumeRefused(f"run {run_id} was interrupted; an operator resumes it with 'deskbot resume'")
        elif row.status == "running":
            raise ResumeRefused(f"run {run_id} is running now (pid {row.pid} on {row.host}); resumed elsewhere")
        else:
            raise ResumeRefused(f"run {run_id} has finished ({row.status}); nothing to resume")
        taken = conn.execute(update(runs).where(runs.c.id == run_id, runs.c.status == row.status).values(
            status="running", pid=os.getpid(), host=socket.gethostname(), ended=None)).rowcount
        if taken != 1:
            raise ResumeRefused(f"run {run_id} was taken by another process just now")
        conn.execute(delete(run_waits).where(run_waits.c.run_id == run_id))
    run["status"] = "running"
    run["wait"] = dict(wait._mapping) if wait is not None else None
    return run


def describe_wait(wait: dict, tz: timezone | None = None) -> str:
    """What a parked run waits for, for people: "retry 2/3 at 10:35", "approval 7f3a (pending)"."""
    text = wait["detail"]
    if wait["kind"] != "approval" and wait.get("wake_at"):
        local = datetime.fromisoformat(wait["wake_at"]).astimezone(tz)
        today = datetime.now(local.tzinfo).date()
        text += f" at {local:%H:%M}" if local.date() == today else f" at {local:%Y-%m-%d %H:%M}"
    return text
