"""``deskbot schedule list``: every trigger and its next fire times, to check calendars before
they matter.

    deskbot schedule list                              # recipes/ and config/schedules.yaml
    deskbot schedule list recipes/month-end.yaml --at 2026-12-31T23:00
    deskbot schedule list --count 12 --json

``--at`` evaluates as of that moment; a time without an offset is read in each trigger's own
time zone (``--at 2026-12-31T23:00+08:00`` or ``…Z`` names one instant for all). Without
``--at`` the listing also shows when each trigger last fired (the scheduler's state in the store).
Exit 0; 2 when a recipe or the schedules file is invalid (each problem is printed).
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click


def _default_calendar() -> str | None:
    from bots import settings as settings_mod

    try:
        return (settings_mod.load_settings().get("company") or {}).get("calendar")
    except Exception:
        return None


def _when(moment: datetime, zone: str) -> str:
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%a %Y-%m-%d %H:%M} {local.tzname()} ({local:%z}; {moment:%Y-%m-%d %H:%M} UTC)"


def register(cli: click.Group) -> None:
    @cli.group("schedule")
    def schedule_group() -> None:
        """Scheduled and folder triggers of recipes (run them with: python scheduler.py)."""

    @schedule_group.command("list")
    @click.argument("paths", nargs=-1, type=click.Path())
    @click.option("--at", "at", default=None, metavar="DATETIME",
                  help="evaluate as of this moment, e.g. 2026-12-31T23:00 (each trigger's time zone) or …+08:00")
    @click.option("--count", default=5, show_default=True, help="fire times per trigger")
    @click.option("--schedules", "schedules_file", default="config/schedules.yaml", show_default=True,
                  help="extra triggers file, used when it exists")
    @click.option("--json", "as_json", is_flag=True, help="print one JSON object")
    def schedule_list(paths: tuple[str, ...], at: str | None, count: int, schedules_file: str, as_json: bool) -> None:
        """Print each trigger's next fire times."""
        from bots import settings as settings_mod
        from bots.scheduling import SystemClock, collect_triggers, parse_moment

        targets = list(paths) or (["recipes"] if Path("recipes").is_dir() else [])
        found = collect_triggers(targets, schedules_file, _default_calendar())
        for problem in found.problems:
            click.echo(problem, err=True)
        if at is not None:
            try:
                parse_moment(at)
            except ValueError as exc:
                click.echo(f"--at: {exc}", err=True)
                sys.exit(2)
        last_fires: dict[str, datetime] = {}
        taken: dict[str, int] = {}
        waiting: dict[str, int] = {}
        if at is None:
            from sqlalchemy.exc import SQLAlchemyError

            try:
                state = _remembered_state(settings_mod.home())
                if state is not None:
                    last_fires, taken, waiting = state.last_fires(), state.files_taken(), state.waiting()
            except SQLAlchemyError as exc:  # the listing of fire times is still worth showing
                click.echo(f"cannot read what the scheduler remembers: {str(exc).splitlines()[0]}", err=True)
        now = SystemClock().now()
        report = []
        for trig in found.time:
            after = parse_moment(at, trig.schedule.timezone) if at else now
            fires = []
            for moment in trig.iter_fires(after):
                fires.append(moment)
                if len(fires) >= count:
                    break
            report.append({"recipe": trig.recipe, "file": trig.recipe_file, "trigger": trig.key, "kind": "schedule",
                           "description": trig.describe(), "timezone": trig.schedule.timezone,
                           "as_of": after.isoformat(), "next": fires, "last_fire": last_fires.get(trig.key),
                           "waiting": waiting.get(trig.recipe, 0)})
        for trig in found.folders:
            report.append({"recipe": trig.recipe, "file": trig.recipe_file, "trigger": trig.key, "kind": "files",
                           "description": trig.describe(), "folder": str(trig.folder), "pattern": trig.files.pattern,
                           "files_taken": taken.get(trig.key, 0), "waiting": waiting.get(trig.recipe, 0)})
        if as_json:
            click.echo(json.dumps({"as_of": at or now.isoformat(), "triggers": report, "problems": found.problems},
                                  default=lambda v: v.isoformat() if isinstance(v, datetime) else str(v),
                                  ensure_ascii=False))
        else:
            _print(report, at, now)
        sys.exit(2 if found.problems else 0)


def _remembered_state(home: Path):
    """The scheduler's state, or None when there is none yet (listing creates no database)."""
    import os

    from bots.schedule_state import LEGACY_FILE, ScheduleState

    if not os.environ.get("DESKBOT_DATABASE") and not (home / "runs.db").is_file() \
            and not (home / LEGACY_FILE).is_file():
        return None
    return ScheduleState(home)


def _print(report: list[dict], at: str | None, now: datetime) -> None:
    if not report:
        click.echo("no triggers: add 'on: {schedule: …}' or 'on: {files: …}' to a recipe, or list recipes"
                   " in config/schedules.yaml")
        return
    click.echo(f"as of {at} (read in each trigger's time zone unless it has an offset)" if at
               else f"as of now, {now:%Y-%m-%d %H:%M} UTC")
    current = None
    for item in report:
        if item["recipe"] != current:
            current = item["recipe"]
            click.echo(f"\n{item['recipe']}  ({item['file']})")
            if item.get("waiting"):
                click.echo(f"  {item['waiting']} run(s) due and waiting to start (running elsewhere, or queued)")
        click.echo(f"  {item['trigger'].split(':', 1)[1]}: {item['description']}")
        if item["kind"] == "files":
            click.echo(f"    {item['files_taken']} file(s) taken so far")
            continue
        if item.get("last_fire"):
            click.echo(f"    handled up to {_when(item['last_fire'], item['timezone'])}")
        if not item["next"]:
            click.echo("    never fires: no date in the next 30 years matches (check business_day and calendar)")
        for index, moment in enumerate(item["next"], start=1):
            click.echo(f"    {index:>2}.  {_when(moment, item['timezone'])}")
