"""The runner: the behaviour recipes rely on (vars, secrets, retry, timeout, on_failure …)."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

from bots.cli import cli
from bots.store import RunStore

SECRET = "hunter2-Very-Secret"


def all_text_under(folder) -> str:
    chunks = []
    for path in folder.rglob("*"):
        if path.is_file():
            chunks.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(chunks)


def test_secret_never_reaches_store_logs_or_json_even_in_an_error(write_recipe, deskbot_home, monkeypatch):
    monkeypatch.setenv("BANK_PASSWORD", SECRET)
    path = write_recipe("""
        name: leaky
        secrets: [BANK_PASSWORD]
        steps:
          - log: "password is {{ secrets.BANK_PASSWORD }}"
          - id: s
            set: {pw: "{{ secrets.BANK_PASSWORD }}", url: "https://x/?p={{ secrets.BANK_PASSWORD | urlencode }}"}
          - fail: "login refused for password {{ secrets.BANK_PASSWORD }}"
        on_failure:
          - log: "{{ error.message }}"
    """)
    result = CliRunner().invoke(cli, ["run", str(path), "--json"])
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["status"] == "failed" and "***" in summary["error"]
    assert SECRET not in result.stdout and SECRET not in result.stderr
    db_dump = "\n".join(sqlite3.connect(deskbot_home / "runs.db").iterdump())
    assert SECRET not in db_dump and "***" in db_dump
    assert SECRET not in all_text_under(deskbot_home / "runs")
    shown = CliRunner().invoke(cli, ["show", summary["run_id"], "--json"])
    assert SECRET not in shown.stdout


def test_undeclared_missing_secret_fails_the_run_before_any_step(run_recipe, monkeypatch):
    monkeypatch.delenv("NOT_SET_ANYWHERE", raising=False)
    result = run_recipe("""
        name: nosecret
        secrets: [NOT_SET_ANYWHERE]
        steps: [{log: never}]
    """)
    assert result.status == "failed"
    assert "NOT_SET_ANYWHERE" in result.error and "environment or in a .env" in result.error
    assert [s["path"] for s in result.steps] == ["vars"]


def test_secret_from_dotenv_next_to_recipe(write_recipe, deskbot_home, monkeypatch):
    from bots.recipe import load_recipe
    from bots.runner import Runner

    monkeypatch.delenv("DOTENV_TOKEN", raising=False)
    path = write_recipe("name: d\nsecrets: [DOTENV_TOKEN]\nsteps:\n  - id: s\n    set: {n: '{{ secrets.DOTENV_TOKEN | length }}'}\n")
    (path.parent / ".env").write_text("DOTENV_TOKEN=abcdef\n")
    result = Runner(load_recipe(path), home=deskbot_home).run()
    assert result.ok and result.outputs["s"]["n"] == 6


def test_retry_waits_grow_by_backoff_and_only_for_transient_errors(run_recipe, deskbot_home):
    result = run_recipe("""
        name: flaky
        steps:
          - fail: {message: "503 from portal", kind: transient}
            retry: {attempts: 4, delay: 0.3, backoff: 2, max_delay: 0.8}
    """)
    assert result.status == "failed"
    run = RunStore(deskbot_home).get_run(result.run_id)
    tries = [s for s in run["steps"] if s["action"] == "fail"]
    assert [t["attempt"] for t in tries] == [1, 2, 3, 4]
    assert [t["status"] for t in tries] == ["error", "error", "error", "failed"]
    starts = [datetime.fromisoformat(t["started"]) for t in tries]
    gaps = [(b - a).total_seconds() for a, b in zip(starts, starts[1:])]
    # waits 0.3, 0.6, then 1.2 capped at 0.8; a loaded machine only ever adds to a wait (a step
    # start or a wake-up late), so the upper bounds leave room for it and the cap still shows
    for gap, expected in zip(gaps, [0.3, 0.6, 0.8]):
        assert expected - 0.01 <= gap <= expected + 0.35, gaps
    assert gaps[0] < gaps[1] and gaps[2] < 1.2 - 0.05, gaps


def test_business_error_is_not_retried(run_recipe):
    result = run_recipe("""
        name: refused
        steps:
          - fail: {message: "wrong password", kind: business}
            retry: {attempts: 5, delay: 1}
    """)
    assert [s["attempt"] for s in result.steps] == [1]
    assert result.duration_s < 1


def test_timeout_stops_a_hung_step_and_on_failure_runs(run_recipe):
    started = time.monotonic()
    result = run_recipe("""
        name: hangs
        steps:
          - name: hung download
            wait: 30s
            timeout: 0.3s
          - log: "never reached"
        on_failure:
          - id: evidence
            set: {what: "{{ error.step }} {{ error.type }}"}
    """)
    elapsed = time.monotonic() - started
    assert elapsed < 3
    assert result.status == "failed" and "timed out after 0.3s" in result.error
    assert result.outputs["evidence"]["what"] == "steps[0] StepTimeout"
    assert "never reached" not in " ".join(result.log_tail)


def test_timeout_of_a_group_stops_its_inner_step(run_recipe):
    result = run_recipe("""
        name: group-timeout
        steps:
          - name: slow group
            timeout: 0.3s
            steps:
              - wait: 0.1s
              - wait: 20s
                timeout: 10s
    """)
    assert result.status == "failed" and "timed out after 0.3s" in result.error
    assert result.duration_s < 3


def test_timeout_works_off_the_main_thread(run_recipe):
    box = {}
    worker = threading.Thread(target=lambda: box.setdefault("r", run_recipe(
        "name: t\nsteps:\n  - wait: 20s\n    timeout: 0.3s\n")))
    worker.start()
    worker.join(5)
    assert box["r"].status == "failed" and "timed out" in box["r"].error


def test_a_generic_except_in_step_code_cannot_swallow_a_timeout():
    from bots.errors import StepTimeout
    from bots.timeouts import run_with_timeout

    def stubborn():
        try:
            time.sleep(5)
        except Exception:  # what careless step code does
            return "swallowed"
        return "finished"

    with pytest.raises(StepTimeout):
        run_with_timeout(0.2, stubborn)


def test_a_group_timeout_is_raised_once_even_when_its_handling_is_slow(monkeypatch):
    # a loaded machine can pause the process while a group's timeout is being turned into its
    # error: the timer must not fire again into that handling, or the timeout escapes the group
    # as if an outer scope's and the whole run ends in a traceback
    from bots import timeouts
    from bots.errors import StepTimeout

    class SlowToBuild(StepTimeout):
        def __init__(self, seconds):
            time.sleep(0.02)
            super().__init__(seconds)

    monkeypatch.setattr(timeouts, "StepTimeout", SlowToBuild)
    with pytest.raises(StepTimeout) as caught:
        timeouts.run_with_timeout(0.1, lambda: timeouts.run_with_timeout(5, lambda: time.sleep(3)))
    assert caught.value.seconds == 0.1 and not hasattr(caught.value, "token")


def test_continue_on_error_records_failure_and_goes_on(run_recipe):
    result = run_recipe("""
        name: tolerant
        steps:
          - id: optional
            fail: "portal down"
            continue_on_error: true
          - id: after
            set: {saw: "{{ steps.optional.failed }}", why: "{{ steps.optional.error }}"}
    """)
    assert result.ok
    assert result.outputs["after"]["saw"] is True and "portal down" in result.outputs["after"]["why"]


def test_fatal_error_ignores_continue_on_error(run_recipe):
    result = run_recipe("""
        name: fatal
        steps:
          - fail: {message: "disk gone", kind: fatal}
            continue_on_error: true
          - log: never
    """)
    assert result.status == "failed" and result.error_type == "FatalError"


def test_native_types_when_and_for_each_with_as(run_recipe):
    result = run_recipe("""
        name: types
        vars:
          rows: [{amount: "10.10"}, {amount: "5.05"}, {amount: "0"}]
        steps:
          - id: count
            set: {n: "{{ vars.rows | length }}", label: "n={{ vars.rows | length }}", total: "{{ '10.10' | money + '5.05' | money }}"}
          - id: each
            log: "{{ loop.index }}/{{ loop.length }} {{ row.amount | money }}"
            for_each: "{{ vars.rows }}"
            as: row
            when: "{{ row.amount | decimal > 0 }}"
          - id: skipped
            log: never
            when: "{{ steps.count.n > 5 }}"
    """)
    assert result.ok
    from decimal import Decimal

    assert result.outputs["count"]["n"] == 3 and result.outputs["count"]["label"] == "n=3"
    assert result.outputs["count"]["total"] == Decimal("15.15")
    messages = [r["message"] for r in result.outputs["each"]["results"] if r]
    assert messages == ["1/3 10.10", "2/3 5.05"]
    assert any(s["status"] == "skipped" and s["id"] == "skipped" for s in result.steps)


def test_var_override_wins_and_unknown_var_is_refused(write_recipe):
    path = write_recipe("name: v\nvars: {period: '2026-10'}\nsteps:\n  - log: 'p={{ vars.period }}'\n")
    ok = CliRunner().invoke(cli, ["run", str(path), "--var", "period=2025-01", "--json"])
    assert ok.exit_code == 0 and "p=2025-01" in ok.stderr
    bad = CliRunner().invoke(cli, ["run", str(path), "--var", "perid=2025-01"])
    assert bad.exit_code == 2 and "declares no var 'perid'" in bad.stderr


def test_dry_run_prints_the_plan_and_does_nothing(write_recipe, deskbot_home, tmp_path):
    target = tmp_path / "copied.txt"
    (tmp_path / "src.txt").write_text("x")
    path = write_recipe(f"name: dry\nsteps:\n  - files.copy: {{src: {tmp_path / 'src.txt'}, dest: {target}}}\n")
    result = CliRunner().invoke(cli, ["run", str(path), "--dry-run"])
    assert result.exit_code == 0 and "steps[0]: files.copy" in result.stdout
    assert not target.exists()
    assert not (deskbot_home / "runs.db").exists() or RunStore(deskbot_home).list_runs() == []


def test_history_shows_steps_artifacts_and_marks_dead_runs_interrupted(run_recipe, deskbot_home):
    result = run_recipe("name: h\nsteps:\n  - id: a\n    set: {x: 1}\n")
    store = RunStore(deskbot_home)
    store.start_run("dead-run", "h", "h.yaml", {"type": "schedule"}, {}, deskbot_home)
    store.set_run("dead-run", pid=2 ** 22 + 12345)
    listing = CliRunner().invoke(cli, ["runs"])
    assert result.run_id in listing.stdout
    assert "dead-run" in listing.stdout and "interrupted" in listing.stdout
    shown = CliRunner().invoke(cli, ["show", result.run_id])
    assert "steps[0]" in shown.stdout and "ok" in shown.stdout


def test_prune_refuses_the_audit_window_and_deletes_only_old_runs(run_recipe, deskbot_home):
    run_recipe("name: h\nsteps: [{log: x}]\n")
    store = RunStore(deskbot_home)
    old = (datetime.now(timezone.utc) - timedelta(days=400)).isoformat()
    store.start_run("ancient", "h", "h.yaml", {}, {}, deskbot_home)
    store.set_run("ancient", started=old, status="ok")
    refused = CliRunner().invoke(cli, ["runs", "prune", "--older-than", "30d"])
    assert refused.exit_code == 2 and "180 days" in refused.stderr
    done = CliRunner().invoke(cli, ["runs", "prune", "--older-than", "365d"])
    assert done.exit_code == 0 and "removed 1 run" in done.stdout
    assert [r["id"] for r in store.list_runs()] != [] and store.get_run("ancient") is None


def test_concurrent_runs_write_history_safely(write_recipe, deskbot_home):
    from bots.recipe import load_recipe
    from bots.runner import Runner

    recipe = load_recipe(write_recipe("name: c\nsteps:\n" + "  - set: {x: 1}\n" * 50))
    results = []
    threads = [threading.Thread(target=lambda: results.append(Runner(recipe, home=deskbot_home).run())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r.ok for r in results)
    store = RunStore(deskbot_home)
    assert all(len(store.get_run(r.run_id)["steps"]) == 50 for r in results)


def test_files_wait_returns_only_once_the_file_stops_growing(run_recipe, tmp_path):
    target = tmp_path / "download.csv"

    def writer():
        with open(target, "w") as fh:
            for _ in range(5):
                fh.write("x" * 100)
                fh.flush()
                time.sleep(0.1)

    threading.Thread(target=writer).start()
    result = run_recipe(f"name: w\nsteps:\n  - id: f\n    files.wait: {{path: '{target}', stable_for: 0.3s, poll: 50ms, timeout: 5s}}\n")
    assert result.ok and result.outputs["f"]["size"] == 500


def test_files_copy_never_overwrites_by_default(run_recipe, tmp_path):
    (tmp_path / "a.txt").write_text("new")
    (tmp_path / "b.txt").write_text("precious")
    result = run_recipe(f"name: c\nsteps:\n  - files.copy: {{src: '{tmp_path / 'a.txt'}', dest: '{tmp_path / 'b.txt'}'}}\n")
    assert result.status == "failed" and "already exists" in result.error
    assert (tmp_path / "b.txt").read_text() == "precious"


@pytest.mark.parametrize("signame", ["SIGINT", "SIGTERM"])
def test_stopping_a_run_records_it_as_interrupted(write_recipe, deskbot_home, signame, ctrl_c_from_a_terminal):
    import signal
    import subprocess
    import sys

    from tests.conftest import ROOT

    path = write_recipe("name: long\nsteps:\n  - log: started\n  - wait: 30s\n")
    proc = subprocess.Popen([sys.executable, "-m", "bots.cli", "run", str(path)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "DESKBOT_HOME": str(deskbot_home)})
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if (deskbot_home / "runs.db").exists() and RunStore(deskbot_home).list_runs():
            break
        time.sleep(0.1)
    time.sleep(0.5)
    proc.send_signal(getattr(signal, signame))
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, err
    runs = RunStore(deskbot_home).list_runs()
    assert runs[0]["status"] == "interrupted"


def test_manual_run_refuses_while_the_recipe_runs_elsewhere(write_recipe, deskbot_home):
    from bots.locks import recipe_lock

    path = write_recipe("name: exclusive\nsteps: [{log: x}]\n")
    held = recipe_lock(deskbot_home, "exclusive")
    held.acquire()
    try:
        busy = CliRunner().invoke(cli, ["run", str(path)])
    finally:
        held.release()
    assert busy.exit_code == 1 and "already running" in busy.stderr
    assert RunStore(deskbot_home).list_runs() == []
    assert CliRunner().invoke(cli, ["run", str(path)]).exit_code == 0


def test_var_override_takes_the_type_of_the_default(write_recipe):
    path = write_recipe("""
        name: typed
        vars: {limit: 20, ratio: 0.5, strict: false, label: "x"}
        steps:
          - fail: "over {{ vars.limit }}"
            when: "{{ 3 > vars.limit and vars.strict and vars.ratio < 1 }}"
          - log: "label={{ vars.label }}"
    """)
    over = CliRunner().invoke(cli, ["run", str(path), "--var", "limit=2", "--var", "strict=true", "--var", "label=007"])
    assert over.exit_code == 1 and "over 2" in over.stderr
    under = CliRunner().invoke(cli, ["run", str(path), "--var", "limit=5", "--var", "label=007"])
    assert under.exit_code == 0 and "label=007" in under.stderr
    wrong = CliRunner().invoke(cli, ["run", str(path), "--var", "limit=many"])
    assert wrong.exit_code == 2 and "expected int" in wrong.stderr


def test_an_error_inside_an_expression_fails_the_step_without_a_traceback(run_recipe):
    result = run_recipe("""
        name: bad-compare
        vars: {limit: "2"}
        steps:
          - log: never
            when: "{{ 3 > vars.limit }}"
    """)
    assert result.status == "failed"
    assert "steps[0].when" in result.error and "not supported between" in result.error


def test_a_timeout_never_cuts_a_journal_commit_from_its_bookkeeping():
    # a group's timeout that lands while an inner step's history row is being committed used
    # to leave that row pending after its commit: the group's own row then inserted it again
    # (UNIQUE constraint failed: step_attempts), and the run crashed instead of failing cleanly
    from bots.errors import StepTimeout
    from bots.timeouts import run_with_timeout, shielded

    done = []

    def commit_then_note():
        with shielded():
            time.sleep(0.3)  # the timeout falls due here
            done.append("committed and noted")
        done.append("after the block")

    started = time.monotonic()
    with pytest.raises(StepTimeout):
        run_with_timeout(0.1, commit_then_note)
    assert done == ["committed and noted"]  # the block finished; the timeout came right after it
    assert time.monotonic() - started < 1
