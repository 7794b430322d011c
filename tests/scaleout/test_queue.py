"""The work queue on a real PostgreSQL with real worker and scheduler processes: every run exactly
once, no overlap of a recipe across workers, a killed worker's run interrupted within the stated
bound and resumed once elsewhere (or left for a person), parked runs resumed once by whichever
worker is free, also across a restart of every worker."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from bots.cli import cli

ROOT = Path(__file__).resolve().parents[2]

# short settings so that a death is noticed in seconds: silent 6 s = dead, looked for every 1 s
FAST = {"DESKBOT_WORKER_HEARTBEAT": "1", "DESKBOT_WORKER_DEAD_AFTER": "6", "DESKBOT_WORKER_CHECK_EVERY": "1",
        "DESKBOT_QUEUE_POLL": "0.5"}


@pytest.fixture
def queue_env(postgres_url, tmp_path, monkeypatch):
    monkeypatch.setenv("DESKBOT_DATABASE", postgres_url)
    monkeypatch.setenv("DESKBOT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DESKBOT_SETTINGS", str(ROOT / "config" / "settings.yaml"))
    monkeypatch.setenv("DESKBOT_ALERT_TO", "ops@example.com")  # no SMTP server: alerts wait in the outbox
    for name, value in FAST.items():
        monkeypatch.setenv(name, value)
    return tmp_path


def start(env_dir: Path, *args: str, name: str = "worker") -> subprocess.Popen:
    log = open(env_dir / f"{name}-{time.perf_counter_ns()}.log", "w")
    command = [sys.executable, "scheduler.py", *args] if name == "scheduler" else \
        [sys.executable, "-m", "bots.cli", "worker", *args]
    return subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT)


def stop(*processes: subprocess.Popen) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            process.kill()


def logs(env_dir: Path) -> str:
    """What a failed wait shows: the processes' logs, the runs and the queue's jobs."""
    import psycopg

    from bots.queue import conninfo

    text = "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in sorted(env_dir.glob("*.log")))
    text += "\n--- runs\n" + "\n".join(f"{r['id']} {r['recipe']} {r['status']} {r['error'] or ''}" for r in runs()[:20])
    with psycopg.connect(conninfo(os.environ["DESKBOT_DATABASE"])) as conn:
        jobs = conn.execute("SELECT id, status, lock, queueing_lock, queue_name, worker_id, args FROM procrastinate_jobs"
                            " ORDER BY id DESC LIMIT 20").fetchall()
    return text + "\n--- jobs\n" + "\n".join(map(str, jobs))


def wait_until(condition, seconds: float, what: str, env_dir: Path | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what} after {seconds:.0f}s\n" + (logs(env_dir) if env_dir else ""))


def runs(status: str | None = None, recipe: str | None = None) -> list[dict]:
    from bots.store import RunStore

    return RunStore().list_runs(limit=10_000, status=status, recipe=recipe)


def show(run_id: str) -> dict:
    from bots.store import RunStore

    return RunStore().get_run(run_id)


def tries(run: dict, path: str) -> int:
    return sum(1 for s in run["steps"] if s["path"] == path and s["status"] in ("ok", "failed"))


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text))
    return path


def queue_by_cli(recipe: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["run", str(recipe), "--queue", *args])
    assert result.exit_code == 0, result.output
    return result.output.strip().split()[-1]


def test_two_workers_two_schedulers_200_runs_from_fires_and_by_hand_each_once_never_overlapping(queue_env):
    recipes = queue_env / "recipes"
    recipes.mkdir()
    marks = queue_env / "marks"
    marks.mkdir()
    source = write(queue_env, "source.txt", "x")
    body = """
        steps:
          - files.copy: {{src: "{source}", dest: "{marks}/{{{{ run.id }}}}.start"}}
          - wait: 30ms
          - files.copy: {{src: "{source}", dest: "{marks}/{{{{ run.id }}}}.end"}}
    """
    for name in ("tick", "tock"):  # fired every second by both schedulers, missed fires all caught up
        write(recipes, f"{name}.yaml", f"name: {name}\non: {{schedule: {{every: 1s, catch_up: all}}}}\n"
              + textwrap.dedent(body.format(source=source, marks=marks)))
    by_hand = [write(queue_env, f"{name}.yaml", f"name: {name}\n" + textwrap.dedent(body.format(source=source, marks=marks)))
               for name in ("claims", "invoices")]
    # each scheduler has its own home, as on its own machine, and shares the schedule state in the
    # store: both saw the recipes 40 s ago
    homes = [queue_env / f"scheduler-{n}" for n in (1, 2)]
    for home in homes:
        done = subprocess.run([sys.executable, "scheduler.py", "--once", "--home", str(home), str(recipes)], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    from bots.schedule_state import ScheduleState, schedule_triggers
    from bots.store import writing

    earlier = (datetime.now(timezone.utc) - timedelta(seconds=40)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    with writing(ScheduleState(homes[0]).engine) as db:
        assert db.execute(schedule_triggers.update().values(last_fire=earlier)).rowcount == 2
    workers = [start(queue_env, "--concurrency", "2") for _ in range(2)]
    schedulers = [start(queue_env, "--home", str(home), "--tick", "0.2s", str(recipes), name="scheduler")
                  for home in homes]
    try:
        wait_until(lambda: len(runs()) >= 90, 120, "the schedulers' fires", queue_env)
        stop(*schedulers)
        fired = len(runs())
        assert fired < 200
        hand_ids = [queue_by_cli(by_hand[0]), queue_by_cli(by_hand[1])]  # as a person does
        from bots.queue import enqueue  # the rest through the call the CLI and the console make
        from bots.recipe import load_recipe

        loaded = [load_recipe(p) for p in by_hand]
        hand_ids += [enqueue(loaded[n % 2], trigger={"type": "manual"})[0] for n in range(200 - fired - 2)]
        wait_until(lambda: len(runs("ok")) == 200, 400, "200 runs to finish", queue_env)
    finally:
        stop(*schedulers, *workers)
    everything = runs()
    assert len(everything) == 200 and {r["status"] for r in everything} == {"ok"}
    by_recipe = {name: [r for r in everything if r["recipe"] == name] for name in ("tick", "tock", "claims", "invoices")}
    assert sum(map(len, by_recipe.values())) == 200 and all(len(v) >= 20 for v in by_recipe.values())
    # each fire queued once although both schedulers saw it
    for name in ("tick", "tock"):
        fires = [r["trigger"]["fire_time"] if isinstance(r["trigger"], dict) else json.loads(r["trigger"])["fire_time"]
                 for r in by_recipe[name]]
        assert len(fires) == len(set(fires))
    assert set(hand_ids) == {r["id"] for r in by_recipe["claims"] + by_recipe["invoices"]}
    # each run did its work exactly once
    assert sorted(p.stem for p in marks.glob("*.start")) == sorted(r["id"] for r in everything)
    assert len(list(marks.glob("*.end"))) == 200
    assert all(tries(show(r["id"]), "steps[0]") == 1 for r in everything[::10])
    # no overlap of a recipe: sorted by start, each run of a recipe ended before the next began
    for name, recipe_runs in by_recipe.items():
        spans = sorted((r["started"], r["ended"]) for r in recipe_runs)
        assert all(end <= next_start for (_, end), (next_start, _) in zip(spans, spans[1:])), name
    # both workers took runs
    worker_logs = [p.read_text() for p in queue_env.glob("worker-*.log")]
    assert len(worker_logs) == 2 and all(text.count("ended with exit code 0") >= 10 for text in worker_logs)


KILLABLE = """
    name: killable
    steps:
      - id: a
        files.copy: {{src: "{marker}", dest: "{{{{ run.dir }}}}/a.txt"}}
      - id: slow
        files.wait: {{path: "{gate}", timeout: 90s}}
        {on_interrupt}
      - id: c
        files.copy: {{src: "{marker}", dest: "{{{{ run.dir }}}}/c.txt"}}
"""


def worker_of(run: dict) -> int:
    """The worker process a run's process belongs to (run process -> forkserver -> worker)."""
    pid = run["pid"]
    for _ in range(2):
        status = Path(f"/proc/{pid}/status").read_text()
        pid = int(next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:")))
    return pid


def job_statuses(run_id: str) -> list[str]:
    """The queue's jobs for a run, newest first (succeeded ones are deleted as they finish)."""
    import psycopg

    from bots.queue import conninfo

    with psycopg.connect(conninfo(os.environ["DESKBOT_DATABASE"])) as conn:
        return [row[0] for row in conn.execute("SELECT status FROM procrastinate_jobs WHERE args->>'run_id' = %s"
                                               " ORDER BY id DESC", (run_id,))]


def journal_started(run_id: str) -> set[str]:
    from bots.journal import cut_off_steps
    from bots.store import RunStore

    return set(cut_off_steps(RunStore(), run_id))


def interrupted_at(run_id: str) -> datetime:
    """When the run was marked interrupted: the 'ended' its interruption was acted on under (the
    run's own 'ended' is cleared as soon as it resumes)."""
    from sqlalchemy import select

    from bots.store import RunStore, once_keys

    with RunStore().read() as conn:
        keys = conn.execute(select(once_keys.c.key).where(once_keys.c.key.like(f"interrupted:{run_id}:%"))).scalars()
        return min(datetime.fromisoformat(key.split(":", 2)[2]) for key in keys)


@pytest.mark.parametrize("allowed", [True, False], ids=["on_interrupt-resume", "not-allowed"])
def test_a_killed_worker_s_run_is_interrupted_within_the_bound_then_resumed_once_elsewhere_or_left(queue_env, allowed):
    from bots import queue

    marker, gate = write(queue_env, "marker.txt", "x"), queue_env / "gate.txt"
    recipe = write(queue_env, "killable.yaml", KILLABLE.format(
        marker=marker, gate=gate, on_interrupt="on_interrupt: resume" if allowed else ""))
    workers = [start(queue_env), start(queue_env)]
    try:
        run_id = queue_by_cli(recipe)
        wait_until(lambda: "steps[1]" in journal_started(run_id), 240, "the slow step to start", queue_env)
        doomed_pid = worker_of(show(run_id))
        doomed = next(w for w in workers if w.pid == doomed_pid)
        first_pid = show(run_id)["pid"]
        killed_at = datetime.now(timezone.utc)
        doomed.send_signal(signal.SIGKILL)
        doomed.wait()
        # the other worker notices the silence and closes the dead worker's job (this test reads
        # the queue, not the run: on this one machine any reader sees that the run's process is gone)
        wait_until(lambda: "failed" in job_statuses(run_id), 120, "the dead worker's job to be closed", queue_env)
        assert show(run_id)["status"] in ("interrupted", "running")
        # when the check marked the run (its 'ended'), not when this test's polling saw it: the
        # bound (silent DEAD_AFTER, 6 s here, then the next check, every 1 s) plus the marking's own
        # few statements, which take seconds only on a machine whose two cores a dozen processes share
        marked_after = (interrupted_at(run_id) - killed_at).total_seconds()
        assert 0 < marked_after <= queue.detection_bound() + 3, (marked_after, logs(queue_env))
        if allowed:
            wait_until(lambda: show(run_id)["status"] == "running", 120, "the run to resume", queue_env)
            gate.write_text("open")
            wait_until(lambda: show(run_id)["status"] == "ok", 120, "the resumed run to finish", queue_env)
            run = show(run_id)
            assert run["pid"] != first_pid  # on the other worker
            assert tries(run, "steps[0]") == 1 and tries(run, "steps[2]") == 1  # finished steps not again
            assert (Path(run["dir"]) / "c.txt").is_file()
            assert (Path(run["dir"]) / "run.log").read_text().count("resuming run") == 1
            # the resumption's job succeeded and was cleared: the worker clears it just after the run
            # ends, so a test that looks at once can still see it "doing"
            wait_until(lambda: job_statuses(run_id) == ["failed"], 60, "the resumption's job to be cleared", queue_env)
        else:
            gate.write_text("open")
            time.sleep(3)  # the other worker had every chance to take it
            run = show(run_id)
            assert run["status"] == "interrupted" and job_statuses(run_id) == ["failed"]  # no second job
            assert tries(run, "steps[2]") == 0 and not (Path(run["dir"]) / "c.txt").exists()
            outbox = Path(os.environ["DESKBOT_HOME"]) / "outbox"
            alerts = [p.read_text(errors="replace") for p in outbox.glob("*.eml")]
            assert len([a for a in alerts if run_id in a]) == 1, alerts  # alerted once, by one worker
    finally:
        stop(*workers)


APPROVAL = """
    name: pay-claim
    steps:
      - id: a
        files.copy: {{src: "{marker}", dest: "{{{{ run.dir }}}}/a.txt"}}
      - id: manager
        approval.request:
          title: "Pay claim 7"
          approvers: {{users: [bob]}}
      - id: b
        files.copy: {{src: "{marker}", dest: "{{{{ run.dir }}}}/b.txt"}}
      - log: "approved by {{{{ steps.manager.by }}}}"
"""


def test_an_approval_decided_while_the_workers_restart_resumes_once(queue_env):
    marker = write(queue_env, "marker.txt", "x")
    recipe = write(queue_env, "pay.yaml", APPROVAL.format(marker=marker))
    added = CliRunner().invoke(cli, ["users", "add", "bob", "--role", "approver"],
                               input="pw-Long-enough-123\npw-Long-enough-123\n")
    assert added.exit_code == 0, added.output
    workers = [start(queue_env), start(queue_env)]
    run_id = queue_by_cli(recipe, "--as", "alice")
    try:
        wait_until(lambda: show(run_id)["status"] == "waiting", 120, "the run to park", queue_env)
    finally:
        stop(*workers)  # every worker goes down
    pending = json.loads(CliRunner().invoke(cli, ["approvals", "list", "--json"]).output)["approvals"]
    decided = CliRunner().invoke(cli, ["approvals", "decide", pending[0]["id"], "approve", "--as", "bob"])
    assert decided.exit_code == 0, decided.output
    assert show(run_id)["status"] == "waiting"  # nobody to take it yet
    workers = [start(queue_env), start(queue_env)]  # both see it due at once
    try:
        wait_until(lambda: show(run_id)["status"] == "ok", 120, "the decided run to finish", queue_env)
        time.sleep(2)  # a second resumption would show now
    finally:
        stop(*workers)
    run = show(run_id)
    assert run["status"] == "ok"
    assert tries(run, "steps[0]") == 1 and tries(run, "steps[2]") == 1 and tries(run, "steps[3]") == 1
    assert (Path(run["dir"]) / "run.log").read_text().count("resuming run") == 1
    assert "approved by bob" in (Path(run["dir"]) / "run.log").read_text()


def test_a_timed_retry_is_resumed_by_a_free_worker_when_due(queue_env):
    """A retry a minute away parks the run; when due, a worker takes it (time moved by the store)."""
    from bots.journal import run_waits
    from bots.store import RunStore

    gate = queue_env / "gate.txt"
    recipe = write(queue_env, "retry.yaml", f"""
        name: durable-retry
        steps:
          - id: wait_file
            files.wait: {{path: "{gate}", timeout: 1s}}
            retry: {{attempts: 3, delay: 1m}}
          - log: got it
    """)
    workers = [start(queue_env)]
    try:
        run_id = queue_by_cli(recipe)
        wait_until(lambda: show(run_id)["status"] == "waiting", 120, "the run to park for its retry", queue_env)
        gate.write_text("here")
        time.sleep(2)
        assert show(run_id)["status"] == "waiting"  # not before its time
        past = (datetime.now(timezone.utc) - timedelta(seconds=1)).isoformat(timespec="seconds")
        store = RunStore()
        with store.write() as conn:  # a minute passes
            conn.execute(run_waits.update().where(run_waits.c.run_id == run_id).values(wake_at=past))
        wait_until(lambda: show(run_id)["status"] == "ok", 60, "the due retry to run", queue_env)
    finally:
        stop(*workers)
    run = show(run_id)
    assert [s["attempt"] for s in run["steps"] if s["path"] == "steps[0]"] == [1, 2]  # the retry, once
    assert "got it" in (Path(run["dir"]) / "run.log").read_text()


def test_a_queued_run_whose_recipe_broke_fails_saying_why_instead_of_staying_queued(queue_env, monkeypatch):
    recipe = write(queue_env, "fragile.yaml", "name: fragile\nsteps: [{log: hi}]\n")
    monkeypatch.chdir(queue_env)
    run_id = queue_by_cli(Path("fragile.yaml"))  # a relative path, as the console's recipes folder gives
    assert show(run_id)["recipe_file"] == str(recipe.resolve())
    other = queue_by_cli(write(queue_env, "broken.yaml", "name: broken\nsteps: [{log: hi}]\n"))
    (queue_env / "broken.yaml").write_text("name: broken\nsteps: [{no_such_step: 1}]\n")
    workers = [start(queue_env)]  # started from the repository, another folder
    try:
        wait_until(lambda: show(run_id)["status"] == "ok" and show(other)["status"] == "failed", 120,
                   "both runs to end", queue_env)
    finally:
        stop(*workers)
    assert "no_such_step" in show(other)["error"]


def test_two_schedulers_queue_each_fire_once(queue_env):
    """Both see the same missed fires (each with its own schedule state, as on two machines);
    every fire becomes one queued run."""
    from scheduler import Scheduler
    from bots.scheduling import ManualClock

    recipes = queue_env / "recipes"
    recipes.mkdir()
    write(recipes, "hourly.yaml", """
        name: hourly
        on: {schedule: {every: 1h, catch_up: all}}
        steps: [{log: tick}]
    """)
    start_at = datetime(2026, 11, 30, 0, 0, tzinfo=timezone.utc)
    schedulers = []
    for n in range(2):
        home = queue_env / f"scheduler-{n}"
        clock = ManualClock(start_at)
        schedulers.append((Scheduler([recipes], home=home, clock=clock, schedules_file=None, inline=True), clock))
    for sched, clock in schedulers:
        sched.run_once()
    for sched, clock in schedulers:
        clock.set(start_at.replace(hour=5, minute=30))
        sched.run_once()
    queued = [r for r in runs("queued") if r["recipe"] == "hourly"]
    fires = sorted(json.loads(r["trigger"])["fire_time"] for r in queued)
    assert len(fires) == len(set(fires)) and 5 <= len(fires) <= 6


def test_the_console_api_queues_a_run_and_records_who_started_it_together(queue_env, monkeypatch):
    from bots import audit, users
    from console.app import create_app

    (queue_env / "recipes").mkdir()
    write(queue_env, "recipes/claims.yaml", "name: claims\nsteps:\n  - log: one claim\n")
    monkeypatch.chdir(queue_env)
    users.add_user("ops", "operator", "a long test passphrase", actor="test")
    token = users.new_token("ops", actor="test")
    client = create_app(settings={}).test_client()
    answer = client.post("/api/runs", json={"recipe": "claims", "vars": {}},
                         headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 201, answer.get_data(as_text=True)
    run_id = answer.get_json()["run_id"]
    assert show(run_id)["status"] == "queued" and job_statuses(run_id) == ["todo"]
    started = [e for e in audit.entries(action="run.start") if e.after.get("run_id") == run_id]
    assert len(started) == 1 and started[0].actor == "ops" and started[0].subject == "claims"
    # an unknown recipe, a var the recipe does not declare: refused, nothing queued, nothing recorded
    refused = client.post("/api/runs", json={"recipe": "nope"}, headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 409 and "no recipe named 'nope'" in refused.get_json()["error"]
    refused = client.post("/api/runs", json={"recipe": "claims", "vars": {"mnoth": "2026-11"}},
                          headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 409 and "declares no var mnoth" in refused.get_json()["error"]
    assert len(audit.entries(action="run.start")) == 1 and len(runs()) == 1


def test_a_recipe_needing_what_only_the_workers_machines_have_is_queued_from_a_machine_without_it(
        queue_env, monkeypatch):
    # the console (or 'run --queue') runs where no Chromium or Tesseract is installed; the runs
    # go to workers that have them (queue: ocr), which check it when they load the recipe
    from bots import registry, users
    from bots.registry import Requirement, StepParams, StepSpec
    from console.app import create_app

    absent = Requirement("tesseract", lambda: "not found on PATH; install tesseract-ocr")
    monkeypatch.setitem(registry.load_all(), "ocr.fake",
                        StepSpec("ocr.fake", StepParams, lambda ctx, p: {}, requires=(absent,)))
    (queue_env / "recipes").mkdir()
    recipe = write(queue_env, "recipes/scans.yaml", "name: scans\nqueue: ocr\nsteps:\n  - ocr.fake: {}\n")
    assert "needs tesseract" in CliRunner().invoke(cli, ["validate", str(recipe)]).output  # here: it cannot run
    queued = CliRunner().invoke(cli, ["run", str(recipe), "--queue", "--json"])
    assert queued.exit_code == 0, queued.output
    monkeypatch.chdir(queue_env)
    users.add_user("ops", "operator", "a long test passphrase", actor="test")
    token = users.new_token("ops", actor="test")
    answer = create_app(settings={}).test_client().post("/api/runs", json={"recipe": "scans"},
                                                        headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 201, answer.get_data(as_text=True)
    assert [r["status"] for r in runs(recipe="scans")] == ["queued", "queued"]
    assert {json.loads(r["trigger"])["queue"] for r in runs(recipe="scans")} == {"ocr"}
