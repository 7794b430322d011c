"""The store on SQLAlchemy Core: migrations from the sqlite3 era, keyset paging, versions, rollups."""

import sqlite3
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

from bots.cli import cli
from bots.store import RunStore

OLD_SCHEMA = """
CREATE TABLE runs (id TEXT PRIMARY KEY, recipe TEXT NOT NULL, recipe_file TEXT, trigger TEXT, vars TEXT,
    status TEXT NOT NULL, started TEXT NOT NULL, ended TEXT, host TEXT, pid INTEGER, error TEXT,
    failed_step TEXT, dir TEXT);
CREATE INDEX runs_started ON runs(started);
CREATE INDEX runs_recipe ON runs(recipe, started);
CREATE TABLE step_attempts (run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, seq INTEGER NOT NULL,
    path TEXT NOT NULL, step_id TEXT, action TEXT, label TEXT, attempt INTEGER NOT NULL, status TEXT NOT NULL,
    started TEXT NOT NULL, duration_ms REAL, error TEXT, error_type TEXT, params TEXT, outputs TEXT,
    PRIMARY KEY (run_id, seq));
CREATE TABLE artifacts (run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE, seq INTEGER,
    kind TEXT NOT NULL, path TEXT NOT NULL);
"""


def test_a_store_written_before_sqlalchemy_opens_with_its_history_intact(tmp_path):
    con = sqlite3.connect(tmp_path / "runs.db")
    con.executescript(OLD_SCHEMA)
    con.execute("INSERT INTO runs VALUES ('r1','bank','bank.yaml','{}','{}','ok','2026-11-02T10:00:00.000+00:00',"
                "'2026-11-02T10:00:02.500+00:00','h',1,NULL,NULL,'/x')")
    for path in ("z-first.png", "a-second.zip"):  # inserted order, not alphabetical
        con.execute("INSERT INTO artifacts VALUES ('r1', 1, 'file', ?)", (path,))
    con.execute("INSERT INTO step_attempts VALUES ('r1',0,'steps[0]',NULL,'log','log',1,'ok',"
                "'2026-11-02T10:00:00.000+00:00',3.0,NULL,NULL,'{\"message\": \"hi\"}',NULL)")
    con.commit()
    con.close()

    run = RunStore(tmp_path).get_run("r1")
    assert [a["path"] for a in run["artifacts"]] == ["z-first.png", "a-second.zip"]
    assert run["steps"][0]["params"] == {"message": "hi"}
    assert abs(run["duration_ms"] - 2500) < 1
    stats = RunStore(tmp_path).recipe_stats(30, now=datetime(2026, 11, 20, tzinfo=timezone.utc))
    assert stats["bank"]["runs"] == 1 and stats["bank"]["success_rate"] == 1.0
    status = CliRunner().invoke(cli, ["db", "status"], env={"DESKBOT_HOME": str(tmp_path)})
    assert status.exit_code == 0 and "0004" in status.stdout and "up to date" in status.stdout


def test_pages_of_runs_follow_each_other_without_gaps_or_repeats(tmp_path):
    store = RunStore(tmp_path)
    base = datetime(2026, 11, 1, tzinfo=timezone.utc)
    for i in range(25):
        store.start_run(f"run-{i:02d}", "a" if i % 2 else "b", "", {"type": "manual"}, {}, tmp_path)
        # three runs share each start time: the page boundary must split ties by id
        store.set_run(f"run-{i:02d}", started=(base + timedelta(minutes=i // 3)).isoformat())
    seen, before = [], None
    while True:
        page = store.list_runs(limit=4, before=before)
        if not page:
            break
        seen += [r["id"] for r in page]
        before = (page[-1]["started"], page[-1]["id"])
    assert sorted(seen) == [f"run-{i:02d}" for i in range(25)] and len(seen) == 25
    assert {r["recipe"] for r in store.list_runs(limit=50, recipe="a")} == {"a"}


def test_a_run_records_the_version_of_its_recipe_and_the_one_before(tmp_path):
    recipe = tmp_path / "r.yaml"
    store = RunStore(tmp_path)
    recipe.write_text("name: r\nsteps: [{log: one}]\n")
    store.start_run("first", "r", str(recipe), {}, {}, tmp_path)
    recipe.write_text("name: r\nsteps: [{log: two}]\n")
    store.start_run("second", "r", str(recipe), {}, {}, tmp_path)
    first, second = store.get_run("first"), store.get_run("second")
    assert first["recipe_version"] != second["recipe_version"] and len(second["recipe_version"]) == 12
    before = store.previous_version("r", second["recipe_version"])
    assert before["version"] == first["recipe_version"] and "log: one" in before["text"]


def test_dashboard_figures_come_from_rollups_kept_as_runs_finish(tmp_path):
    store = RunStore(tmp_path)
    for i in range(20):
        store.start_run(f"r{i}", "bank", "", {}, {}, tmp_path)
        store.finish_run(f"r{i}", "failed" if i == 0 else "ok", error="boom" if i == 0 else None)
    stats = store.recipe_stats(1)["bank"]
    assert stats["runs"] == 20 and stats["error_rate"] == 0.05 and stats["success_rate"] == 0.95
    assert stats["p50_ms"] is not None and stats["p95_ms"] >= stats["p50_ms"]
    # counted once: finishing again (a retried write) does not count the run twice
    store.finish_run("r1", "ok")
    assert store.recipe_stats(1)["bank"]["runs"] == 20
    assert store.rebuild_rollups() == 20 and store.recipe_stats(1)["bank"]["runs"] == 20


def test_deskbot_database_puts_the_store_where_it_says(tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere.db"
    monkeypatch.setenv("DESKBOT_DATABASE", f"sqlite:///{elsewhere}")
    store = RunStore(tmp_path / "home")
    store.start_run("x", "r", "", {}, {}, tmp_path)
    assert elsewhere.exists() and not (tmp_path / "home" / "runs.db").exists()
    status = CliRunner().invoke(cli, ["db", "status"])
    assert str(elsewhere) in status.stdout


def test_a_store_another_process_is_switching_to_wal_is_waited_for_not_a_crash():
    # SQLite answers "database is locked" at once, without its busy timeout, to a connection that
    # asks for WAL while another is making the same switch: the second watcher started on a new
    # store died with a traceback.
    import sqlite3

    from bots.store import _switch_to_wal

    class SwitchingElsewhere:
        def __init__(self, busy_answers):
            self.busy_answers, self.asked = busy_answers, 0

        def execute(self, sql):
            self.asked += 1
            if self.asked <= self.busy_answers:
                raise sqlite3.OperationalError("database is locked")

    cursor = SwitchingElsewhere(busy_answers=3)
    _switch_to_wal(cursor)
    assert cursor.asked == 4

    with pytest.raises(sqlite3.OperationalError, match="locked"):
        _switch_to_wal(SwitchingElsewhere(busy_answers=10**6), patience=0.05)
