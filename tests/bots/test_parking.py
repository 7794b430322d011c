"""Runs that wait: park, approve or reject, resume -- with real `deskbot` processes.

A run is a journal: steps that finished before a park never run again, their outputs come back
whole; a step cut off by a killed process runs again only under `on_interrupt: resume`.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import update

from bots.cli import cli
from tests.conftest import ROOT

APPROVAL_FLOW = """\
name: a-approval-b
steps:
  - id: a
    files.copy: {{src: "{marker}", dest: "{{{{ run.dir }}}}/a.txt"}}
  - id: manager
    approval.request:
      title: "Pay claim 7 ({{{{ steps.a.path }}}})"
      details: "Amount **6200.00**"
      fields: {{amount: "6200.00"}}
      approvers: {{role: approver}}
  - id: b
    files.copy: {{src: "{marker}", dest: "{{{{ run.dir }}}}/b.txt"}}
  - log: "approved by {{{{ steps.manager.by }}}}"
"""


def process(home: Path, *args: str, timeout: float = 90) -> subprocess.CompletedProcess:
    """`deskbot ARGS` as its own process (what exit codes and kills are about)."""
    return subprocess.run([sys.executable, "-m", "bots.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=timeout, env={**os.environ, "DESKBOT_HOME": str(home)})


def deskbot(home: Path, *args: str, stdin: str | None = None, env: dict | None = None):
    """`deskbot ARGS` in this process (the same command, without a second's start-up per call)."""
    assert os.environ["DESKBOT_HOME"] == str(home)
    result = CliRunner().invoke(cli, list(args), input=stdin, env=env, catch_exceptions=False)
    result.returncode = result.exit_code
    return result


def spawn(home: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "bots.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT, env={**os.environ, "DESKBOT_HOME": str(home)})


def add_users(home: Path, **roles: str) -> None:
    for name, role in roles.items():
        done = deskbot(home, "users", "add", name, "--role", role, stdin="pw-Long-enough-123\npw-Long-enough-123\n")
        assert done.returncode == 0, done.stderr


def show(home: Path, run_id: str) -> dict:
    done = deskbot(home, "show", run_id, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def tries(run: dict, path: str, status: str = "ok") -> int:
    return sum(1 for s in run["steps"] if s["path"] == path and s["status"] == status)


def pending(home: Path) -> list[dict]:
    return json.loads(deskbot(home, "approvals", "list", "--json").stdout)["approvals"]


@pytest.fixture
def flow(tmp_path, deskbot_home):
    marker = tmp_path / "marker.txt"
    marker.write_text("claim", encoding="utf-8")
    recipe = tmp_path / "flow.yaml"
    recipe.write_text(APPROVAL_FLOW.format(marker=marker), encoding="utf-8")
    add_users(deskbot_home, alice="clerk", bob="approver", carol="approver")
    started = process(deskbot_home, "run", str(recipe), "--as", "alice", "--json")
    assert started.returncode == 3, started.stderr
    summary = json.loads(started.stdout)
    assert summary["status"] == "waiting" and "approval" in summary["waiting"]
    return {"recipe": recipe, "run_id": summary["run_id"], "approval": pending(deskbot_home)[0]["id"]}


def test_approve_then_resume_runs_a_once_and_b_once(flow, deskbot_home):
    home, run_id, approval = deskbot_home, flow["run_id"], flow["approval"]
    shown = deskbot(home, "show", run_id)
    assert f"waiting for approval {approval}" in shown.stdout
    early = deskbot(home, "resume", run_id)
    assert early.returncode == 3 and "decide it first" in early.stderr

    own = deskbot(home, "approvals", "decide", approval, "approve", "--as", "alice")
    assert own.returncode == 1 and "self-approval" in own.stderr
    no_reason = deskbot(home, "approvals", "decide", approval, "reject", "--as", "bob")
    assert no_reason.returncode == 1 and "reason is required" in no_reason.stderr
    assert deskbot(home, "approvals", "decide", approval, "approve", "--as", "bob").returncode == 0
    again = deskbot(home, "approvals", "decide", approval, "approve", "--as", "carol")
    assert again.returncode == 1 and "already decided" in again.stderr

    resumed = process(home, "resume", run_id, "--json")
    assert resumed.returncode == 0, resumed.stderr
    run = show(home, run_id)
    assert run["status"] == "ok"
    assert (tries(run, "steps[0]"), tries(run, "steps[2]")) == (1, 1)
    assert "approved by bob" in (Path(run["dir"]) / "run.log").read_text(encoding="utf-8")
    assert deskbot(home, "resume", run_id).returncode == 1  # finished: nothing to resume, nothing runs


def test_reject_ends_the_run_rejected_with_the_reason_and_b_never_runs(flow, deskbot_home):
    home = deskbot_home
    alert_to = {"DESKBOT_ALERT_TO": "ops@example.com"}
    refused = deskbot(home, "approvals", "decide", flow["approval"], "reject", "--reason", "receipt is a photocopy",
                      "--as", "carol")
    assert refused.returncode == 0, refused.stderr
    resumed = deskbot(home, "resume", flow["run_id"], env=alert_to)
    assert resumed.returncode == 0, resumed.stderr
    run = show(home, flow["run_id"])
    assert run["status"] == "rejected" and "receipt is a photocopy" in run["error"] and "carol" in run["error"]
    assert tries(run, "steps[2]") == 0 and not (Path(run["dir"]) / "b.txt").exists()
    outbox = home / "outbox"
    assert not any("alert-" in p.name for p in outbox.glob("*.eml")) if outbox.is_dir() else True


def test_two_processes_deciding_one_approval_only_one_wins(flow, deskbot_home):
    home = deskbot_home
    racers = [spawn(home, "approvals", "decide", flow["approval"], "approve", "--as", "bob"),
              spawn(home, "approvals", "decide", flow["approval"], "reject", "--reason", "no", "--as", "carol")]
    codes = sorted(p.wait(timeout=60) for p in racers)
    assert codes == [0, 1], [p.stderr.read() for p in racers]
    decided = json.loads(deskbot(home, "approvals", "show", flow["approval"], "--json").stdout)
    assert decided["status"] in ("approved", "rejected") and len(decided["votes"]) == 1
    assert decided["decided_by"] == decided["votes"][0]["user"]


def test_two_resumes_at_once_resume_the_run_exactly_once(flow, deskbot_home):
    home = deskbot_home
    assert deskbot(home, "approvals", "decide", flow["approval"], "approve", "--as", "bob").returncode == 0
    racers = [spawn(home, "resume", flow["run_id"]) for _ in range(2)]
    codes = sorted(p.wait(timeout=90) for p in racers)
    assert codes == [0, 1], [p.stderr.read() for p in racers]
    run = show(home, flow["run_id"])
    assert run["status"] == "ok" and tries(run, "steps[2]") == 1 and tries(run, "steps[0]") == 1


INTERRUPTED = """\
name: killed-mid-step
steps:
  - id: a
    files.copy: {{src: "{marker}", dest: "{{{{ run.dir }}}}/a.txt"}}
  - approval.request: {{title: go on, approvers: {{users: [bob]}}}}
  - id: slow
    files.wait: {{path: "{gate}", timeout: 60s}}
    {on_interrupt}
  - id: c
    files.copy: {{src: "{marker}", dest: "{{{{ run.dir }}}}/c.txt"}}
"""


@pytest.mark.parametrize("on_interrupt", ["", "on_interrupt: resume"])
def test_sigkill_during_resume_never_reruns_finished_steps(tmp_path, deskbot_home, on_interrupt):
    home = deskbot_home
    marker, gate = tmp_path / "marker.txt", tmp_path / "gate.txt"
    marker.write_text("x", encoding="utf-8")
    recipe = tmp_path / "killed.yaml"
    recipe.write_text(INTERRUPTED.format(marker=marker, gate=gate, on_interrupt=on_interrupt), encoding="utf-8")
    add_users(home, bob="clerk")
    started = json.loads(process(home, "run", str(recipe), "--as", "alice", "--json").stdout)
    run_id = started["run_id"]
    assert deskbot(home, "approvals", "decide", pending(home)[0]["id"], "approve", "--as", "bob").returncode == 0

    resuming = spawn(home, "resume", run_id)
    log = Path(started["run_dir"]) / "run.log"
    deadline = time.monotonic() + 60
    while "steps[2]" not in _journal_started(home, run_id) and time.monotonic() < deadline:
        time.sleep(0.1)
    os.kill(resuming.pid, signal.SIGKILL)  # mid-step: files.wait is polling for the gate
    resuming.wait(timeout=30)
    assert show(home, run_id)["status"] == "interrupted"

    gate.write_text("open", encoding="utf-8")
    again = process(home, "resume", run_id)
    run = show(home, run_id)
    assert tries(run, "steps[0]") == 1 and len(pending(home)) == 0
    if not on_interrupt:
        assert again.returncode == 1 and run["status"] == "failed"
        assert "was running (try 1) when the process running it ended" in run["error"]
        assert "on_interrupt: resume" in run["error"] and tries(run, "steps[3]") == 0
    else:
        assert again.returncode == 0, again.stderr
        assert run["status"] == "ok" and tries(run, "steps[2]") == 1 and tries(run, "steps[3]") == 1
    assert log.is_file()


def _journal_started(home: Path, run_id: str) -> set[str]:
    from bots.journal import Codec, Journal
    from bots.store import RunStore

    journal = Journal(RunStore(home), run_id, Codec(home), load=True)
    return {key for key, entry in journal.entries.items() if entry.kind == "started"}


RETRY = """\
name: durable-retry
steps:
  - id: a
    files.copy: {{src: "{marker}", dest: "{{{{ run.dir }}}}/a.txt"}}
  - id: statement
    files.wait: {{path: "{arrives}", timeout: 1s, poll: 100ms}}
    retry: {{attempts: 3, delay: 5m}}
  - log: "got {{{{ steps.statement.path }}}}"
"""


def test_timed_retry_parks_and_survives_a_scheduler_killed_while_it_waits(tmp_path, deskbot_home):
    home = deskbot_home
    marker, arrives = tmp_path / "marker.txt", tmp_path / "statement.csv"
    marker.write_text("x", encoding="utf-8")
    recipes = tmp_path / "recipes"
    recipes.mkdir()
    recipe = recipes / "retry.yaml"
    recipe.write_text(RETRY.format(marker=marker, arrives=arrives), encoding="utf-8")
    started = process(home, "run", str(recipe), "--json")
    assert started.returncode == 3, started.stderr
    run_id = json.loads(started.stdout)["run_id"]
    assert "retry 2/3 of statement at " in deskbot(home, "show", run_id).stdout

    env = {**os.environ, "DESKBOT_HOME": str(home)}
    command = [sys.executable, str(ROOT / "scheduler.py"), str(recipes), "--schedules", "", "--tick", "0.2s"]
    first = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(3)
    os.kill(first.pid, signal.SIGKILL)  # while the run is parked, its retry not yet due
    first.wait(timeout=30)
    assert show(home, run_id)["status"] == "waiting"

    arrives.write_text("date,amount\n", encoding="utf-8")
    _make_due(home, run_id)  # five minutes pass
    second = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 90
        while show(home, run_id)["status"] != "ok" and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=60)
    run = show(home, run_id)
    assert run["status"] == "ok", run
    assert tries(run, "steps[0]") == 1 and tries(run, "steps[1]", "error") == 1 and tries(run, "steps[1]") == 1
    assert [s["attempt"] for s in run["steps"] if s["path"] == "steps[1]"] == [1, 2]


def _make_due(home: Path, run_id: str) -> None:
    from bots.journal import iso, now_utc, run_waits
    from bots.store import RunStore

    with RunStore(home).write() as conn:
        conn.execute(update(run_waits).where(run_waits.c.run_id == run_id).values(wake_at=iso(now_utc())))
