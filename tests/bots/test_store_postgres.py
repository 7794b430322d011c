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


def fill_schedule_state(home) -> None:
    from bots.scheduling import ScheduleState

    state = ScheduleState(home)
    t0 = datetime(2026, 11, 30, 5, tzinfo=timezone.utc)
    for n in range(3):
        state.start_trigger(f"close-{n}:schedule[0]", f"close-{n}", "fp", t0)
        state.claim_fires(f"close-{n}:schedule[0]", t0, t0 + timedelta(days=1), [
            {"recipe": f"close-{n}", "recipe_file": "recipes/close.yaml", "trigger": {"type": "schedule", "n": n}}])
    for n in range(5):  # mtime in nanoseconds needs 64 bits on PostgreSQL
        state.take_file("intake:files", f"/inbox/扫描-{n}.pdf", 1000 + n, 1_764_000_000_123_456_789 + n,
                        {"recipe": "intake", "recipe_file": "recipes/intake.yaml", "trigger": {"type": "file"}})


def fill_intake_journal(home) -> None:
    from bots.intake import IntakeJournal

    journal = IntakeJournal.at_home(home)
    for n in range(4):
        digest = f"{n:064x}"
        journal.take(digest, f"发票-{n}.pdf", "/inbox")
        journal.record_booking(digest, "ACME GmbH", f"R-{n}", "1234.50", f"发票-{n}.pdf")
        journal.set_state(digest, f"发票-{n}.pdf", "done", "booked", f"/inbox/archive/2026-11/发票-{n}.pdf", "/inbox")
        journal.event(digest, f"发票-{n}.pdf", "booked", f"/inbox/archive/2026-11/发票-{n}.pdf")


def test_db_copy_moves_a_sqlite_store_to_postgresql_with_equal_counts_and_checksums(postgres_url, tmp_path, monkeypatch):
    monkeypatch.setenv("DESKBOT_HOME", str(tmp_path))
    fill(RunStore(tmp_path), tmp_path, count=40)
    fill_schedule_state(tmp_path)
    fill_intake_journal(tmp_path)
    result = CliRunner().invoke(cli, ["db", "copy", "--to", postgres_url])
    assert result.exit_code == 0, result.output
    assert "counts and checksums match" in result.output
    assert "runs" in result.output and "40 rows" in result.output
    copied_lines = {line.split()[0]: line for line in result.output.splitlines() if "rows" in line and "sha256" in line}
    assert " 3 rows" in copied_lines["schedule_triggers"] and " 8 rows" in copied_lines["schedule_due_runs"]
    assert " 5 rows" in copied_lines["schedule_seen_files"] and copied_lines["schedule_seen_files"].endswith("ok")
    from bots.scheduling import ScheduleState

    moved = ScheduleState(tmp_path, url=postgres_url)
    assert len(moved.due()) == 8 and moved.files_taken() == {"intake:files": 5}
    assert moved.file_seen("intake:files", "/inbox/扫描-4.pdf", 1004, 1_764_000_000_123_456_793)
    # new due runs continue after the copied ids
    assert moved.take_file("intake:files", "/inbox/new.pdf", 1, 1, {"recipe": "intake", "recipe_file": "x",
                                                                       "trigger": {}})
    assert moved.due()[-1].id == 9
    for table in ("intake_files", "intake_bookings", "intake_events"):
        assert " 4 rows" in copied_lines[table] and copied_lines[table].endswith("ok"), copied_lines[table]
    from bots.intake import IntakeJournal

    journal = IntakeJournal(tmp_path, url=postgres_url)
    assert journal.booked_before("Acme GmbH", "R-3") and journal.get(f"{3:064x}")["state"] == "done"
    assert not journal.take(f"{3:064x}", "发票-3.pdf")  # done on SQLite, done after the move
    journal.event(None, "next.pdf", "quarantine", None, "new events continue after the copied ones")
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
    assert "schedule_triggers" in result.output and "schedule_due_runs" in result.output
    assert "intake_files" in result.output and "revision 0004 (up to date)" in result.output
