"""Real processes: two schedulers on one home, graceful stop, a worker that dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from bots.scheduling import UTC, ManualClock
from bots.store import RunStore
from scheduler import Scheduler
from tests.conftest import ROOT


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def all_runs(home: Path) -> list[dict]:
    if not (home / "runs.db").exists():
        return []
    store = RunStore(home)
    try:
        return store.list_runs(limit=1000)
    finally:
        store.close()


def start_scheduler(recipe: Path, home: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "DESKBOT_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, str(ROOT / "scheduler.py"), str(recipe), "--schedules", "",
                             "--tick", "100ms", *extra], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def test_two_scheduler_processes_never_run_one_recipe_at_once(tmp_path, deskbot_home):
    recipe = tmp_path / "slow.yaml"
    recipe.write_text("name: slow\non: {schedule: {every: 1s, overlap: skip}}\nsteps:\n  - wait: 1200ms\n",
                      encoding="utf-8")
    first = start_scheduler(recipe, deskbot_home, "--grace", "10s")
    second = start_scheduler(recipe, deskbot_home, "--grace", "10s")
    try:
        wait_for(lambda: len([r for r in all_runs(deskbot_home) if r["status"] == "ok"]) >= 2, 90, "two finished runs")
    finally:
        for proc in (first, second):
            proc.send_signal(signal.SIGTERM)
        logs = [proc.communicate(timeout=60)[1] for proc in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], logs
    runs = sorted(all_runs(deskbot_home), key=lambda r: r["started"])
    # SIGTERM let the running run finish inside the grace period
    assert runs and all(r["status"] == "ok" for r in runs), runs
    for before, after in zip(runs, runs[1:]):
        assert after["started"] >= before["ended"], f"runs overlap: {before} / {after}"
    assert any("skipped a fire of slow" in log for log in logs)


def test_stop_after_grace_records_the_run_as_interrupted_and_alerts(tmp_path, deskbot_home):
    recipe = tmp_path / "hung.yaml"
    recipe.write_text("name: hung\non: {schedule: {every: 1s}}\nalert: {email: [ops@example.com]}\n"
                      "steps:\n  - wait: 60s\n", encoding="utf-8")
    proc = start_scheduler(recipe, deskbot_home, "--grace", "300ms")
    try:
        wait_for(lambda: [r for r in all_runs(deskbot_home) if r["status"] == "running"], 60, "a running run")
    finally:
        proc.send_signal(signal.SIGTERM)
        _, log = proc.communicate(timeout=60)
    assert proc.returncode == 0, log
    runs = all_runs(deskbot_home)
    assert [r["status"] for r in runs] == ["interrupted"], runs
    alerts = list((deskbot_home / "outbox").glob("*.eml"))
    assert len(alerts) == 1 and "hung interrupted" in alerts[0].read_text(encoding="utf-8")


def test_a_worker_that_dies_is_recorded_and_the_scheduler_goes_on(tmp_path, deskbot_home):
    recipe = tmp_path / "crashy.yaml"
    recipe.write_text("name: crashy\non: {schedule: {every: 1m}}\nalert: {email: [ops@example.com]}\n"
                      "steps:\n  - wait: 60s\n", encoding="utf-8")
    clock = ManualClock(datetime(2026, 11, 30, 12, 0, 30, tzinfo=UTC))
    scheduler = Scheduler([str(recipe)], home=deskbot_home, clock=clock, schedules_file=None, grace=0)
    scheduler.tick()
    clock.advance(seconds=40)
    scheduler.tick()
    assert len(scheduler.workers) == 1
    wait_for(lambda: all_runs(deskbot_home), 60, "the run to start")
    os.kill(scheduler.workers[0].process.pid, signal.SIGKILL)
    wait_for(lambda: (scheduler.reap(), not scheduler.workers)[1], 10, "the worker to be reaped")
    [run] = all_runs(deskbot_home)
    assert run["status"] == "interrupted" and "ended unexpectedly" in run["error"]
    assert len(list((deskbot_home / "outbox").glob("*.eml"))) == 1
    scheduler.tick()  # still working
    scheduler.shutdown()


def test_a_run_over_max_run_time_is_stopped_as_interrupted_and_frees_its_slot(tmp_path, deskbot_home):
    recipe = tmp_path / "stuck.yaml"
    recipe.write_text("name: stuck\non: {schedule: {every: 1m}}\nsteps:\n  - wait: 60s\n", encoding="utf-8")
    clock = ManualClock(datetime(2026, 11, 30, 12, 0, 30, tzinfo=UTC))
    scheduler = Scheduler([str(recipe)], home=deskbot_home, clock=clock, schedules_file=None, max_run_time=0.5)
    scheduler.tick()
    clock.advance(seconds=40)
    scheduler.tick()
    wait_for(lambda: all_runs(deskbot_home), 60, "the run to start")
    wait_for(lambda: (scheduler.reap(), not scheduler.workers)[1], 30, "the stuck run to be stopped")
    [run] = all_runs(deskbot_home)
    assert run["status"] == "interrupted"
    scheduler.shutdown()

