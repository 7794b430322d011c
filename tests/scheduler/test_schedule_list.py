"""``deskbot schedule list``: next fire times as of a chosen moment, for checking calendars."""

from __future__ import annotations

import json
import textwrap

from click.testing import CliRunner

from bots.cli import cli


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


def test_schedule_list_at_new_year_shows_first_business_days_after_the_holiday(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "recipes" / "month-end.yaml", """
        name: month-end
        on:
          schedule: {monthly: {business_day: 1}, at: "06:00", timezone: Asia/Shanghai, calendar: CN}
          files: {folder: inbox, pattern: "*.pdf"}
        steps:
          - log: hi
    """)
    write(tmp_path / "config" / "schedules.yaml", """
        schedules:
          - recipe: recipes/month-end.yaml
            on: {schedule: {monthly: {day: last}, at: "23:00", timezone: Europe/Berlin}}
    """)
    result = CliRunner().invoke(cli, ["schedule", "list", "--at", "2026-12-31T23:00"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    first = lines.index("  schedule[0]: monthly on business day 1 at 06:00 Asia/Shanghai (calendar CN); catch_up once,"
                        " overlap skip")
    assert [line.split("(")[0].strip() for line in lines[first + 1:first + 6]] == [
        "1.  Mon 2027-01-04 06:00 CST", "2.  Mon 2027-02-01 06:00 CST", "3.  Mon 2027-03-01 06:00 CST",
        "4.  Thu 2027-04-01 06:00 CST", "5.  Wed 2027-05-05 06:00 CST"]  # May Day off 1-4 May
    assert "2.  Sun 2027-02-28 23:00 CET" in result.output and "3.  Wed 2027-03-31 23:00 CEST" in result.output
    assert f"each new file '*.pdf' in {tmp_path / 'inbox'}" in result.output


def test_schedule_list_json_with_an_explicit_offset(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "r.yaml", """
        name: nightly
        on: {schedule: {daily: true, at: "02:30", timezone: Europe/Berlin}}
        steps: [{log: hi}]
    """)
    result = CliRunner().invoke(cli, ["schedule", "list", str(tmp_path / "r.yaml"), "--at", "2026-03-28T12:00Z",
                                      "--count", "2", "--json"])
    assert result.exit_code == 0, result.output
    [trigger] = json.loads(result.output)["triggers"]
    assert trigger["next"] == ["2026-03-29T01:30:00+00:00", "2026-03-30T00:30:00+00:00"]


def test_schedule_list_reports_invalid_recipes_and_exits_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "recipes" / "bad.yaml", """
        name: bad
        on: {schedule: {monthly: {business_day: 1}, calendar: XX}}
        steps: [{log: hi}]
    """)
    result = CliRunner().invoke(cli, ["schedule", "list"])
    assert result.exit_code == 2
    assert "unknown holiday calendar 'XX'" in result.output


def test_a_broken_recipe_without_triggers_in_the_folder_is_not_a_scheduling_problem(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "recipes" / "draft.yaml", """
        name: draft
        steps: [{lgo: typo}]
    """)
    write(tmp_path / "recipes" / "timed.yaml", """
        name: timed
        on: {schedule: {daily: true, at: "07:00"}}
        steps: [{log: hi}]
    """)
    result = CliRunner().invoke(cli, ["schedule", "list", "--at", "2026-01-01T00:00"])
    assert result.exit_code == 0, result.output
    assert "timed" in result.output and "draft" not in result.output
    named = CliRunner().invoke(cli, ["schedule", "list", str(tmp_path / "recipes" / "draft.yaml")])
    assert named.exit_code == 2 and "lgo" in named.output


def test_schedule_list_shows_what_the_scheduler_remembers(tmp_path, monkeypatch, deskbot_home):
    from datetime import datetime

    from bots.scheduling import UTC, ScheduleState

    monkeypatch.chdir(tmp_path)
    write(tmp_path / "recipes" / "q.yaml", """
        name: q
        on: {schedule: {every: 1h, overlap: queue}}
        steps: [{log: hi}]
    """)
    state = ScheduleState(deskbot_home)
    t0 = datetime(2026, 11, 30, 12, tzinfo=UTC)
    state.start_trigger("q:schedule[0]", "q", "fp", t0)
    state.claim_fires("q:schedule[0]", t0, t0, [{"recipe": "q", "recipe_file": "recipes/q.yaml", "trigger": {}}])
    result = CliRunner().invoke(cli, ["schedule", "list"])
    assert result.exit_code == 0, result.output
    assert "1 run(s) due and waiting to start" in result.output
    assert "handled up to Mon 2026-11-30 12:00 UTC" in result.output

