"""The store on a real PostgreSQL server: the same run history as on SQLite, and `db copy` from one to the other."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

from click.testing import CliRunner

from bots.cli import cli
from bots.store import RunStore


def fill(store: RunStore, folder, count: int = 30) -> None:
    base = datetime(2026, 11, 1, tzinfo=timezone.utc)
    for i in range(count):
        run_id = f"run-{i:03d}"
        store.start_run(run_id, "bank" if i % 3 else "erp", "", {"type": "manual"}, {"period": "2026-10"}, folder)
        store.set_run(run_id, started=(base + timedelta(minutes=i // 2)).isoformat())
        store.record_attempt(run_id, 1, path="steps[0]", step_id="s", action="log", label="log", attempt=1,
                             status="ok", started=base.isoformat(), duration_ms=1.5, params={"message": f"单据 {i}"},
                             outputs={"n": i})
        store.add_artifact(run_id, 1, "file", f"/runs/{run_id}/out.csv")
        store.finish_run(run_id, "failed" if i % 7 == 0 else "ok", error="boom" if i % 7 == 0 else None)


def test_run_history_on_postgresql_pages_counts_and_reads_like_sqlite(postgres_url, tmp_path):
    store = RunStore(tmp_path, url=postgres_url)
    fill(store, tmp_path)
    seen, before = [], None
    while page := store.list_runs(limit=7, before=before):
        seen += [r["id"] for r in page]
        before = (page[-1]["started"], page[-1]["id"])
    assert sorted(seen) == [f"run-{i:03d}" for i in range(30)]
    run = store.get_run("run-005")
    assert run["steps"][0]["params"] == {"message": "单据 5"} and run["artifacts"][0]["path"].endswith("out.csv")
    stats = store.recipe_stats(30, now=datetime(2026, 11, 2, tzinfo=timezone.utc))
    assert stats["bank"]["runs"] + stats["erp"]["runs"] == 30


def test_two_processes_open_a_new_postgresql_store_at_once(postgres_url, tmp_path):
    # both create the schema: the advisory lock makes the second wait, not fail
    import subprocess
    import sys

    code = ("import sys; from bots.store import RunStore; s = RunStore(sys.argv[1], url=sys.argv[2]);"
            " s.start_run(sys.argv[3], 'r', '', {}, {}, sys.argv[1])")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path), postgres_url, f"p{i}"]) for i in range(3)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0]
    assert {r["id"] for r in RunStore(tmp_path, url=postgres_url).list_runs(limit=10)} == {"p0", "p1", "p2"}


def test_db_copy_moves_a_sqlite_store_to_postgresql_with_equal_counts_and_checksums(postgres_url, tmp_path, monkeypatch):
    monkeypatch.setenv("DESKBOT_HOME", str(tmp_path))
    fill(RunStore(tmp_path), tmp_path, count=40)
    result = CliRunner().invoke(cli, ["db", "copy", "--to", postgres_url])
    assert result.exit_code == 0, result.output
    assert "counts and checksums match" in result.output
    assert "runs" in result.output and "40 rows" in result.output
    copied = RunStore(tmp_path, url=postgres_url)
    assert copied.get_run("run-007")["status"] == "failed"
    assert len(copied.list_runs(limit=100)) == 40
    again = CliRunner().invoke(cli, ["db", "copy", "--to", postgres_url])
    assert again.exit_code == 1 and "already holds rows" in again.output


def test_db_status_names_postgresql_without_the_password(postgres_url, monkeypatch, tmp_path):
    monkeypatch.setenv("DESKBOT_DATABASE", postgres_url.replace("deskbot@", "deskbot:Hidden-Pw@"))
    result = CliRunner().invoke(cli, ["db", "status"])
    assert result.exit_code == 0, result.output
    assert "postgresql" in result.output and "Hidden-Pw" not in result.output
