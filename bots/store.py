"""The store: every piece of deskbot state, on SQLAlchemy Core (SQLite by default, PostgreSQL).

Where it lives: ``DESKBOT_DATABASE`` (a SQLAlchemy URL such as
``postgresql+psycopg://deskbot@db/deskbot``) if set, else ``DESKBOT_HOME/runs.db`` (SQLite in
WAL mode, so a scheduler, several runs and the console read and write at once; each write is one
short ``BEGIN IMMEDIATE`` transaction with a 30 s busy timeout).

Adding state: declare a ``sqlalchemy.Table`` on :data:`metadata` in the module that owns the
concept and list that module in :data:`TABLE_MODULES` (a door such as the console, which the
runtime must not import, just imports its own module before opening the store); :func:`engine_for` creates missing tables
(and their indexes) the first time a process opens a database, then applies the Alembic
migrations in ``bots/migrations/`` (changes to tables that already exist). A migration must be a
no-op on a table ``create_all`` just made in its newest shape. ``deskbot db upgrade|status``.

    from bots.store import metadata
    reviews = Table("reviews", metadata, Column("id", String, primary_key=True), ...)

Run history (:class:`RunStore`): an audit trail of every run and step try.

- A run whose process died is reported as ``interrupted`` (its pid is gone on this host), not
  ``running`` forever.
- Finished runs are counted into ``run_rollups`` (per recipe, day and status, with a duration
  histogram) as they finish, so the console's dashboard reads a few hundred rows, not the history.
- Nothing is deleted except by ``prune(older_than)`` (``deskbot runs prune --older-than``), and
  that refuses to cut into the last 180 days unless forced.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import math
import os
import signal
import socket
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

from sqlalchemy import (Column, Engine, Float, Index, Integer, MetaData, String, Table, Text, create_engine,
                        delete, event, func, insert, select, text, tuple_, update)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, make_url

RETENTION_DAYS = 180

metadata = MetaData()

# Modules that declare tables on ``metadata``; imported before tables are created.
TABLE_MODULES: list[str] = ["bots.users", "bots.audit", "bots.review", "bots.journal", "bots.approvals",
                             "bots.reconciliations", "bots.schedule_state", "bots.intake_journal"]

runs = Table(
    "runs", metadata,
    Column("id", String(64), primary_key=True),
    Column("recipe", String(200), nullable=False),
    Column("recipe_file", Text),
    Column("recipe_version", String(64)),
    Column("trigger", Text),
    Column("vars", Text),
    Column("status", String(20), nullable=False),
    Column("started", String(40), nullable=False),
    Column("ended", String(40)),
    Column("duration_ms", Float),
    Column("host", String(200)),
    Column("pid", Integer),
    Column("error", Text),
    Column("failed_step", Text),
    Column("dir", Text),
    Index("runs_started", "started", "id"),
    Index("runs_recipe", "recipe", "started", "id"),
    Index("runs_status", "status", "started", "id"),
)

step_attempts = Table(
    "step_attempts", metadata,
    Column("run_id", String(64), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("path", Text, nullable=False),
    Column("step_id", Text),
    Column("action", Text),
    Column("label", Text),
    Column("attempt", Integer, nullable=False),
    Column("status", String(20), nullable=False),
    Column("started", String(40), nullable=False),
    Column("duration_ms", Float),
    Column("error", Text),
    Column("error_type", Text),
    Column("params", Text),
    Column("outputs", Text),
    # no foreign key: prune deletes a run's rows itself, and bulk loads need no per-row check
    Index("step_attempts_pk", "run_id", "seq", unique=True),
)

artifacts = Table(
    "artifacts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String(64), nullable=False),
    Column("seq", Integer),
    Column("kind", String(40), nullable=False),
    Column("path", Text, nullable=False),
    Index("artifacts_run", "run_id"),
)

recipe_versions = Table(
    "recipe_versions", metadata,
    Column("version", String(64), primary_key=True),
    Column("recipe", String(200), nullable=False),
    Column("recipe_file", Text),
    Column("text", Text, nullable=False),
    Column("git_commit", String(64)),
    Column("first_seen", String(40), nullable=False),
    Index("recipe_versions_recipe", "recipe", "first_seen"),
)

# Duration histogram buckets (ms, upper bounds, log-spaced ~ x1.25): p50/p95 from a rollup are
# within one bucket (<= 12.5%) of the exact figure.
DURATION_BUCKETS: list[float] = [round(100 * 1.25 ** i) for i in range(60)]

run_rollups = Table(
    "run_rollups", metadata,
    Column("recipe", String(200), primary_key=True),
    Column("day", String(10), primary_key=True),
    Column("status", String(20), primary_key=True),
    Column("runs", Integer, nullable=False),
    Column("duration_ms", Float, nullable=False),
    Column("histogram", Text, nullable=False),  # JSON {bucket index: count}
    Index("run_rollups_day", "day"),
)

FINISHED = ("ok", "failed", "interrupted", "rejected")

# One row per event that must be acted on exactly once across machines: a scheduled fire queued
# by any of several schedulers ("fire:<recipe>@<time>"), a dead worker's run handled by one of
# the workers that noticed ("dead:<run id>:<job id>").
once_keys = Table(
    "once_keys", metadata,
    Column("key", String(300), primary_key=True),
    Column("run_id", String(64), nullable=False),
    Column("at", String(40), nullable=False),
)


def utcnow() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def holder_id() -> str:
    """This process as the holder of a claim (a due run, a watched file): ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


def holder_alive(holder: str, claimed_at: datetime | None, lease: timedelta, now: datetime | None = None) -> bool:
    """Whether a claim by ``holder`` (a ``holder_id``) still holds. On this machine: while its
    process lives. Another machine's processes cannot be seen: its claim holds until ``lease``
    has passed since ``claimed_at`` (a claim with no time holds)."""
    host, _, pid = holder.rpartition(":")
    if host != socket.gethostname():
        return claimed_at is None or (now or datetime.now(timezone.utc)) - claimed_at <= lease
    try:
        return _pid_alive(int(pid))
    except ValueError:
        return True


# ---- engines ---------------------------------------------------------------------------------

def database_url(home: Path | None = None) -> str:
    """``DESKBOT_DATABASE`` if set, else SQLite at ``DESKBOT_HOME/runs.db``."""
    if os.environ.get("DESKBOT_DATABASE"):
        return os.environ["DESKBOT_DATABASE"]
    if home is None:
        from bots.settings import home as default_home
        home = default_home()
    Path(home).mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{Path(home).resolve() / 'runs.db'}"


_engines: dict[tuple[str, int], Engine] = {}
_engines_lock = threading.Lock()
_prepared: dict[tuple[str, int], int] = {}


#: databases this process uses without checking their schema first (a worker's run processes:
#: the worker, running the same code, created and migrated it when it started)
_known_prepared: set[str] = set()


def assume_prepared(url: str) -> None:
    _known_prepared.add(url)


def engine_for(url: str) -> Engine:
    """One engine per database and process, its schema created and migrated on first use."""
    key = (url, os.getpid())
    with _engines_lock:
        engine = _engines.get(key)
        if engine is None:
            engine = _make_engine(url)
            if url in _known_prepared:
                for name in TABLE_MODULES:
                    importlib.import_module(name)
            else:
                prepare(engine)
            _engines[key] = engine
            _prepared[key] = len(metadata.tables)
        elif _prepared[key] != len(metadata.tables):
            # a module imported since (a door's own tables, such as the console's) declared more
            with writing(engine) as conn:
                metadata.create_all(conn)
            _prepared[key] = len(metadata.tables)
        return engine


def _make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _sqlite_connect(dbapi_conn, _record) -> None:
        # Let SQLAlchemy's "begin" event below say BEGIN, so writes can take the lock up front.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        _switch_to_wal(cur)
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(conn: Connection) -> None:
        # A deferred transaction that reads, then writes, fails at once with "database is locked"
        # when another writer got there first; IMMEDIATE waits its turn on the busy timeout.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")

    return engine


def _switch_to_wal(cursor, patience: float = 30.0) -> None:
    """Put the database in WAL mode, waiting while another process does the same.

    SQLite's busy timeout does not cover the switch itself: two watchers opening a new store at
    the same moment saw one of them fail at once with "database is locked" (about one start in
    two hundred)."""
    import sqlite3

    deadline, pause = time.monotonic() + patience, 0.01
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.5)


def prepare(engine: Engine) -> None:
    """Create missing tables, then apply migrations (no-ops on tables just created)."""
    for name in TABLE_MODULES:
        importlib.import_module(name)
    from bots import migrations

    with writing(engine) as conn:
        if conn.dialect.name == "postgresql":  # several processes may open a new database at once
            conn.execute(text("SELECT pg_advisory_xact_lock(4242001)"))
        metadata.create_all(conn)
        migrations.upgrade(conn)


# Signals whose handlers raise (a step timeout, Ctrl-C, SIGTERM as Ctrl-C): held back while a write
# transaction is open. Raised between BEGIN and COMMIT, or inside the pool's rollback, they could
# leave a pooled connection holding SQLite's write lock, and the run's last write (its status)
# would then wait for that lock in vain.
_HELD_SIGNALS = {signal.SIGALRM, signal.SIGINT, signal.SIGTERM} if hasattr(signal, "SIGALRM") else set()


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """One write transaction (on SQLite, one that holds the write lock from its start); a signal
    arriving meanwhile is handled as soon as it ends."""
    held = _hold_signals()
    try:
        with engine.connect() as conn:
            conn = conn.execution_options(write=True)
            with conn.begin():
                yield conn
    finally:
        if held:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, held)


def _hold_signals() -> set:
    if not _HELD_SIGNALS or not hasattr(signal, "pthread_sigmask") \
            or threading.current_thread() is not threading.main_thread():
        return set()
    already = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_SIGNALS)
    return _HELD_SIGNALS - set(already)


def insert_ignore(conn: Connection, table: Table, values: dict) -> int:
    """INSERT that does nothing when the key exists (SQLite and PostgreSQL); returns rows inserted."""
    maker = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    statement = maker(table).values(**values).on_conflict_do_nothing()
    # psycopg reports no row count for ON CONFLICT DO NOTHING (-1): count the rows it returns
    return len(conn.execute(statement.returning(*table.primary_key.columns)).all())


# ---- copying a store -------------------------------------------------------------------------

class StoreCopyError(Exception):
    """The target is not empty, or a database cannot be opened; the message says which."""


COPY_CHUNK = 5000


def table_checksum(conn: Connection, table: Table) -> tuple[int, str]:
    """Rows and a SHA-256 over them in primary-key order, values as text: equal on any engine."""
    digest = hashlib.sha256()
    count = 0
    order = list(table.primary_key.columns) or list(table.columns)
    for row in conn.execute(select(table).order_by(*order)):
        digest.update(json.dumps([_canonical(v) for v in row], ensure_ascii=False).encode())
        count += 1
    return count, digest.hexdigest()


def _canonical(value: Any) -> Any:
    if isinstance(value, float):
        return repr(round(value, 9))
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    return value if value is None or isinstance(value, (int, str, bool)) else str(value)


def copy_store(source_url: str, target_url: str) -> dict[str, tuple[int, str, str]]:
    """Copy every table of ``metadata`` from one store into an empty other; one transaction.

    Returns {table: (rows, source checksum, target checksum)}."""
    if make_url(source_url) == make_url(target_url):
        raise StoreCopyError("source and target are the same database")
    try:
        source, target = engine_for(source_url), engine_for(target_url)
    except Exception as exc:  # a wrong URL, a server that is down, a missing driver
        raise StoreCopyError(f"cannot open {make_url(target_url).render_as_string(hide_password=True)}:"
                             f" {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}") from None
    tables = [t for t in metadata.sorted_tables]
    report: dict[str, tuple[int, str, str]] = {}
    with source.connect() as src, writing(target) as dst:
        for table in tables:
            if dst.execute(select(func.count()).select_from(table)).scalar():
                raise StoreCopyError(f"the target already holds rows in {table.name}; copy into an empty store")
        for table in tables:
            result = src.execution_options(stream_results=True).execute(select(table))
            while chunk := result.fetchmany(COPY_CHUNK):
                dst.execute(insert(table), [dict(row._mapping) for row in chunk])
        if dst.dialect.name == "postgresql":  # serial ids continue after the copied rows
            for table in tables:
                for column in table.primary_key.columns:
                    if column.autoincrement is True or (column.autoincrement == "auto" and isinstance(column.type, Integer)
                                                        and len(table.primary_key.columns) == 1):
                        dst.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'),"
                                         f" COALESCE((SELECT max({column.name}) FROM {table.name}), 0) + 1, false)"
                                         f" WHERE pg_get_serial_sequence('{table.name}', '{column.name}') IS NOT NULL"))
        for table in tables:
            count, source_sum = table_checksum(src, table)
            _, target_sum = table_checksum(dst, table)
            report[table.name] = (count, source_sum, target_sum)
    return report


# ---- importing the state files of older releases ----------------------------------------------
# (DESKBOT_HOME/schedule.db, DESKBOT_HOME/intake.db): read once, imported in one transaction that
# also records a once-key, then renamed X.db.imported

def legacy_import_key(path: Path) -> str:
    """The once-key of importing one old state file: per host and path (two machines sharing a
    PostgreSQL store each bring their own file, at the same path)."""
    where = f"{socket.gethostname()}:{Path(path).resolve()}"
    return f"import:{Path(path).name}:{hashlib.sha256(where.encode()).hexdigest()[:24]}"


def read_legacy_sqlite(path: Path, tables: dict[str, str]) -> dict[str, list[dict]] | None:
    """Rows of the old SQLite file's ``tables`` ({old name: SELECT}); None if the file is gone
    (another process imported and renamed it meanwhile). Opened read-write, so a write-ahead log
    left by a crash is folded in, and never created (``mode=rw``)."""
    import sqlite3

    try:
        source = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=30)
    except sqlite3.OperationalError:
        return None
    try:
        source.row_factory = sqlite3.Row
        present = {r[0] for r in source.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        return {name: [dict(r) for r in source.execute(query)] if name in present else []
                for name, query in tables.items()}
    except sqlite3.DatabaseError as exc:
        from bots.errors import DeskbotError

        raise DeskbotError(f"{path}: cannot read this state file of an older release to import it into the store"
                           f" ({exc}); restore it from a backup, or move it away to start without it") from None
    finally:
        source.close()


def retire_legacy(path: Path) -> None:
    """``X.db`` -> ``X.db.imported`` (kept for the record; nothing reads it again)."""
    try:
        os.replace(path, path.with_name(path.name + ".imported"))
    except FileNotFoundError:
        pass  # another process renamed it first


# ---- recipe versions -------------------------------------------------------------------------

def recipe_version(text: str) -> str:
    """The version a run records: the first 12 hex digits of the recipe file's SHA-256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _git_commit(path: Path) -> str | None:
    """The commit of the recipes folder when it is a git repository (read from .git, no git binary)."""
    for folder in [path.parent, *path.parent.parents]:
        git = folder / ".git"
        if git.is_file():  # a worktree: "gitdir: …"
            try:
                git = Path(git.read_text().split(":", 1)[1].strip())
            except (OSError, IndexError):
                return None
        if git.is_dir():
            try:
                head = (git / "HEAD").read_text().strip()
                if not head.startswith("ref:"):
                    return head[:40]
                ref = head.split(":", 1)[1].strip()
                for base in (git, Path((git / "commondir").read_text().strip()) if (git / "commondir").is_file() else git):
                    base = base if base.is_absolute() else git / base
                    if (base / ref).is_file():
                        return (base / ref).read_text().strip()[:40]
                    packed = base / "packed-refs"
                    if packed.is_file():
                        for line in packed.read_text().splitlines():
                            if line.endswith(" " + ref):
                                return line.split()[0][:40]
            except OSError:
                return None
            return None
    return None


# ---- run history -----------------------------------------------------------------------------

class RunStore:
    """Run history: runs, step tries, artifacts, recipe versions, dashboard rollups."""

    def __init__(self, home: Path | None = None, url: str | None = None):
        from bots.settings import home as default_home

        self.home = Path(home) if home is not None else default_home()
        self.home.mkdir(parents=True, exist_ok=True)
        self.path = self.home / "runs.db"
        self.url = url or database_url(self.home)
        self.engine = engine_for(self.url)
        self.host = socket.gethostname()

    def close(self) -> None:
        """Nothing to release per store: connections return to the process's pool."""

    @contextmanager
    def write(self) -> Iterator[Connection]:
        with writing(self.engine) as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    # ---- writing -----------------------------------------------------------------------
    def start_run(self, run_id: str, recipe: str, recipe_file: str, trigger: dict, variables: dict, run_dir: Path,
                  version: str | None = None) -> None:
        text = None
        if version is None and recipe_file:
            try:
                text = Path(recipe_file).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                text = None
            version = recipe_version(text) if text is not None else None
        with self.write() as conn:
            if text is not None:
                insert_ignore(conn, recipe_versions, dict(
                    version=version, recipe=recipe, recipe_file=str(recipe_file), text=text,
                    git_commit=_git_commit(Path(recipe_file).resolve()), first_seen=utcnow()))
            conn.execute(insert(runs).values(
                id=run_id, recipe=recipe, recipe_file=recipe_file, recipe_version=version, trigger=_json(trigger),
                vars=_json(variables), status="running", started=utcnow(), host=self.host, pid=os.getpid(),
                dir=str(run_dir)))

    def queue_run(self, run_id: str, recipe: str, recipe_file: str, trigger: dict, variables: dict, run_dir: Path,
                  *, dedupe: str | None = None, queue: str | None = None,
                  then: Callable[[Connection], Any] | None = None) -> bool:
        """Record a run waiting in the work queue (status ``queued``). With ``dedupe``, a second
        call with the same key (the same fire seen by a second scheduler) records nothing and
        returns False. ``then(conn)`` runs in the same transaction (the queue's job is deferred
        there, so a run is never recorded without its job, nor a job left without its run)."""
        with self.write() as conn:
            if dedupe and not insert_ignore(conn, once_keys, {"key": dedupe, "run_id": run_id, "at": utcnow()}):
                return False
            conn.execute(insert(runs).values(
                id=run_id, recipe=recipe, recipe_file=recipe_file, trigger=_json({**trigger, "queue": queue}),
                vars=_json(variables), status="queued", started=utcnow(), host=None, pid=None, dir=str(run_dir)))
            if then is not None:
                then(conn)
        return True

    def queued_run_for(self, dedupe: str) -> str | None:
        with self.read() as conn:
            return conn.execute(select(once_keys.c.run_id).where(once_keys.c.key == dedupe)).scalar()

    def claim_queued(self, run_id: str) -> bool:
        """Compare-and-set ``queued`` -> ``running`` for this process: True for exactly one taker."""
        with self.write() as conn:
            return conn.execute(update(runs).where(runs.c.id == run_id, runs.c.status == "queued").values(
                status="running", started=utcnow(), host=self.host, pid=os.getpid())).rowcount == 1

    def act_once(self, key: str, run_id: str) -> bool:
        """True for the first caller with this key, in any process on any machine; False after."""
        with self.write() as conn:
            return bool(insert_ignore(conn, once_keys, {"key": key, "run_id": run_id, "at": utcnow()}))

    def once_count(self, prefix: str) -> int:
        """How many once-keys start with ``prefix`` (e.g. the interruptions of a run acted on)."""
        with self.read() as conn:
            return conn.execute(select(func.count()).select_from(once_keys).where(
                once_keys.c.key.like(_like_escape(prefix) + "%", escape="\\"))).scalar()

    def finish_run(self, run_id: str, status: str, error: str | None = None, failed_step: str | None = None) -> None:
        ended = utcnow()
        with self.write() as conn:
            row = conn.execute(select(runs.c.recipe, runs.c.started, runs.c.status).where(runs.c.id == run_id)).first()
            if row is None:
                return
            duration = _elapsed_ms(row.started, ended)
            conn.execute(update(runs).where(runs.c.id == run_id).values(
                status=status, ended=ended, error=error, failed_step=failed_step, duration_ms=duration))
            if status in FINISHED and row.status not in FINISHED:
                _count_run(conn, row.recipe, row.started[:10], status, duration)

    def record_attempt(self, run_id: str, seq: int, *, path: str, step_id: str | None, action: str | None,
                       label: str, attempt: int, status: str, started: str, duration_ms: float,
                       error: str | None = None, error_type: str | None = None,
                       params: Any = None, outputs: Any = None) -> None:
        with self.write() as conn:
            conn.execute(INSERT_ATTEMPT, attempt_row(
                run_id, seq, path=path, step_id=step_id, action=action, label=label, attempt=attempt, status=status,
                started=started, duration_ms=duration_ms, error=error, error_type=error_type, params=params,
                outputs=outputs))

    def add_artifact(self, run_id: str, seq: int | None, kind: str, path: str) -> None:
        with self.write() as conn:
            conn.execute(insert(artifacts).values(run_id=run_id, seq=seq, kind=kind, path=path))

    def set_run(self, run_id: str, **values: Any) -> None:
        """Change stored fields of a run (tests, repairs); the history's shape stays the store's business."""
        with self.write() as conn:
            conn.execute(update(runs).where(runs.c.id == run_id).values(**values))

    # ---- reading -----------------------------------------------------------------------
    def _fix_interrupted(self, row: Any) -> dict:
        run = dict(row._mapping)
        if run["status"] == "running" and run["host"] == self.host and run["pid"] and not _pid_alive(run["pid"]):
            self.mark_interrupted(run["id"], "the process running it ended unexpectedly")
            run["status"] = "interrupted"
            run["error"] = run["error"] or "the process running it ended unexpectedly"
        return run

    def list_runs(self, limit: int = 20, recipe: str | None = None, status: str | None = None,
                  before: tuple[str, str] | None = None, since: str | None = None, until: str | None = None,
                  trigger: str | None = None) -> list[dict]:
        """Newest first. ``before=(started, id)`` continues after that run (keyset pagination)."""
        query = select(runs)
        if recipe:
            query = query.where(runs.c.recipe == recipe)
        if status:
            query = query.where(runs.c.status == status)
        if since:
            query = query.where(runs.c.started >= since)
        if until:
            query = query.where(runs.c.started < until)
        if trigger:
            query = query.where(runs.c.trigger.like(f'{{"type": "{_like_escape(trigger)}"%', escape="\\"))
        if before:
            started, run_id = before
            # a row-value comparison walks the (…, started, id) index from the cursor; the equivalent
            # OR of two conditions made SQLite scan half a million rows for a page half-way back
            query = query.where(tuple_(runs.c.started, runs.c.id) < tuple_(started, run_id))
        query = query.order_by(runs.c.started.desc(), runs.c.id.desc()).limit(limit)
        with self.read() as conn:
            rows = conn.execute(query).all()
        return [self._fix_interrupted(r) for r in rows]

    def get_run(self, run_id: str) -> dict | None:
        with self.read() as conn:
            row = conn.execute(select(runs).where(runs.c.id == run_id)).first()
            if row is None:
                found = conn.execute(select(runs).where(runs.c.id.like(_like_escape(run_id) + "%", escape="\\"))
                                     .order_by(runs.c.started.desc()).limit(2)).all()
                if len(found) != 1:
                    return None
                row = found[0]
        run = self._fix_interrupted(row)
        run["trigger"] = json.loads(run["trigger"] or "null")
        run["vars"] = json.loads(run["vars"] or "null")
        with self.read() as conn:
            run["steps"] = [
                {**dict(s._mapping), "params": json.loads(s.params or "null"), "outputs": json.loads(s.outputs or "null")}
                for s in conn.execute(select(step_attempts).where(step_attempts.c.run_id == run["id"])
                                      .order_by(step_attempts.c.seq))
            ]
            run["artifacts"] = [dict(a._mapping) for a in conn.execute(
                select(artifacts.c.seq, artifacts.c.kind, artifacts.c.path)
                .where(artifacts.c.run_id == run["id"]).order_by(artifacts.c.id))]
        return run

    def get_recipe_version(self, version: str) -> dict | None:
        with self.read() as conn:
            row = conn.execute(select(recipe_versions).where(recipe_versions.c.version == version)).first()
        return dict(row._mapping) if row else None

    def previous_version(self, recipe: str, version: str) -> dict | None:
        """The version of ``recipe`` seen just before ``version``, to show what changed."""
        current = self.get_recipe_version(version)
        if current is None:
            return None
        with self.read() as conn:
            row = conn.execute(select(recipe_versions)
                               .where(recipe_versions.c.recipe == recipe,
                                      recipe_versions.c.first_seen < current["first_seen"])
                               .order_by(recipe_versions.c.first_seen.desc()).limit(1)).first()
        return dict(row._mapping) if row else None

    def running(self) -> list[dict]:
        with self.read() as conn:
            rows = conn.execute(select(runs).where(runs.c.status == "running")
                                .order_by(runs.c.started.desc())).all()
        return [r for r in (self._fix_interrupted(row) for row in rows) if r["status"] == "running"]

    def running_in_process(self, pid: int | None, recipe: str) -> list[str]:
        """Ids of ``recipe``'s runs still marked running by process ``pid`` on this host."""
        with self.read() as conn:
            return list(conn.execute(select(runs.c.id).where(
                runs.c.pid == pid, runs.c.host == self.host, runs.c.status == "running",
                runs.c.recipe == recipe)).scalars())

    def runs_of_process(self, pid: int, since: str) -> list[str]:
        """Ids of runs process ``pid`` on this host started at or after ``since``, newest first."""
        with self.read() as conn:
            return list(conn.execute(select(runs.c.id).where(runs.c.started >= since, runs.c.pid == pid,
                                                             runs.c.host == self.host)
                                     .order_by(runs.c.started.desc())).scalars())

    def recipe_stats(self, days: int, now: datetime | None = None) -> dict[str, dict]:
        """Per recipe over the last ``days`` calendar days (UTC, today included), from the rollups:
        runs, runs by status, success and error rates, mean/p50/p95 duration (ms)."""
        return self.recipe_stats_windows((days,), now)[days]

    def recipe_stats_windows(self, windows: tuple[int, ...], now: datetime | None = None) -> dict[int, dict]:
        """:meth:`recipe_stats` for several windows from one read of the rollups."""
        now = now or datetime.now(timezone.utc)
        first_days = {days: (now - timedelta(days=days - 1)).date().isoformat() for days in windows}
        with self.read() as conn:
            rows = conn.execute(select(run_rollups).where(run_rollups.c.day >= min(first_days.values()))).all()
        out: dict[int, dict] = {days: {} for days in windows}
        for row in rows:
            histogram = json.loads(row.histogram)
            for days, first_day in first_days.items():
                if row.day < first_day:
                    continue
                s = out[days].setdefault(row.recipe, {"runs": 0, "by_status": {}, "duration_ms": 0.0,
                                                      "histogram": {}})
                s["runs"] += row.runs
                s["by_status"][row.status] = s["by_status"].get(row.status, 0) + row.runs
                s["duration_ms"] += row.duration_ms
                merged = s["histogram"]
                for bucket, count in histogram.items():
                    merged[bucket] = merged.get(bucket, 0) + count
        for stats in out.values():
            for s in stats.values():
                n = s["runs"]
                ok = s["by_status"].get("ok", 0) + s["by_status"].get("rejected", 0)
                errors = s["by_status"].get("failed", 0) + s["by_status"].get("interrupted", 0)
                histogram = {int(b): c for b, c in s.pop("histogram").items()}
                s.update(success_rate=ok / n if n else None, error_rate=errors / n if n else None,
                         mean_ms=s["duration_ms"] / n if n else None,
                         p50_ms=_histogram_quantile(histogram, n, 0.50),
                         p95_ms=_histogram_quantile(histogram, n, 0.95))
        return out

    def rebuild_rollups(self) -> int:
        """Recount the rollups from the history (after a bulk load)."""
        with self.write() as conn:
            return rebuild_rollups(conn)

    def mark_interrupted(self, run_id: str, reason: str) -> bool:
        """``running`` -> ``interrupted``; True when this call changed it."""
        ended = utcnow()
        with self.write() as conn:
            row = conn.execute(select(runs.c.recipe, runs.c.started).where(
                runs.c.id == run_id, runs.c.status == "running")).first()
            if row is None:
                return False
            duration = _elapsed_ms(row.started, ended)
            conn.execute(update(runs).where(runs.c.id == run_id, runs.c.status == "running").values(
                status="interrupted", ended=func.coalesce(runs.c.ended, ended),
                error=func.coalesce(runs.c.error, reason), duration_ms=duration))
            _count_run(conn, row.recipe, row.started[:10], "interrupted", duration)
        return True

    def prune(self, older_than: timedelta, force: bool = False) -> int:
        if older_than < timedelta(days=RETENTION_DAYS) and not force:
            raise ValueError(f"run history is an audit trail kept for {RETENTION_DAYS} days;"
                             f" pass --force to prune runs younger than that")
        cutoff = (datetime.now(timezone.utc) - older_than).isoformat(timespec="milliseconds")
        with self.write() as conn:
            ids = [r[0] for r in conn.execute(select(runs.c.id).where(runs.c.started < cutoff,
                                                                       runs.c.status != "running"))]
            for chunk in range(0, len(ids), 500):
                part = ids[chunk:chunk + 500]
                for table in (step_attempts, artifacts):
                    conn.execute(delete(table).where(table.c.run_id.in_(part)))
                conn.execute(delete(runs).where(runs.c.id.in_(part)))
        return len(ids)


#: one step try into the history; rows for it come from :func:`attempt_row`
INSERT_ATTEMPT = insert(step_attempts)


def attempt_row(run_id: str, seq: int, *, path: str, step_id: str | None, action: str | None, label: str,
                attempt: int, status: str, started: str, duration_ms: float, error: str | None = None,
                error_type: str | None = None, params: Any = None, outputs: Any = None) -> dict:
    """A step try as the history stores it (params and outputs already masked by the caller)."""
    return dict(run_id=run_id, seq=seq, path=path, step_id=step_id, action=action, label=label, attempt=attempt,
                status=status, started=started, duration_ms=duration_ms, error=error, error_type=error_type,
                params=_json(params), outputs=_json(outputs))


def rebuild_rollups(conn: Connection) -> int:
    """Recount ``run_rollups`` from the finished runs; returns how many runs were counted."""
    conn.execute(delete(run_rollups))
    query = select(runs.c.recipe, func.substr(runs.c.started, 1, 10).label("day"), runs.c.status,
                   runs.c.duration_ms).where(runs.c.status.in_(FINISHED))
    acc: dict[tuple[str, str, str], list] = {}
    counted = 0
    for row in conn.execute(query):
        entry = acc.setdefault((row.recipe, row.day, row.status), [0, 0.0, {}])
        entry[0] += 1
        entry[1] += row.duration_ms or 0.0
        bucket = str(_bucket(row.duration_ms or 0.0))
        entry[2][bucket] = entry[2].get(bucket, 0) + 1
        counted += 1
    if acc:
        conn.execute(insert(run_rollups), [
            dict(recipe=k[0], day=k[1], status=k[2], runs=v[0], duration_ms=v[1], histogram=json.dumps(v[2]))
            for k, v in acc.items()])
    return counted


def _count_run(conn: Connection, recipe: str, day: str, status: str, duration: float | None) -> None:
    bucket = str(_bucket(duration or 0.0))
    row = conn.execute(select(run_rollups.c.runs, run_rollups.c.duration_ms, run_rollups.c.histogram).where(
        run_rollups.c.recipe == recipe, run_rollups.c.day == day, run_rollups.c.status == status)).first()
    if row is None:
        conn.execute(insert(run_rollups).values(recipe=recipe, day=day, status=status, runs=1,
                                                duration_ms=duration or 0.0, histogram=json.dumps({bucket: 1})))
        return
    histogram = json.loads(row.histogram)
    histogram[bucket] = histogram.get(bucket, 0) + 1
    conn.execute(update(run_rollups).where(
        run_rollups.c.recipe == recipe, run_rollups.c.day == day, run_rollups.c.status == status).values(
        runs=row.runs + 1, duration_ms=row.duration_ms + (duration or 0.0), histogram=json.dumps(histogram)))


def _bucket(duration_ms: float) -> int:
    if duration_ms <= DURATION_BUCKETS[0]:
        return 0
    index = math.ceil(math.log(duration_ms / 100, 1.25) - 1e-9)
    return min(index, len(DURATION_BUCKETS) - 1)


def _histogram_quantile(histogram: dict[int, int], n: int, q: float) -> float | None:
    if not n:
        return None
    rank = max(1, math.ceil(q * n))
    seen = 0
    for bucket in sorted(histogram):
        seen += histogram[bucket]
        if seen >= rank:
            return float(DURATION_BUCKETS[bucket])
    return float(DURATION_BUCKETS[-1])


def _elapsed_ms(started: str, ended: str) -> float | None:
    try:
        return (datetime.fromisoformat(ended) - datetime.fromisoformat(started)).total_seconds() * 1000
    except ValueError:
        return None


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, default=str, ensure_ascii=False)


def new_run_id() -> str:
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    return f"{stamp}-{os.urandom(3).hex()}"
