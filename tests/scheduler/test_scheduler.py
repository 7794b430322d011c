"""The scheduler loop with an injectable clock: catch-up after a restart, DST nights, overlap,
folder triggers, and two schedulers sharing one home."""

from __future__ import annotations

import json
import os
import textwrap
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bots.scheduling import UTC, ManualClock, ScheduleState
from bots.store import RunStore
from scheduler import Scheduler, recipe_lock


@pytest.fixture
def recipes(tmp_path):
    folder = tmp_path / "recipes"
    folder.mkdir()

    def write(name: str, on: str, steps: str = '  - log: "trigger {{ trigger }}"') -> Path:
        path = folder / f"{name}.yaml"
        path.write_text(f"name: {name}\non:\n{textwrap.indent(textwrap.dedent(on).strip(), '  ')}\nsteps:\n{steps}\n",
                        encoding="utf-8")
        return path

    write.folder = folder
    return write


def make(paths, home, clock, **kwargs) -> Scheduler:
    return Scheduler([str(p) for p in paths], home=home, clock=clock, inline=True, schedules_file=None,
                     default_calendar=None, **kwargs)


def runs_of(home: Path, recipe: str) -> list[dict]:
    store = RunStore(home)
    try:
        rows = store.list_runs(limit=1000, recipe=recipe)
    finally:
        store.close()
    for row in rows:
        row["trigger"] = json.loads(row["trigger"] or "null")
    return sorted(rows, key=lambda r: r["started"])


def tick_through(scheduler: Scheduler, clock: ManualClock, until: datetime, step: timedelta) -> None:
    while clock.now() < until:
        clock.advance(step)
        scheduler.tick()


@pytest.mark.parametrize("policy, expected_runs", [("skip", 0), ("once", 1), ("all", 3)])
def test_restart_after_missed_runs_follows_catch_up(recipes, deskbot_home, policy, expected_runs):
    path = recipes("daily-report", f'schedule: {{daily: true, at: "06:00", timezone: Europe/Berlin, catch_up: {policy}}}')
    clock = ManualClock(datetime(2026, 11, 30, 12, tzinfo=UTC))
    first = make([path], deskbot_home, clock)
    first.tick()
    first.shutdown()  # the machine goes off for three days
    clock.advance(days=3, hours=1)
    second = make([path], deskbot_home, clock)
    second.tick()
    runs = runs_of(deskbot_home, "daily-report")
    assert len(runs) == expected_runs
    assert all(r["status"] == "ok" and r["trigger"]["late"] and r["trigger"]["missed"] == 3 for r in runs)
    if policy == "all":
        assert [r["trigger"]["fire_time"][:16] for r in runs] == ["2026-12-01T06:00", "2026-12-02T06:00", "2026-12-03T06:00"]
    second.tick()  # nothing is run twice
    assert len(runs_of(deskbot_home, "daily-report")) == expected_runs
    # the next on-time fire runs under every policy
    tick_through(second, clock, datetime(2026, 12, 4, 5, 1, tzinfo=UTC), timedelta(minutes=1))
    later = runs_of(deskbot_home, "daily-report")
    assert len(later) == expected_runs + 1 and later[-1]["trigger"]["late"] is False
    second.shutdown()


def test_a_month_down_with_every_second_catches_up_once_without_walking_every_fire(recipes, deskbot_home):
    import time

    path = recipes("chatty", 'schedule: {every: 1s, catch_up: once}')
    clock = ManualClock(datetime(2026, 11, 1, tzinfo=UTC))
    scheduler = make([path], deskbot_home, clock)
    scheduler.tick()
    clock.advance(days=30)
    started = time.perf_counter()
    scheduler.tick()
    assert time.perf_counter() - started < 5
    [run] = runs_of(deskbot_home, "chatty")
    # the fires of the last minute still count as on time (late_after), the rest as missed
    assert run["trigger"]["missed"] == 30 * 86400 - 61 and run["trigger"]["fire_time_utc"] == "2026-12-01T00:00:00+00:00"


def test_changing_only_catch_up_or_overlap_keeps_the_missed_fires(recipes, deskbot_home):
    path = recipes("tuned", 'schedule: {daily: true, at: "06:00", catch_up: skip}')
    clock = ManualClock(datetime(2026, 11, 30, 12, tzinfo=UTC))
    make([path], deskbot_home, clock).tick()
    clock.advance(days=2)
    path.write_text(path.read_text().replace("catch_up: skip", "catch_up: all, overlap: queue"), encoding="utf-8")
    make([path], deskbot_home, clock).tick()
    assert len(runs_of(deskbot_home, "tuned")) == 2


def test_a_new_trigger_does_not_run_for_fires_before_it_existed(recipes, deskbot_home):
    path = recipes("fresh", 'schedule: {every: 1h, catch_up: all}')
    clock = ManualClock(datetime(2026, 11, 30, 12, 30, tzinfo=UTC))
    scheduler = make([path], deskbot_home, clock)
    scheduler.tick()
    assert runs_of(deskbot_home, "fresh") == []
    clock.advance(minutes=30)
    scheduler.tick()
    assert len(runs_of(deskbot_home, "fresh")) == 1


@pytest.mark.parametrize("zone, night, at, expected_local", [
    ("Europe/Berlin", datetime(2026, 3, 28, 20, tzinfo=UTC), "02:30", "2026-03-29T03:30:00+02:00"),
    ("Europe/Berlin", datetime(2026, 10, 24, 20, tzinfo=UTC), "02:30", "2026-10-25T02:30:00+02:00"),
    ("America/New_York", datetime(2026, 3, 8, 3, tzinfo=UTC), "02:30", "2026-03-08T03:30:00-04:00"),
    ("America/New_York", datetime(2026, 11, 1, 3, tzinfo=UTC), "01:30", "2026-11-01T01:30:00-04:00"),
])
def test_dst_night_ticked_minute_by_minute_runs_exactly_once(recipes, deskbot_home, zone, night, at, expected_local):
    path = recipes("nightly", f'schedule: {{daily: true, at: "{at}", timezone: {zone}}}')
    clock = ManualClock(night)
    scheduler = make([path], deskbot_home, clock)
    scheduler.tick()
    tick_through(scheduler, clock, night + timedelta(hours=9), timedelta(minutes=1))
    runs = runs_of(deskbot_home, "nightly")
    assert [r["trigger"]["fire_time"] for r in runs] == [expected_local]
    assert runs[0]["trigger"]["late"] is False


def test_month_end_business_day_run_across_a_holiday(recipes, deskbot_home):
    path = recipes("close", 'schedule: {monthly: {business_day: -1}, at: "17:00", timezone: America/New_York, calendar: US}')
    clock = ManualClock(datetime(2027, 5, 27, 12, tzinfo=UTC))
    scheduler = make([path], deskbot_home, clock)
    scheduler.tick()
    tick_through(scheduler, clock, datetime(2027, 6, 1, 12, tzinfo=UTC), timedelta(minutes=30))
    assert [r["trigger"]["fire_time"] for r in runs_of(deskbot_home, "close")] == ["2027-05-28T17:00:00-04:00"]


def test_two_schedulers_sharing_a_home_take_each_fire_once(recipes, deskbot_home):
    path = recipes("shared", 'schedule: {every: 10m}')
    clock = ManualClock(datetime(2026, 11, 30, 12, 1, tzinfo=UTC))
    one, two = make([path], deskbot_home, clock), make([path], deskbot_home, clock)
    one.tick()
    two.tick()
    for _ in range(3):
        clock.advance(minutes=10)
        two.tick()
        one.tick()
    assert len(runs_of(deskbot_home, "shared")) == 3


def test_overlap_skip_drops_the_fire_while_the_recipe_runs_elsewhere(recipes, deskbot_home):
    path = recipes("busy", 'schedule: {every: 5m, overlap: skip}')
    clock = ManualClock(datetime(2026, 11, 30, 12, 1, tzinfo=UTC))
    scheduler = make([path], deskbot_home, clock)
    scheduler.tick()
    elsewhere = recipe_lock(deskbot_home, "busy")
    elsewhere.acquire()
    try:
        clock.advance(minutes=5)
        scheduler.tick()
    finally:
        elsewhere.release()
    scheduler.tick()
    assert runs_of(deskbot_home, "busy") == []
    assert ScheduleState(deskbot_home).due() == []


def test_overlap_queue_runs_the_fire_once_the_recipe_is_free(recipes, deskbot_home):
    path = recipes("queued", 'schedule: {every: 5m, overlap: queue}')
    clock = ManualClock(datetime(2026, 11, 30, 12, 1, tzinfo=UTC))
    scheduler = make([path], deskbot_home, clock)
    scheduler.tick()
    elsewhere = recipe_lock(deskbot_home, "queued")
    elsewhere.acquire()
    try:
        clock.advance(minutes=5)
        scheduler.tick()
        assert runs_of(deskbot_home, "queued") == [] and len(ScheduleState(deskbot_home).due()) == 1
    finally:
        elsewhere.release()
    scheduler.tick()
    assert len(runs_of(deskbot_home, "queued")) == 1


def test_folder_trigger_runs_once_per_settled_file_and_not_again_after_restart(recipes, deskbot_home, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    path = recipes("intake", f'files: {{folder: "{inbox}", pattern: "*.pdf", settle: 2s}}',
                   steps='  - log: "{{ trigger.file }}"')
    clock = ManualClock(datetime(2026, 11, 30, 12, tzinfo=UTC))
    scheduler = make([path], deskbot_home, clock)
    (inbox / "a.pdf").write_bytes(b"%PDF-1 a")
    (inbox / "b.pdf").write_bytes(b"%PDF-1 b, still being scanned")
    (inbox / "c.pdf.part").write_bytes(b"partial download")
    (inbox / "notes.txt").write_text("not a pdf")
    scheduler.tick()
    assert runs_of(deskbot_home, "intake") == []  # nothing has settled yet
    clock.advance(seconds=1)
    with open(inbox / "b.pdf", "ab") as growing:
        growing.write(b" more pages")
    scheduler.tick()
    clock.advance(seconds=1.5)
    scheduler.tick()
    runs = runs_of(deskbot_home, "intake")
    assert [Path(r["trigger"]["file"]).name for r in runs] == ["a.pdf"]
    assert runs[0]["trigger"]["type"] == "file"
    clock.advance(seconds=1)
    scheduler.tick()
    assert [Path(r["trigger"]["file"]).name for r in runs_of(deskbot_home, "intake")] == ["a.pdf", "b.pdf"]
    scheduler.shutdown()

    restarted = make([path], deskbot_home, clock)
    for _ in range(3):
        clock.advance(seconds=5)
        restarted.tick()
    assert len(runs_of(deskbot_home, "intake")) == 2
    (inbox / "a.pdf").write_bytes(b"%PDF-1 a, a new version under the same name")
    restarted.tick()
    clock.advance(seconds=3)
    restarted.tick()
    assert len(runs_of(deskbot_home, "intake")) == 3


def test_invalid_recipe_is_reported_and_the_others_still_run(recipes, deskbot_home, caplog, monkeypatch):
    monkeypatch.setenv("DESKBOT_ALERT_TO", "admin@example.com")
    good = recipes("good", 'schedule: {every: 1m}')
    bad = recipes.folder / "bad.yaml"
    bad.write_text("name: bad\non: {schedule: {daily: true, at: '25:00'}}\nsteps:\n  - log: x\n", encoding="utf-8")
    clock = ManualClock(datetime(2026, 11, 30, 12, 0, 30, tzinfo=UTC))
    scheduler = Scheduler([str(recipes.folder)], home=deskbot_home, clock=clock, inline=True, schedules_file=None)
    scheduler.tick()
    clock.advance(minutes=1)
    scheduler.tick()
    assert "bad.yaml" in caplog.text and "at must be HH:MM" in caplog.text
    assert len(runs_of(deskbot_home, "good")) == 1
    assert good.exists()
    [notice] = (deskbot_home / "outbox").glob("*.eml")  # told once, not on every tick
    text = notice.read_text(encoding="utf-8")
    assert "To: admin@example.com" in text and "not scheduled" in text


def test_a_due_run_whose_recipe_broke_meanwhile_is_a_failed_run_with_an_alert(recipes, deskbot_home):
    from scheduler import EXIT_INVALID, execute_job

    path = recipes("fragile", 'schedule: {every: 1m}')
    path.write_text(path.read_text() + "alert: {email: [owner@example.com]}\n", encoding="utf-8")
    t0 = datetime(2026, 11, 30, 12, tzinfo=UTC)
    state = ScheduleState(deskbot_home)
    state.start_trigger("fragile:schedule[0]", "fragile", "fp", t0)
    assert state.claim_fires("fragile:schedule[0]", t0, t0 + timedelta(minutes=1), [
        {"recipe": "fragile", "recipe_file": str(path), "trigger": {"type": "schedule"}}])
    [due] = state.due()
    path.write_text(path.read_text().replace("log:", "lgo:"), encoding="utf-8")
    code = execute_job({"due_id": due.id, "recipe": "fragile", "recipe_file": str(path),
                        "trigger": due.trigger, "home": str(deskbot_home)})
    assert code == EXIT_INVALID and state.due() == []
    [run] = runs_of(deskbot_home, "fragile")
    assert run["status"] == "failed" and "unknown step type or key 'lgo'" in run["error"]
    [alert] = (deskbot_home / "outbox").glob("*.eml")
    assert "To: owner@example.com" in alert.read_text(encoding="utf-8")
