"""Run history in SQLite (``DESKBOT_HOME/runs.db``): an audit trail of every run and step try.

- WAL journal, so a scheduler and several runs can write at once; each write is one short
  transaction with a busy timeout.
- A run whose process died is reported as ``interrupted`` (its pid is gone on this host),
  not ``running`` forever.
- Nothing is deleted except by ``prune(older_than)`` (``deskbot runs prune --older-than``),
  and that refuses to cut into the last 180 days unless forced.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    recipe TEXT NOT NULL,
    recipe_file TEXT,
    trigger TEXT,
    vars TEXT,
    status TEXT NOT NULL,
    started TEXT NOT NULL,
    ended TEXT,
    host TEXT,
    pid INTEGER,
    error TEXT,
    failed_step TEXT,
    dir TEXT
);
CREATE INDEX IF NOT EXISTS runs_started ON runs(started);
CREATE INDEX IF NOT EXISTS runs_recipe ON runs(recipe, started);
CREATE TABLE IF NOT EXISTS step_attempts (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    path TEXT NOT NULL,
    step_id TEXT,
    action TEXT,
    label TEXT,
    attempt INTEGER NOT NULL,
    status TEXT NOT NULL,
    started TEXT NOT NULL,
    duration_ms REAL,
    error TEXT,
    error_type TEXT,
    params TEXT,
    outputs TEXT,
    PRIMARY KEY (run_id, seq)
);
CREATE TABLE IF NOT EXISTS artifacts (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    seq INTEGER,
    kind TEXT NOT NULL,
    path TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS artifacts_run ON artifacts(run_id);
"""

RETENTION_DAYS = 180


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


class RunStore:
    def __init__(self, home: Path):
        self.home = Path(home)
        self.home.mkdir(parents=True, exist_ok=True)
        self.path = self.home / "runs.db"
        self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.executescript(SCHEMA)
        self.host = socket.gethostname()

    def close(self) -> None:
        self.db.close()

    # ---- writing -----------------------------------------------------------------------
    def start_run(self, run_id: str, recipe: str, recipe_file: str, trigger: dict, variables: dict, run_dir: Path) -> None:
        self.db.execute(
            "INSERT INTO runs (id, recipe, recipe_file, trigger, vars, status, started, host, pid, dir)"
            " VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)",
            (run_id, recipe, recipe_file, _json(trigger), _json(variables), utcnow(), self.host, os.getpid(), str(run_dir)),
        )

    def finish_run(self, run_id: str, status: str, error: str | None = None, failed_step: str | None = None) -> None:
        self.db.execute("UPDATE runs SET status=?, ended=?, error=?, failed_step=? WHERE id=?",
                        (status, utcnow(), error, failed_step, run_id))

    def record_attempt(self, run_id: str, seq: int, *, path: str, step_id: str | None, action: str | None,
                       label: str, attempt: int, status: str, started: str, duration_ms: float,
                       error: str | None = None, error_type: str | None = None,
                       params: Any = None, outputs: Any = None) -> None:
        self.db.execute(
            "INSERT INTO step_attempts (run_id, seq, path, step_id, action, label, attempt, status, started,"
            " duration_ms, error, error_type, params, outputs) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (run_id, seq, path, step_id, action, label, attempt, status, started, duration_ms, error,
             error_type, _json(params), _json(outputs)),
        )

    def add_artifact(self, run_id: str, seq: int | None, kind: str, path: str) -> None:
        self.db.execute("INSERT INTO artifacts (run_id, seq, kind, path) VALUES (?,?,?,?)", (run_id, seq, kind, path))

    # ---- reading -----------------------------------------------------------------------
    def _fix_interrupted(self, row: sqlite3.Row) -> dict:
        run = dict(row)
        if run["status"] == "running" and run["host"] == self.host and run["pid"] and not _pid_alive(run["pid"]):
            self.db.execute("UPDATE runs SET status='interrupted', ended=COALESCE(ended, ?),"
                            " error=COALESCE(error, 'the process running it ended unexpectedly')"
                            " WHERE id=? AND status='running'", (utcnow(), run["id"]))
            run["status"] = "interrupted"
            run["error"] = run["error"] or "the process running it ended unexpectedly"
        return run

    def list_runs(self, limit: int = 20, recipe: str | None = None) -> list[dict]:
        sql = "SELECT * FROM runs"
        args: list[Any] = []
        if recipe:
            sql += " WHERE recipe=?"
            args.append(recipe)
        sql += " ORDER BY started DESC LIMIT ?"
        args.append(limit)
        return [self._fix_interrupted(r) for r in self.db.execute(sql, args).fetchall()]

    def get_run(self, run_id: str) -> dict | None:
        row = self.db.execute("SELECT * FROM runs WHERE id=?", (run_id,)).fetchone()
        if row is None:
            rows = self.db.execute("SELECT * FROM runs WHERE id LIKE ? ORDER BY started DESC", (run_id + "%",)).fetchall()
            if len(rows) != 1:
                return None
            row = rows[0]
        run = self._fix_interrupted(row)
        run["trigger"] = json.loads(run["trigger"] or "null")
        run["vars"] = json.loads(run["vars"] or "null")
        run["steps"] = [
            {**dict(s), "params": json.loads(s["params"] or "null"), "outputs": json.loads(s["outputs"] or "null")}
            for s in self.db.execute("SELECT * FROM step_attempts WHERE run_id=? ORDER BY seq", (run["id"],))
        ]
        run["artifacts"] = [dict(a) for a in self.db.execute(
            "SELECT seq, kind, path FROM artifacts WHERE run_id=? ORDER BY rowid", (run["id"],))]
        return run

    def mark_interrupted(self, run_id: str, reason: str) -> None:
        self.db.execute("UPDATE runs SET status='interrupted', ended=?, error=? WHERE id=? AND status='running'",
                        (utcnow(), reason, run_id))

    def prune(self, older_than: timedelta, force: bool = False) -> int:
        if older_than < timedelta(days=RETENTION_DAYS) and not force:
            raise ValueError(f"run history is an audit trail kept for {RETENTION_DAYS} days;"
                             f" pass --force to prune runs younger than that")
        cutoff = (datetime.now(timezone.utc) - older_than).isoformat(timespec="milliseconds")
        with self.db:
            ids = [r[0] for r in self.db.execute("SELECT id FROM runs WHERE started < ? AND status != 'running'", (cutoff,))]
            for chunk in range(0, len(ids), 500):
                part = ids[chunk:chunk + 500]
                marks = ",".join("?" * len(part))
                self.db.execute(f"DELETE FROM runs WHERE id IN ({marks})", part)
        return len(ids)


def _json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, default=str, ensure_ascii=False)


def new_run_id() -> str:
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    return f"{stamp}-{os.urandom(3).hex()}"
