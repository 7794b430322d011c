"""The run journal in one process: what a resumed run gets back, and what it never runs again."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import update

from bots import approvals
from bots.cli import cli
from bots.journal import Codec, ResumeRefused, iso, run_waits
from bots.recipe import load_recipe, parse_recipe
from bots.runner import Runner, resume_run
from bots.store import RunStore

SECRET = "s3cr3t-Journal-Value"


def start(write_recipe, home, text, **kwargs):
    return Runner(load_recipe(write_recipe(text)), home=home, **kwargs).run()


def make_due(home: Path, run_id: str) -> None:
    with RunStore(home).write() as conn:
        conn.execute(update(run_waits).where(run_waits.c.run_id == run_id).values(
            wake_at=iso(datetime.now(timezone.utc) - timedelta(seconds=1))))


def test_codec_gives_back_exact_values_and_tables(tmp_path):
    codec = Codec(tmp_path, {"PW": SECRET})
    frame = pd.DataFrame({"amount": [Decimal("1.10"), Decimal("-20.05")], "n": [1, 2], "x": [0.5, float("nan")],
                          "when": pd.to_datetime(["2026-01-31", "2026-02-01"]), "note": [f"pw={SECRET}", None],
                          "day": [date(2026, 1, 31), None], "name": ["Ann", None], "flag": [True, False]})
    value = {"total": Decimal("12.30"), "day": date(2026, 3, 1), "at": datetime(2026, 3, 1, 9, 30, tzinfo=timezone.utc),
             "path": tmp_path / "a.csv", "pair": (1, "b"), "url": f"https://x/?p={SECRET}", "table": frame,
             "$odd": 1, "keys": {1: "one"}, "inf": float("inf")}
    stored = json.dumps(codec.encode(value, "steps[0]"))
    assert SECRET not in stored and all(SECRET not in p.read_text() for p in (tmp_path / "journal").iterdir())
    back = codec.decode(json.loads(stored))
    table = back.pop("table")
    assert back == {k: v for k, v in value.items() if k != "table"}
    assert list(table.columns) == list(frame.columns) and table["amount"].tolist() == [Decimal("1.10"), Decimal("-20.05")]
    assert table["n"].dtype == frame["n"].dtype and table["when"].dtype == frame["when"].dtype
    assert table["note"][0] == f"pw={SECRET}" and pd.isna(table["note"][1]) and pd.isna(table["x"][1])
    assert table.dtypes.astype(str).tolist() == frame.dtypes.astype(str).tolist()
    assert table["day"].tolist() == [date(2026, 1, 31), None] and table["name"][0] == "Ann" and pd.isna(table["name"][1])
    assert table["flag"].tolist() == [True, False]
    # outputs of many plain records (an API's pages) come back equal, and a secret among them sealed
    records = [{"id": n, "name": f"customer {n}", "total": Decimal(f"{n}.50"), "on": date(2026, 1, 1 + n % 28)}
               for n in range(300)]
    records[7]["token"] = SECRET
    for value in (records[:7], records):
        text = codec.dumps({"items": value, "pair": (1, 2), "keys": {3: "c"}}, "steps[1]")
        assert SECRET not in text
        assert codec.decode(json.loads(text)) == {"items": value, "pair": (1, 2), "keys": {3: "c"}}
    with pytest.raises(ResumeRefused):  # the secret is gone from the environment: refused, not guessed
        Codec(tmp_path, {}).decode(json.loads(stored))


LOOP = """\
name: loop-approvals
vars:
  day: "{{ today() | format_date('%Y-%m-%d') }}"
steps:
  - id: first
    set: {at: "{{ now() }}", total: "{{ '10.05' | decimal }}"}
  - id: claims
    for_each: [alpha, beta]
    as: claim
    steps:
      - log: "checking {{ claim }}"
      - id: ok
        approval.request: {title: "claim {{ claim }}", approvers: {users: [bob]}}
      - log: "paid {{ claim }} at {{ steps.first.at }} total {{ steps.first.total }} on {{ vars.day }}"
  - log: "done {{ steps.claims.count }}"
"""


def test_a_loop_finds_its_place_after_each_park(write_recipe, deskbot_home):
    from bots.users import add_user

    add_user("bob", "approver", "pw-Long-enough-123", actor="test")
    first = start(write_recipe, deskbot_home, LOOP)
    assert first.status == "waiting"
    store = RunStore(deskbot_home)
    seen = []
    for expected in ("claim alpha", "claim beta"):
        [request] = approvals.list_approvals(store)
        assert request["title"] == expected
        approvals.decide(store, request["id"], "approve", "bob")
        result = resume_run(first.run_id, home=deskbot_home)
        seen.append(result.status)
    assert seen == ["waiting", "ok"]
    run = store.get_run(first.run_id)
    ran = [s["path"] for s in run["steps"] if s["status"] == "ok"]
    # each log in the loop ran once per item; `first` once, even though the run was resumed twice
    assert ran.count("steps[0]") == 1 and ran.count("steps[1].steps[0]") == 2 and ran.count("steps[1].steps[2]") == 2
    log = (Path(run["dir"]) / "run.log").read_text(encoding="utf-8")
    paid = [line for line in log.splitlines() if "paid " in line]
    at = run["steps"][0]["outputs"]["at"]
    assert len(paid) == 2 and all(f"at {at.replace('T', ' ')}" in line for line in paid), (paid, at)
    assert all("total 10.05 on " in line for line in paid)


def test_a_long_wait_parks_and_resume_now_goes_on(write_recipe, deskbot_home):
    result = start(write_recipe, deskbot_home, "name: w\nsteps:\n  - log: before\n  - wait: 90m\n  - log: after\n")
    assert result.status == "waiting" and result.waiting.startswith("wait 90m at ")
    refused = CliRunner().invoke(cli, ["resume", result.run_id])
    assert refused.exit_code == 3 and "--now" in refused.stderr
    done = CliRunner().invoke(cli, ["resume", result.run_id, "--now"])
    assert done.exit_code == 0, done.stderr
    run = RunStore(deskbot_home).get_run(result.run_id)
    assert [s["status"] for s in run["steps"]] == ["ok", "waiting", "ok", "ok"]


TABLE_THEN_WAIT = """\
name: table-then-wait
steps:
  - id: stamp
    set: {at: "{{ now() }}"}
  - id: priced
    table.compute:
      table: [{sku: A, net: "10.10"}, {sku: B, net: "2.05"}]
      columns: {gross: "row.net | decimal * 2"}
  - wait: 90m
  - id: after
    set: {total: "{{ steps.priced.table.gross.sum() }}", rows: "{{ steps.priced.rows | length }}",
          at: "{{ steps.stamp.at }}"}
"""


def test_steps_that_change_nothing_outside_are_journaled_when_the_run_parks(write_recipe, deskbot_home):
    first = start(write_recipe, deskbot_home, TABLE_THEN_WAIT)
    assert first.status == "waiting"
    done = CliRunner().invoke(cli, ["resume", first.run_id, "--now"])
    assert done.exit_code == 0, done.stderr
    run = RunStore(deskbot_home).get_run(first.run_id)
    # set and table.compute ran once: the resumed run took their outputs (a table too) from the journal
    assert [s["path"] for s in run["steps"]] == ["steps[0]", "steps[1]", "steps[2]", "steps[2]", "steps[3]"]
    after = run["steps"][-1]["outputs"]
    assert after["total"] == "24.30" and after["rows"] == 2
    assert after["at"] == run["steps"][0]["outputs"]["at"]


def test_a_short_retry_delay_still_sleeps_in_the_process(run_recipe):
    result = run_recipe("name: r\nsteps:\n  - fail: {message: blip, kind: transient}\n"
                        "    retry: {attempts: 2, delay: 50ms}\n")
    assert result.status == "failed" and [s["attempt"] for s in result.steps] == [1, 2]


def test_timeout_rejects_after_a_reminder_and_escalation_asks_the_role_once(write_recipe, deskbot_home):
    from bots.users import add_user

    add_user("bob", "approver", "pw-Long-enough-123", actor="test")
    result = start(write_recipe, deskbot_home, """\
        name: slow-approvers
        steps:
          - id: ok
            approval.request: {title: late, approvers: {users: [bob]}, timeout: 2h, on_timeout: escalate,
                               escalate_to: operator}
          - log: "{{ steps.ok.decision }}"
        """)
    store = RunStore(deskbot_home)
    [request] = approvals.list_approvals(store)
    events = []
    for hours in (1.1, 2.1, 3.2, 4.3):  # reminder, escalation, reminder, timeout
        now = datetime.now(timezone.utc) + timedelta(hours=hours)
        current = approvals.get(store, request["id"])
        events.append(approvals.settle_by_clock(store, current, now)[1])
    assert events == ["reminded", "escalated", "reminded", "timed out"]
    final = approvals.get(store, request["id"])
    assert final["status"] == "rejected" and final["decided_by"] == "timeout" and "after escalation" in final["reason"]
    make_due(deskbot_home, result.run_id)
    resumed = resume_run(result.run_id, home=deskbot_home)
    assert resumed.status == "rejected" and "no decision within 2h" in resumed.error


def test_on_reject_continue_lets_later_steps_read_the_reason(write_recipe, deskbot_home):
    from bots.users import add_user

    add_user("bob", "approver", "pw-Long-enough-123", actor="test")
    result = start(write_recipe, deskbot_home, """\
        name: tell-the-claimant
        steps:
          - id: ok
            approval.request: {title: claim, approvers: {role: approver}, on_reject: continue}
          - id: told
            set: {message: "rejected: {{ steps.ok.reason }}"}
            when: "{{ steps.ok.decision == 'reject' }}"
        """, trigger={"type": "manual", "user": "alice"})
    store = RunStore(deskbot_home)
    [request] = approvals.list_approvals(store)
    approvals.decide(store, request["id"], "reject", "bob", "missing receipt")
    resumed = resume_run(result.run_id, home=deskbot_home)
    assert resumed.status == "ok" and resumed.outputs["told"]["message"] == "rejected: missing receipt"


def test_validate_warns_when_a_page_is_used_across_a_park():
    recipe = parse_recipe("""\
name: page-after-park
steps:
  - browser.goto: "http://127.0.0.1:9/form"
  - approval.request: {title: ok, approvers: {role: approver}}
  - browser.click: "text=Submit"
""", "p.yaml")
    [warning] = recipe.warnings
    assert str(warning).startswith("p.yaml:5:5: steps[2]: warning: browser.click uses the page opened before steps[1]")
    reopened = parse_recipe("""\
name: page-reopened
steps:
  - browser.goto: "http://127.0.0.1:9/form"
  - wait: 2h
  - browser.goto: "http://127.0.0.1:9/form"
  - browser.click: "text=Submit"
""", "q.yaml")
    assert reopened.warnings == []


def test_an_output_only_the_process_understands_is_kept_as_null_and_said(tmp_path):
    codec = Codec(tmp_path)
    stored = codec.encode({"handle": object(), "count": 2}, "steps[1]")
    assert codec.decode(json.loads(json.dumps(stored))) == {"handle": None, "count": 2}
    assert codec.lost == ["value.handle (object)"]


def test_approvers_are_emailed_a_link_to_the_console_page_and_reminded_at_half_time(write_recipe, deskbot_home,
                                                                                     monkeypatch):
    import email
    from email import policy

    monkeypatch.setenv("DESKBOT_CONSOLE_URL", "http://127.0.0.1:8765/")
    result = start(write_recipe, deskbot_home, """\
        name: notified
        steps:
          - id: ok
            approval.request:
              title: "Pay <b>ACME</b> 6200.00"
              fields: {amount: "6200.00"}
              approvers: {role: approver}
              notify: [finance-lead@example.com]
              timeout: 4h
        """)
    store = RunStore(deskbot_home)
    [request] = approvals.list_approvals(store)

    def mails() -> list:
        return [email.message_from_bytes(p.read_bytes(), policy=policy.default)
                for p in sorted((deskbot_home / "outbox").glob("*.eml"))]

    [opened] = mails()
    text = opened.get_body(preferencelist=("plain",)).get_content()
    assert "finance-lead@example.com" in opened["To"] and request["id"] in opened["Subject"]
    assert f"http://127.0.0.1:8765/approvals/{request['id']}" in text and "amount: 6200.00" in text
    with RunStore(deskbot_home).write() as conn:  # two hours pass: the reminder is due
        conn.execute(update(approvals.approvals).where(approvals.approvals.c.id == request["id"]).values(
            remind_at=iso(datetime.now(timezone.utc) - timedelta(seconds=1))))
    make_due(deskbot_home, result.run_id)
    again = resume_run(result.run_id, home=deskbot_home, due_only=True)
    assert again.status == "waiting"
    assert [m["Subject"].startswith(f"[deskbot] approval {request['id']}") for m in mails()] == [True, True]
    assert "Reminder" in mails()[1].get_body(preferencelist=("plain",)).get_content()
    assert approvals.get(store, request["id"])["reminded"] == 1


LOOP_THEN_WAIT = """\
name: loop-then-wait
steps:
  - id: claims
    for_each: [alpha, beta]
    as: claim
    steps:
      - id: seen
        when: "{{ claim == 'alpha' }}"
        set: {claim: "{{ claim }}"}
      - id: priced
        table.compute: {table: [{net: "1.25"}], columns: {gross: "row.net | decimal * 2", who: "claim"}}
      - wait: 90m
        when: "{{ claim == 'beta' }}"
  - id: after_loop
    set: {seen: "{{ steps.seen.claim }}", priced: "{{ steps.priced.rows[0].who }}", gross: "{{ steps.priced.rows[0].gross }}"}
  - wait: 90m
  - id: at_end
    set: {seen: "{{ steps.seen.claim }}", priced: "{{ steps.priced.rows[0].who }}", count: "{{ steps.claims.count }}"}
"""


def test_finished_loop_iterations_and_loops_give_back_their_inner_steps_outputs(write_recipe, deskbot_home):
    # parked in the second iteration: the first, finished, must still give `seen` (set only there)
    first = start(write_recipe, deskbot_home, LOOP_THEN_WAIT)
    assert first.status == "waiting"
    second = CliRunner().invoke(cli, ["resume", first.run_id, "--now"])
    assert second.exit_code == 3, second.stderr  # waits again: at the wait after the loop
    run = RunStore(deskbot_home).get_run(first.run_id)
    assert run["status"] == "waiting"
    after = next(s for s in run["steps"] if s["step_id"] == "after_loop" and s["status"] == "ok")
    assert after["outputs"]["values"] == {"seen": "alpha", "priced": "beta", "gross": "2.50"}
    # parked after the whole loop: the loop's inner ids come back as its last iteration left them
    third = CliRunner().invoke(cli, ["resume", first.run_id, "--now"])
    assert third.exit_code == 0, third.stderr
    run = RunStore(deskbot_home).get_run(first.run_id)
    assert run["status"] == "ok", run.get("error")
    end = next(s for s in run["steps"] if s["step_id"] == "at_end")
    assert end["outputs"]["values"] == {"seen": "alpha", "priced": "beta", "count": 2}
