"""Upgrading from a release that kept the scheduler's state in DESKBOT_HOME/schedule.db: the
file is imported into the store once, so missed fires are caught up and taken files stay taken."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from bots.scheduling import UTC, ManualClock, ScheduleState, collect_triggers, stamp
from tests.scheduler.test_scheduler import make, recipes, runs_of  # noqa: F401  (fixture)

# the old release's schema, as it created schedule.db
OLD_SCHEMA = """
CREATE TABLE triggers (key TEXT PRIMARY KEY, recipe TEXT NOT NULL, fingerprint TEXT NOT NULL,
                       last_fire TEXT NOT NULL, updated TEXT NOT NULL);
CREATE TABLE due_runs (id INTEGER PRIMARY KEY AUTOINCREMENT, trigger_key TEXT NOT NULL, recipe TEXT NOT NULL,
                       recipe_file TEXT NOT NULL, trigger TEXT NOT NULL, overlap TEXT NOT NULL, created TEXT NOT NULL,
                       not_before TEXT, claimed_by TEXT);
CREATE TABLE seen_files (trigger_key TEXT NOT NULL, path TEXT NOT NULL, size INTEGER NOT NULL,
                         mtime_ns INTEGER NOT NULL, seen TEXT NOT NULL, PRIMARY KEY (trigger_key, path, size, mtime_ns));
"""


def old_state_file(home: Path, triggers=(), due=(), seen=()) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "schedule.db"
    with sqlite3.connect(path) as db:
        db.executescript(OLD_SCHEMA)
        db.executemany("INSERT INTO triggers VALUES (?,?,?,?,?)", triggers)
        db.executemany("INSERT INTO due_runs (trigger_key, recipe, recipe_file, trigger, overlap, created, claimed_by)"
                       " VALUES (?,?,?,?,?,?,?)", due)
        db.executemany("INSERT INTO seen_files VALUES (?,?,?,?,?)", seen)
    db.close()
    return path


def test_an_old_schedule_db_is_imported_once_and_catch_up_and_taken_files_stay_right(recipes, deskbot_home, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    daily = recipes("daily-report", 'schedule: {daily: true, at: "06:00", timezone: Europe/Berlin, catch_up: once}')
    intake = recipes("intake", f'files: {{folder: "{inbox}", pattern: "*.pdf", settle: 1s}}',
                     steps='  - log: "{{ trigger.file }}"')
    taken = inbox / "taken-before-the-upgrade.pdf"
    taken.write_bytes(b"%PDF-1 old")
    clock = ManualClock(datetime(2026, 12, 3, 12, tzinfo=UTC))
    calendar = make([daily], tmp_path / "elsewhere", clock).default_calendar  # the settings' company calendar
    [trigger] = collect_triggers([daily], default_calendar=calendar).time
    # the old scheduler last handled the 30 Nov fire; then the machine was off for three days
    # (and a fire of another recipe was due but not started, claimed by a process long gone)
    before = datetime(2026, 11, 30, 5, 0, tzinfo=UTC)
    info = taken.stat()
    legacy = old_state_file(
        deskbot_home,
        triggers=[(trigger.key, "daily-report", trigger.fingerprint, stamp(before), stamp(before))],
        due=[("intake:files", "intake", str(intake), '{"type": "file", "file": "queued.pdf", "note": "queued before the upgrade"}',
              "queue", stamp(before), "old-host:999999")],
        seen=[("intake:files", str(taken.resolve()), info.st_size, info.st_mtime_ns, stamp(before))])

    scheduler = make([daily, intake], deskbot_home, clock)
    assert not legacy.exists() and (deskbot_home / "schedule.db.imported").is_file()
    scheduler.tick()
    clock.advance(seconds=2)
    scheduler.tick()
    caught_up = runs_of(deskbot_home, "daily-report")
    assert len(caught_up) == 1 and caught_up[0]["trigger"]["missed"] == 3  # 1, 2 and 3 Dec: once
    assert caught_up[0]["trigger"]["fire_time"].startswith("2026-12-03T06:00")
    files = runs_of(deskbot_home, "intake")
    assert [r["trigger"].get("note") for r in files] == ["queued before the upgrade"]  # not the taken file again
    scheduler.shutdown()

    # the same file put back (a restored backup) is not imported a second time
    (deskbot_home / "schedule.db.imported").rename(deskbot_home / "schedule.db")
    again = make([daily, intake], deskbot_home, clock)
    assert again.state.due() == [] and not (deskbot_home / "schedule.db").exists()
    for _ in range(3):
        clock.advance(seconds=2)
        again.tick()
    assert len(runs_of(deskbot_home, "daily-report")) == 1 and len(runs_of(deskbot_home, "intake")) == 1
    again.shutdown()


def test_a_home_without_an_old_file_starts_empty_and_keeps_state_in_the_store(deskbot_home):
    state = ScheduleState(deskbot_home)
    t0 = datetime(2026, 11, 30, 12, tzinfo=UTC)
    state.start_trigger("r:schedule[0]", "r", "fp", t0)
    assert state.claim_fires("r:schedule[0]", t0, t0 + timedelta(hours=1), [])
    assert not state.claim_fires("r:schedule[0]", t0, t0 + timedelta(hours=1), [])  # already moved
    assert not (deskbot_home / "schedule.db").exists() and (deskbot_home / "runs.db").is_file()
    assert ScheduleState(deskbot_home).trigger_state("r:schedule[0]") == (t0 + timedelta(hours=1), "fp")


def test_a_claim_left_by_a_scheduler_on_another_machine_is_freed_after_the_lease(deskbot_home):
    from bots.schedule_state import FOREIGN_CLAIM_LEASE

    state = ScheduleState(deskbot_home)
    t0 = datetime(2026, 11, 30, 12, tzinfo=UTC)
    state.start_trigger("r:schedule[0]", "r", "fp", t0)
    state.claim_fires("r:schedule[0]", t0, t0 + timedelta(minutes=1), [{"recipe": "r", "recipe_file": "r.yaml",
                                                                        "trigger": {}}])
    [due] = state.due()
    assert state.claim(due.id, "another-machine:4242")
    now = datetime.now(UTC)
    assert state.reclaim_dead(now) == 0 and state.due()[0].claimed_by == "another-machine:4242"
    assert state.reclaim_dead(now + FOREIGN_CLAIM_LEASE + timedelta(seconds=1)) == 1
    assert state.due()[0].claimed_by is None and state.claim(due.id, "this-one:1")


def test_a_store_made_at_revision_0003_gets_the_claim_time_of_due_runs(tmp_path):
    import subprocess
    import sys

    home = tmp_path / "home"
    opening = ("import sys; from pathlib import Path; from bots.schedule_state import ScheduleState;"
               " s = ScheduleState(Path(sys.argv[1])); from datetime import datetime, timezone;"
               " t = datetime(2026, 11, 30, tzinfo=timezone.utc); s.start_trigger('k', 'r', 'fp', t);"
               " s.claim_fires('k', t, t, [{'recipe': 'r', 'recipe_file': 'r.yaml', 'trigger': {}}]);"
               " print(s.claim(s.due()[-1].id, 'me:1'))")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).resolve().parents[2]), "DESKBOT_HOME": str(home)}
    first = subprocess.run([sys.executable, "-c", opening, str(home)], env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    with sqlite3.connect(home / "runs.db") as db:  # as the first build of revision 0003 left it
        db.execute("ALTER TABLE schedule_due_runs DROP COLUMN claimed_at")
        db.execute("UPDATE alembic_version SET version_num = '0003'")
    db.close()
    again = subprocess.run([sys.executable, "-c", opening, str(home)], env=env, capture_output=True, text=True)
    assert again.returncode == 0 and again.stdout.strip() == "True", again.stderr


def test_a_scheduler_that_queues_for_workers_schedules_a_recipe_needing_what_only_the_workers_have(
        recipes, monkeypatch):
    # on a scheduler machine without Tesseract, an OCR recipe is still scheduled when its runs go
    # to the work queue (the ocr workers check it); a scheduler that runs recipes itself refuses it
    from bots import registry
    from bots.registry import Requirement, StepParams, StepSpec

    absent = Requirement("tesseract", lambda: "not found on PATH; install tesseract-ocr")
    monkeypatch.setitem(registry.load_all(), "ocr.fake",
                        StepSpec("ocr.fake", StepParams, lambda ctx, p: {}, requires=(absent,)))
    scans = recipes("scans", 'schedule: {daily: true, at: "06:00"}', steps="  - ocr.fake: {}")

    here = collect_triggers([scans])
    assert here.time == [] and any("needs tesseract" in problem for problem in here.problems)
    queued = collect_triggers([scans], here=False)
    assert [t.recipe for t in queued.time] == ["scans"] and queued.problems == []
