"""What the scheduler remembers between starts, in the store: last fires, due runs, files taken.

    from bots.schedule_state import ScheduleState
    state = ScheduleState(home)                 # the store of DESKBOT_DATABASE, else DESKBOT_HOME/runs.db
    state.claim_fires(key, expected_last, new_last, runs)   # True for exactly one scheduler

Three tables on the store (SQLite by default, PostgreSQL with ``DESKBOT_DATABASE``):

- ``schedule_triggers``: each time trigger's last handled fire and the fingerprint of its timing;
- ``schedule_due_runs``: runs that are due but not started yet (a restart loses none of them);
- ``schedule_seen_files``: the files a folder trigger has taken (path, size and mtime).

Every change that two schedulers could race on is a compare-and-set that the database settles
(a conditional UPDATE or DELETE whose row count says who won, or an insert on a primary key), so
schedulers on several machines sharing one PostgreSQL store queue each fire and each file once.

Upgrading from a release that kept this in ``DESKBOT_HOME/schedule.db``: the first process that
opens the state imports that file in one transaction (recorded in ``once_keys`` per host and
path, so it happens once even when a scheduler and its workers start together), then renames it
``schedule.db.imported``. Last fires, due runs and taken files carry over, so missed-fire
catch-up and "this file was already taken" stay right across the upgrade.

This module is light on purpose (SQLAlchemy and the store only): every process that opens the
store imports it, the fire-time rules stay in ``bots.scheduling``.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import BigInteger, Column, Index, Integer, String, Table, Text, delete, func, insert, select, update

from bots.store import (database_url, engine_for, holder_alive, holder_id, insert_ignore, legacy_import_key, metadata,
                         once_keys, read_legacy_sqlite, retire_legacy, utcnow, writing)

UTC = timezone.utc
log = logging.getLogger("deskbot.scheduler")

schedule_triggers = Table(
    "schedule_triggers", metadata,
    Column("key", Text, primary_key=True),
    Column("recipe", Text, nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("last_fire", String(40), nullable=False),   # stamp(): fixed-width UTC text, compares as time
    Column("updated", String(40), nullable=False),
)

schedule_due_runs = Table(
    "schedule_due_runs", metadata,
    # ids never come back (SQLite AUTOINCREMENT): a worker's stale due id cannot start another run
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("trigger_key", Text, nullable=False),
    Column("recipe", Text, nullable=False),
    Column("recipe_file", Text, nullable=False),
    Column("trigger", Text, nullable=False),
    Column("overlap", String(20), nullable=False),
    Column("created", String(40), nullable=False),
    Column("not_before", String(40)),
    Column("claimed_by", Text),
    Column("claimed_at", String(40)),
    Index("schedule_due_runs_recipe", "recipe", "id"),
    sqlite_autoincrement=True,
)

schedule_seen_files = Table(
    "schedule_seen_files", metadata,
    Column("trigger_key", Text, primary_key=True),
    Column("path", Text, primary_key=True),
    Column("size", BigInteger, primary_key=True, autoincrement=False),
    Column("mtime_ns", BigInteger, primary_key=True, autoincrement=False),
    Column("seen", String(40), nullable=False),
)

LEGACY_FILE = "schedule.db"
#: a due run claimed by a scheduler on another machine for this long goes back in the queue: that
#: scheduler died between claiming it and queueing it (with PostgreSQL a claim lasts milliseconds;
#: a claim of this machine is freed as soon as its process is gone)
FOREIGN_CLAIM_LEASE = timedelta(minutes=5)


def stamp(moment: datetime) -> str:
    """Fixed-width UTC text, so the database compares instants as strings."""
    if moment.tzinfo is None:
        raise ValueError("give an aware datetime (with tzinfo); naive times are ambiguous")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_stamp(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


@dataclass
class DueRun:
    id: int
    trigger_key: str
    recipe: str
    recipe_file: str
    trigger: dict
    overlap: str
    not_before: datetime | None = None
    claimed_by: str | None = None


def _holder_alive(holder: str, claimed_at: str | None = None, now: datetime | None = None) -> bool:
    return holder_alive(holder, parse_stamp(claimed_at) if claimed_at else None, FOREIGN_CLAIM_LEASE, now)


class ScheduleState:
    """Last fires, due runs and files taken, in the store. Safe for several processes and machines."""

    def __init__(self, home: Path, url: str | None = None):
        self.home = Path(home)
        self.home.mkdir(parents=True, exist_ok=True)
        self.url = url or database_url(self.home)
        self.engine = engine_for(self.url)
        import_legacy_state(self)

    def close(self) -> None:
        """Nothing to release: connections return to the process's pool."""

    # ---- time triggers ---------------------------------------------------------------------
    def trigger_state(self, key: str) -> tuple[datetime, str] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(schedule_triggers.c.last_fire, schedule_triggers.c.fingerprint)
                               .where(schedule_triggers.c.key == key)).first()
        return (parse_stamp(row.last_fire), row.fingerprint) if row else None

    def last_fires(self) -> dict[str, datetime]:
        with self.engine.connect() as conn:
            return {row.key: parse_stamp(row.last_fire) for row in conn.execute(
                select(schedule_triggers.c.key, schedule_triggers.c.last_fire))}

    def start_trigger(self, key: str, recipe: str, fp: str, now: datetime) -> None:
        """A trigger seen for the first time (or whose definition changed) counts from now."""
        with writing(self.engine) as conn:
            if not insert_ignore(conn, schedule_triggers, dict(key=key, recipe=recipe, fingerprint=fp,
                                                               last_fire=stamp(now), updated=stamp(now))):
                conn.execute(update(schedule_triggers).where(
                    schedule_triggers.c.key == key, schedule_triggers.c.fingerprint != fp).values(
                    fingerprint=fp, last_fire=stamp(now), updated=stamp(now)))

    def claim_fires(self, key: str, expected_last: datetime, new_last: datetime, runs: list[dict]) -> bool:
        """Move the trigger's last fire and queue its runs, only if nobody else did it first."""
        with writing(self.engine) as conn:
            # the condition is in the UPDATE itself: on PostgreSQL a second scheduler's UPDATE waits
            # for the first to commit, then finds the last fire moved and changes nothing
            moved = conn.execute(update(schedule_triggers).where(
                schedule_triggers.c.key == key, schedule_triggers.c.last_fire == stamp(expected_last)).values(
                last_fire=stamp(new_last), updated=stamp(datetime.now(UTC)))).rowcount
            if moved != 1:
                return False
            for run in runs:
                _insert_due(conn, key, run)
        return True

    # ---- folder triggers -------------------------------------------------------------------
    def file_seen(self, key: str, path: str, size: int, mtime_ns: int) -> bool:
        c = schedule_seen_files.c
        with self.engine.connect() as conn:
            return conn.execute(select(c.trigger_key).where(c.trigger_key == key, c.path == path, c.size == size,
                                                            c.mtime_ns == mtime_ns)).first() is not None

    def take_file(self, key: str, path: str, size: int, mtime_ns: int, run: dict) -> bool:
        """Remember the file and queue its run, once: False if any process took it before."""
        with writing(self.engine) as conn:
            if not insert_ignore(conn, schedule_seen_files, dict(trigger_key=key, path=path, size=size,
                                                                 mtime_ns=mtime_ns, seen=stamp(datetime.now(UTC)))):
                return False
            _insert_due(conn, key, run)
        return True

    def files_taken(self) -> dict[str, int]:
        """Trigger key -> how many files it has taken."""
        c = schedule_seen_files.c
        with self.engine.connect() as conn:
            return dict(conn.execute(select(c.trigger_key, func.count()).group_by(c.trigger_key)).all())

    # ---- due runs --------------------------------------------------------------------------
    def due(self) -> list[DueRun]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(schedule_due_runs).order_by(schedule_due_runs.c.id)).all()
        return [_due(r) for r in rows]

    def heads(self) -> list[DueRun]:
        """The oldest waiting run of each recipe: runs of one recipe start in order."""
        first: dict[str, DueRun] = {}
        for due in self.due():
            first.setdefault(due.recipe, due)
        return list(first.values())

    def waiting(self) -> dict[str, int]:
        """Recipe -> how many of its runs are due and not started."""
        c = schedule_due_runs.c
        with self.engine.connect() as conn:
            return dict(conn.execute(select(c.recipe, func.count()).group_by(c.recipe)).all())

    def is_queued(self, due_id: int) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(schedule_due_runs.c.id).where(schedule_due_runs.c.id == due_id)).first() \
                is not None

    def _change(self, statement) -> int:
        with writing(self.engine) as conn:
            return conn.execute(statement).rowcount

    def claim(self, due_id: int, holder: str) -> bool:
        c = schedule_due_runs.c
        return self._change(update(schedule_due_runs).where(c.id == due_id, c.claimed_by.is_(None))
                            .values(claimed_by=holder, claimed_at=stamp(datetime.now(UTC)))) == 1

    def drop_unclaimed(self, due_id: int) -> bool:
        c = schedule_due_runs.c
        return self._change(delete(schedule_due_runs).where(c.id == due_id, c.claimed_by.is_(None))) == 1

    def start(self, due_id: int) -> bool:
        """The one moment a due run becomes a run: exactly one caller gets True."""
        return self._change(delete(schedule_due_runs).where(schedule_due_runs.c.id == due_id)) == 1

    def release(self, due_id: int, not_before: datetime | None = None) -> None:
        self._change(update(schedule_due_runs).where(schedule_due_runs.c.id == due_id).values(
            claimed_by=None, claimed_at=None, not_before=stamp(not_before) if not_before else None))

    def drop(self, due_id: int) -> None:
        self._change(delete(schedule_due_runs).where(schedule_due_runs.c.id == due_id))

    def release_all(self, holder: str) -> None:
        self._change(update(schedule_due_runs).where(schedule_due_runs.c.claimed_by == holder)
                     .values(claimed_by=None, claimed_at=None))

    def reclaim_dead(self, now: datetime | None = None) -> int:
        """Claims of scheduler processes that died before starting the run go back in the queue:
        at once for a process of this machine, after :data:`FOREIGN_CLAIM_LEASE` for another's."""
        c = schedule_due_runs.c
        with self.engine.connect() as conn:
            claims = conn.execute(select(c.id, c.claimed_by, c.claimed_at).where(c.claimed_by.is_not(None))).all()
        freed = 0
        for claim in claims:
            if not _holder_alive(claim.claimed_by, claim.claimed_at, now):
                # only the claim seen: a scheduler that claimed it again meanwhile keeps it
                freed += self._change(update(schedule_due_runs).where(
                    c.id == claim.id, c.claimed_by == claim.claimed_by).values(claimed_by=None, claimed_at=None))
        return freed


def _insert_due(conn, key: str, run: dict) -> None:
    conn.execute(insert(schedule_due_runs).values(
        trigger_key=key, recipe=run["recipe"], recipe_file=run["recipe_file"],
        trigger=json.dumps(run["trigger"], default=str), overlap=run.get("overlap", "queue"),
        created=stamp(datetime.now(UTC))))


def _due(row) -> DueRun:
    return DueRun(row.id, row.trigger_key, row.recipe, row.recipe_file, json.loads(row.trigger), row.overlap,
                  parse_stamp(row.not_before) if row.not_before else None, row.claimed_by)


# ---- upgrading from schedule.db ---------------------------------------------------------------

def import_legacy_state(state: ScheduleState) -> int:
    """Import ``DESKBOT_HOME/schedule.db`` into the store once; returns the rows imported."""
    legacy = state.home / LEGACY_FILE
    if not legacy.is_file():
        return 0
    old = read_legacy_sqlite(legacy, {
        "triggers": "SELECT key, recipe, fingerprint, last_fire, updated FROM triggers",
        "due_runs": "SELECT trigger_key, recipe, recipe_file, trigger, overlap, created, not_before FROM due_runs"
                    " ORDER BY id",
        "seen_files": "SELECT trigger_key, path, size, mtime_ns, seen FROM seen_files"})
    if old is None:
        return 0
    imported = 0
    with writing(state.engine) as conn:
        if insert_ignore(conn, once_keys, {"key": legacy_import_key(legacy), "run_id": "-", "at": utcnow()}):
            for row in old["triggers"]:
                if insert_ignore(conn, schedule_triggers, row):
                    imported += 1
                else:  # another machine's file knew it too: keep the later last fire of the same timing
                    imported += conn.execute(update(schedule_triggers).where(
                        schedule_triggers.c.key == row["key"], schedule_triggers.c.fingerprint == row["fingerprint"],
                        schedule_triggers.c.last_fire < row["last_fire"]).values(
                        last_fire=row["last_fire"], updated=row["updated"])).rowcount
            # claims of the old scheduler's processes died with them
            for row in old["due_runs"]:
                conn.execute(insert(schedule_due_runs).values(**row, claimed_by=None))
                imported += 1
            for row in old["seen_files"]:
                imported += insert_ignore(conn, schedule_seen_files, row)
    retire_legacy(legacy)
    if imported:
        log.info("imported %d row(s) of %s into the store; the file is now %s.imported", imported, legacy,
                 LEGACY_FILE)
    return imported


__all__ = ["ScheduleState", "DueRun", "holder_id", "stamp", "parse_stamp", "schedule_triggers", "schedule_due_runs",
           "schedule_seen_files", "import_legacy_state"]
