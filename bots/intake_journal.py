"""The intake journal: which files the watch folder (and the ``ocr.*`` steps) took, what became of
each, and which invoices were booked; in the store, so every watcher on every machine shares it.

    from bots.intake_journal import IntakeJournal
    journal = IntakeJournal.at_home(home)          # DESKBOT_DATABASE, else DESKBOT_HOME/runs.db
    if journal.take(digest, "scan.pdf"):           # True for exactly one watcher
        ...
    journal.record_booking(digest, "ACME GmbH", "R-1", "100.00", "scan.pdf")   # False if booked before

Tables: ``intake_files`` (one row per content hash: state ``taken`` -> ``booking`` -> ``filing``
-> ``done``, or ``waiting`` for a retry; who holds it), ``intake_bookings`` (issuer + invoice
number, normalized, booked once), ``intake_events`` (what happened, in order). The filing rules
are in ``bots.intake``; this module is light on purpose, since every process that opens the store
imports it.

The journal of an older release, ``DESKBOT_HOME/intake.db``, is imported on first use, once (a
once-key per host and path), then renamed ``intake.db.imported``.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Index, Integer, String, Table, Text, func, insert, select, update

from bots.store import holder_alive, holder_id, metadata


def _norm(text: str) -> str:
    """Issuer / number key: case, accents, punctuation and legal-form noise do not matter."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode() or str(text)
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


intake_files = Table(
    "intake_files", metadata,
    Column("hash", Text, primary_key=True),        # SHA-256 of the content ("empty:<name>:<mtime>" for 0 bytes)
    Column("name", Text, nullable=False),
    Column("state", String(20), nullable=False),   # booking | waiting | filing | done
    Column("outcome", String(20)),
    Column("dest", Text),
    Column("folder", Text),
    Column("updated", String(40), nullable=False),
    Column("holder", Text),                        # host:pid of the watcher processing it now
    Column("taken", String(40)),                   # when that watcher took it
)

intake_bookings = Table(
    "intake_bookings", metadata,
    Column("issuer_key", Text, primary_key=True),
    Column("number_key", Text, primary_key=True),
    Column("hash", Text, nullable=False),
    Column("issuer", Text),
    Column("number", Text),
    Column("amount", Text),
    Column("name", Text),
    Column("booked", String(40), nullable=False),
)

intake_events = Table(
    "intake_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(40), nullable=False),
    Column("hash", Text),
    Column("name", Text),
    Column("outcome", String(20)),
    Column("dest", Text),
    Column("detail", Text),
    Index("intake_events_hash", "hash"),
)

LEGACY_FILE = "intake.db"
#: a watcher on another machine that took a file and went silent this long lost it to the others
#: (on its own machine a watcher whose process is gone loses it at once)
TAKEN_LEASE = timedelta(hours=1)


class IntakeJournal:
    """The journal of files taken and invoices booked, in the store (``DESKBOT_DATABASE``, else
    ``DESKBOT_HOME/runs.db``). Safe to share between threads, processes and machines."""

    def __init__(self, home: str | Path, url: str | None = None):
        from bots.store import database_url, engine_for

        self.home = Path(home)
        self.home.mkdir(parents=True, exist_ok=True)
        self.url = url or database_url(self.home)
        self.engine = engine_for(self.url)
        import_legacy_journal(self)

    @classmethod
    def at_home(cls, home: str | Path, url: str | None = None) -> "IntakeJournal":
        return cls(home, url)

    def close(self) -> None:
        """Nothing to release: connections return to the process's pool."""

    def _write(self):
        from bots.store import writing

        return writing(self.engine)

    def get(self, digest: str) -> dict | None:
        c = intake_files.c
        with self.engine.connect() as conn:
            row = conn.execute(select(c.hash, c.name, c.state, c.outcome, c.dest, c.folder, c.updated)
                               .where(c.hash == digest)).first()
        return dict(row._mapping) if row else None

    def set_state(self, digest: str, name: str, state: str, outcome: str | None = None, dest: str | None = None,
                  folder: str | None = None) -> None:
        c = intake_files.c
        with self._write() as conn:
            statement = _insert_for(conn)(intake_files).values(
                hash=digest, name=name, state=state, outcome=outcome, dest=dest, folder=folder, updated=_now())
            # a file waiting for a retry, or done, is nobody's any more
            holder = {"holder": None, "taken": None} if state in ("waiting", "done") else {}
            conn.execute(statement.on_conflict_do_update(index_elements=[c.hash], set_=dict(
                name=statement.excluded.name, state=statement.excluded.state,
                outcome=func.coalesce(statement.excluded.outcome, c.outcome),
                dest=func.coalesce(statement.excluded.dest, c.dest),
                folder=func.coalesce(statement.excluded.folder, c.folder),
                updated=statement.excluded.updated, **holder)))

    def take(self, digest: str, name: str, folder: str | None = None) -> bool:
        """Take a file to process it: True for exactly one watcher, on any machine, until it is
        done or waits for a retry. A watcher whose process is gone (on its machine) or that went
        silent past :data:`TAKEN_LEASE` (elsewhere) loses it; this process taking again is fine."""
        from bots.store import insert_ignore

        me, now = holder_id(), _now()
        c = intake_files.c
        with self._write() as conn:
            if insert_ignore(conn, intake_files, dict(hash=digest, name=name, state="taken", folder=folder,
                                                      updated=now, holder=me, taken=now)):
                return True
            row = conn.execute(select(c.state, c.holder, c.taken).where(c.hash == digest)).first()
            if row.state == "done" or (row.holder not in (None, me) and holder_alive(row.holder, datetime.fromisoformat(row.taken) if row.taken else None,
                                                                          TAKEN_LEASE)):
                return False
            # compare-and-set on the holder seen, so two watchers taking over a dead one's file race safely
            same = c.holder.is_(None) if row.holder is None else c.holder == row.holder
            return conn.execute(update(intake_files).where(c.hash == digest, c.state != "done", same).values(
                holder=me, taken=now)).rowcount == 1

    def release(self, digest: str) -> None:
        """Give back a file this process took but did not get to (it stops)."""
        c = intake_files.c
        with self._write() as conn:
            conn.execute(update(intake_files).where(c.hash == digest, c.holder == holder_id()).values(
                holder=None, taken=None))

    def holder_of(self, digest: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(select(intake_files.c.holder).where(intake_files.c.hash == digest)).scalar()

    def unfinished(self) -> list[dict]:
        c = intake_files.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(c.hash, c.name, c.state, c.outcome, c.dest, c.folder, c.updated)
                                .where(c.state != "done")).all()
        return [dict(r._mapping) for r in rows]

    def booked_before(self, issuer: str, number: str, except_hash: str | None = None) -> str | None:
        """A description of the earlier booking of issuer + number, or None."""
        c = intake_bookings.c
        with self.engine.connect() as conn:
            row = conn.execute(select(c.hash, c.name, c.booked).where(
                c.issuer_key == _norm(issuer), c.number_key == _norm(number))).first()
        if not row or row.hash == except_hash:
            return None
        return f"{issuer} {number} from {row.name} on {row.booked[:10]}"

    def record_booking(self, digest: str, issuer: str, number: str, amount: Any, name: str) -> bool:
        """Remember a booked invoice; False when issuer + number was already booked."""
        from bots.store import insert_ignore

        with self._write() as conn:
            return bool(insert_ignore(conn, intake_bookings, dict(
                issuer_key=_norm(issuer), number_key=_norm(number), hash=digest, issuer=issuer, number=number,
                amount=str(amount), name=name, booked=_now())))

    def bookings(self) -> list[dict]:
        c = intake_bookings.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(c.hash, c.issuer, c.number, c.amount, c.name, c.booked)).all()
        return [dict(r._mapping) for r in rows]

    def event(self, digest: str | None, name: str, outcome: str, dest: str | None, detail: str = "") -> None:
        with self._write() as conn:
            conn.execute(insert(intake_events).values(at=_now(), hash=digest, name=name, outcome=outcome, dest=dest,
                                                      detail=detail))


def _insert_for(conn):
    from sqlalchemy.dialects.postgresql import insert as pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return pg_insert if conn.dialect.name == "postgresql" else sqlite_insert


def import_legacy_journal(journal: IntakeJournal) -> int:
    """Import ``DESKBOT_HOME/intake.db`` (the journal of an older release) into the store once,
    then rename it ``intake.db.imported``; returns the rows imported. A file done in either copy
    stays done; a booking already known is kept."""
    from bots.store import insert_ignore, legacy_import_key, once_keys, read_legacy_sqlite, retire_legacy, utcnow

    legacy = journal.home / LEGACY_FILE
    if not legacy.is_file():
        return 0
    old = read_legacy_sqlite(legacy, {
        "files": "SELECT hash, name, state, outcome, dest, folder, updated FROM files",
        "bookings": "SELECT issuer_key, number_key, hash, issuer, number, amount, name, booked FROM bookings",
        "events": "SELECT at, hash, name, outcome, dest, detail FROM events ORDER BY rowid"})
    if old is None:
        return 0
    imported = 0
    c = intake_files.c
    with journal._write() as conn:
        if insert_ignore(conn, once_keys, {"key": legacy_import_key(legacy), "run_id": "-", "at": utcnow()}):
            for row in old["files"]:
                if insert_ignore(conn, intake_files, row):
                    imported += 1
                elif row["state"] == "done":
                    imported += conn.execute(update(intake_files).where(c.hash == row["hash"], c.state != "done")
                                             .values(**row, holder=None, taken=None)).rowcount
            for row in old["bookings"]:
                imported += insert_ignore(conn, intake_bookings, row)
            if old["events"]:
                conn.execute(insert(intake_events), old["events"])
                imported += len(old["events"])
    retire_legacy(legacy)
    return imported
