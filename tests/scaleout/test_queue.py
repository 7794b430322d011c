"""The work queue on a real PostgreSQL with real worker processes: every run exactly once, no
overlap of a recipe across workers, a killed worker's run noticed and handled once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from bots.cli import cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def queue_env(postgres_url, tmp_path, monkeypatch):
    monkeypatch.setenv("DESKBOT_DATABASE", postgres_url)
    monkeypatch.setenv("DESKBOT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DESKBOT_WORKER_DEAD_AFTER", "15")
    return tmp_path


def start_worker(env_dir: Path, *args: str) -> subprocess.Popen:
    log = open(env_dir / f"worker-{time.perf_counter_ns()}.log", "w")
    return subprocess.Popen([sys.executable, "-m", "bots.cli", "worker", *args], cwd=ROOT, env=os.environ.copy(),
                            stdout=log, stderr=subprocess.STDOUT)


def stop(*workers: subprocess.Popen) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=90)
        except subprocess.TimeoutExpired:
            worker.kill()


def wait_until(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError(f"gave up waiting for {what} after {seconds:.0f}s")


def runs(status: str | None = None) -> list[dict]:
    from bots.store import RunStore

    return RunStore().list_runs(limit=10_000, status=status)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text))
    return path


def test_runs_queued_by_hand_each_run_once_and_a_recipe_never_overlaps(queue_env):
    marks = queue_env / "marks"
    marks.mkdir()
    recipe = write(queue_env, "short.yaml", f"""
        name: short
        vars: {{n: 0}}
        steps:
          - files.copy: {{src: "{queue_env / 'short.yaml'}", dest: "{marks}/{{{{ vars.n }}}}-{{{{ run.id }}}}.start"}}
          - wait: 200ms
          - files.copy: {{src: "{queue_env / 'short.yaml'}", dest: "{marks}/{{{{ vars.n }}}}-{{{{ run.id }}}}.end"}}
    """)
    other = write(queue_env, "other.yaml", "name: other\nsteps: [{log: hello}]\n")
    ids = []
    for n in range(12):
        result = CliRunner().invoke(cli, ["run", str(recipe), "--queue", "--var", f"n={n}"])
        assert result.exit_code == 0, result.output
        ids.append(result.output.strip().split()[-1])
    for _ in range(12):
        assert CliRunner().invoke(cli, ["run", str(other), "--queue"]).exit_code == 0
    assert {r["status"] for r in runs()} == {"queued"}
    workers = [start_worker(queue_env, "--concurrency", "2"), start_worker(queue_env, "--concurrency", "2")]
    try:
        wait_until(lambda: len(runs("ok")) == 24, 300, "24 runs to finish")
    finally:
        stop(*workers)
    assert sorted(r["id"] for r in runs("ok") if r["recipe"] == "short") == sorted(ids)
    starts = sorted(marks.glob("*.start"))
    assert len(starts) == 12  # each run once
    # no overlap: sorted by the time each started, every run ended before the next started
    spans = sorted((p.stat().st_mtime, (marks / (p.stem + ".end")).stat().st_mtime) for p in starts)
    assert all(end <= next_start for (_, end), (next_start, _) in zip(spans, spans[1:]))


def test_a_killed_worker_s_run_is_interrupted_within_the_bound_and_handled_once(queue_env):
    recipe = write(queue_env, "slow.yaml", """
        name: slow
        steps:
          - log: started
          - wait: 40s
          - log: never reached
    """)
    result = CliRunner().invoke(cli, ["run", str(recipe), "--queue"])
    run_id = result.output.strip().split()[-1]
    doomed = start_worker(queue_env)
    try:
        wait_until(lambda: runs("running"), 120, "the run to start")
        doomed.send_signal(signal.SIGKILL)
        doomed.wait()
        killed_at = time.monotonic()
        survivors = [start_worker(queue_env), start_worker(queue_env)]
        # the survivors notice the silent worker by its missing heartbeats and close its job
        wait_until(lambda: job_status(run_id) == "failed", 90, "the dead worker's job to be handled")
        noticed_after = time.monotonic() - killed_at
    finally:
        stop(*[w for w in locals().get("survivors", [])])
    assert noticed_after < 15 + 10 + 30  # dead after 15 s, checked every 10 s, plus a loaded machine
    from bots.store import RunStore

    run = RunStore().get_run(run_id)
    assert run["status"] == "interrupted"  # not resumed: no step allows it; not run twice
    assert "never reached" not in (Path(run["dir"]) / "run.log").read_text()


def job_status(run_id: str) -> str | None:
    import psycopg

    from bots.queue import conninfo

    with psycopg.connect(conninfo(os.environ["DESKBOT_DATABASE"])) as conn:
        row = conn.execute("SELECT status FROM procrastinate_jobs WHERE args->>'run_id' = %s ORDER BY id DESC",
                           (run_id,)).fetchone()
    return row[0] if row else None


def test_two_schedulers_queue_each_fire_once(queue_env):
    """Both see the same missed fires (each with its own schedule state, as on two machines);
    every fire becomes one queued run."""
    from scheduler import Scheduler
    from bots.scheduling import ManualClock
    from datetime import datetime, timezone

    recipes = queue_env / "recipes"
    recipes.mkdir()
    write(recipes, "hourly.yaml", """
        name: hourly
        on: {schedule: {every: 1h, catch_up: all}}
        steps: [{log: tick}]
    """)
    start = datetime(2026, 11, 30, 0, 0, tzinfo=timezone.utc)
    schedulers = []
    for n in range(2):
        home = queue_env / f"scheduler-{n}"
        clock = ManualClock(start)
        schedulers.append((Scheduler([recipes], home=home, clock=clock, schedules_file=None, inline=True), clock))
    for sched, clock in schedulers:
        sched.run_once()
    for sched, clock in schedulers:
        clock.set(start.replace(hour=5, minute=30))
        sched.run_once()
    queued = [r for r in runs("queued") if r["recipe"] == "hourly"]
    fires = sorted(json.loads(r["trigger"])["fire_time"] for r in queued)
    assert len(fires) == len(set(fires)) and 5 <= len(fires) <= 6
