"""When triggers fire, which triggers exist, and what the scheduler remembers between starts.

Fire times (all returned as aware UTC datetimes; ``after`` is exclusive)::

    from bots.scheduling import next_fire, next_fires, fires_between
    from bots.triggers import Schedule

    month_end = Schedule(monthly={"business_day": -1}, at="18:00", timezone="Europe/Berlin", calendar="DE")
    next_fires(month_end, datetime(2029, 3, 1, tzinfo=UTC), 2)   # 29 Mar (Good Friday is the 30th), 30 Apr

Rules the scheduler and ``deskbot schedule list`` share:

- ``every`` counts elapsed time from an anchor (``at`` on 2000-01-03 in ``timezone``), so
  ``every: 15m`` fires at :00, :15, :30, :45 and a DST change neither adds nor drops a fire.
- ``daily``, ``weekly``, ``monthly`` and ``cron`` name wall-clock times in ``timezone``:
  a time that happens twice (clocks go back) fires once, at its first occurrence; a time that
  does not exist (clocks jump forward) fires once, shifted by the jump (02:30 -> 03:30).
- ``monthly: {day: 31}`` in a shorter month fires on its last day; ``business_day: N`` counts
  working days of ``calendar`` (else the settings' ``company.calendar``, else Monday-Friday).

Triggers come from recipes' ``on:`` blocks and the optional ``config/schedules.yaml``::

    schedules:
      - recipe: recipes/month-end.yaml
        on: {schedule: {monthly: {business_day: 1}, at: "06:00", timezone: Asia/Shanghai, calendar: CN}}

``ScheduleState`` (``bots.schedule_state``, tables in the store: ``DESKBOT_HOME/runs.db``, or
PostgreSQL with ``DESKBOT_DATABASE``) keeps each trigger's last fire, the runs that are due but
not yet started, and the files a folder trigger has already taken, so a restart neither repeats
nor silently drops a run. Claims are compare-and-set transactions, so two schedulers sharing the
store (one home, or one PostgreSQL from several machines) never take the same fire twice. An old
``DESKBOT_HOME/schedule.db`` is imported on first use and renamed ``schedule.db.imported``.
"""

from __future__ import annotations

import hashlib
import heapq
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from itertools import islice
from pathlib import Path
from typing import Iterator
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from bots.calendars import nth_business_day
from bots.durations import parse_duration
from bots.triggers import WEEKDAYS, FileTrigger, Schedule, Triggers

UTC = timezone.utc
#: larger than any UTC-offset change a zone makes at once (DST moves 1 h, a few zones 2 h)
_MAX_OFFSET_JUMP = timedelta(hours=3)
#: a schedule that matches nothing for this long (e.g. business_day 23 with a tiny calendar) stops
_HORIZON_YEARS = 30
_EVERY_ANCHOR = date(2000, 1, 3)


# ---- clocks ---------------------------------------------------------------------------------
class SystemClock:
    """The real time, as an aware UTC datetime."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that moves only when told to: tests and ``schedule list --at``."""

    def __init__(self, start: datetime):
        self._now = as_utc(start)

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = as_utc(moment)

    def advance(self, delta: timedelta | None = None, **kwargs) -> datetime:
        self._now += delta if delta is not None else timedelta(**kwargs)
        return self._now


def as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("give an aware datetime (with tzinfo); naive times are ambiguous")
    return moment.astimezone(UTC)


# ---- fire times -----------------------------------------------------------------------------
def _localize(naive: datetime, zone: ZoneInfo) -> datetime:
    # fold=0: a repeated wall time means its first occurrence; a skipped one uses the offset
    # before the jump, i.e. it is shifted forward by the jump's length.
    return naive.replace(tzinfo=zone, fold=0).astimezone(UTC)


def _monthly_date(schedule: Schedule, year: int, month: int, calendar: str | None) -> date | None:
    import calendar as _cal

    rule = schedule.monthly
    last = _cal.monthrange(year, month)[1]
    if rule.business_day is not None:
        try:
            return nth_business_day(year, month, rule.business_day, calendar)
        except ValueError:
            return None  # the month has fewer business days than asked for
    if rule.day == "last":
        return date(year, month, last)
    return date(year, month, min(int(rule.day), last))


def _wall_candidates(schedule: Schedule, start: datetime, calendar: str | None) -> Iterator[datetime]:
    """Naive local datetimes >= start that the schedule names, ascending."""
    stop_year = start.year + _HORIZON_YEARS
    if schedule.cron:
        from croniter import CroniterBadDateError, croniter

        it = croniter(schedule.cron, start - timedelta(seconds=1))
        while True:
            try:
                value = it.get_next(datetime)
            except (CroniterBadDateError, StopIteration):
                return
            if value.year > stop_year:
                return
            yield value
    at = schedule.at_time
    if schedule.monthly:
        year, month = start.year, start.month
        while year <= stop_year:
            day = _monthly_date(schedule, year, month, calendar)
            if day is not None:
                candidate = datetime.combine(day, at)
                if candidate >= start:
                    yield candidate
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return
    days = None if schedule.daily else {WEEKDAYS.index(d.lower()[:3]) for d in schedule.weekly}
    day = start.date()
    while day.year <= stop_year:
        if days is None or day.weekday() in days:
            candidate = datetime.combine(day, at)
            if candidate >= start:
                yield candidate
        day += timedelta(days=1)


def _every_fires(schedule: Schedule, after: datetime) -> Iterator[datetime]:
    step_us = round(parse_duration(schedule.every) * 1_000_000)
    anchor = _localize(datetime.combine(_EVERY_ANCHOR, schedule.at_time), ZoneInfo(schedule.timezone))
    elapsed_us = (after - anchor) // timedelta(microseconds=1)
    k = elapsed_us // step_us + 1
    while True:
        yield anchor + timedelta(microseconds=k * step_us)
        k += 1


def iter_fires(schedule: Schedule, after: datetime, calendar: str | None = None) -> Iterator[datetime]:
    """Every fire time strictly after ``after``, ascending, each instant once."""
    after = as_utc(after)
    if schedule.every:
        yield from _every_fires(schedule, after)
        return
    zone = ZoneInfo(schedule.timezone)
    calendar = schedule.calendar or calendar
    local_after = after.astimezone(zone).replace(tzinfo=None)
    pending: list[datetime] = []
    emitted = after
    for naive in _wall_candidates(schedule, local_after - _MAX_OFFSET_JUMP, calendar):
        instant = _localize(naive, zone)
        if instant > after:
            heapq.heappush(pending, instant)
        # later candidates cannot land before this instant minus the largest offset jump,
        # so everything earlier than that is final and in order
        safe = instant - _MAX_OFFSET_JUMP
        while pending and pending[0] < safe:
            value = heapq.heappop(pending)
            if value > emitted:
                emitted = value
                yield value
    while pending:
        value = heapq.heappop(pending)
        if value > emitted:
            emitted = value
            yield value


def next_fire(schedule: Schedule, after: datetime, calendar: str | None = None) -> datetime | None:
    return next(iter_fires(schedule, after, calendar), None)


def next_fires(schedule: Schedule, after: datetime, count: int = 5, calendar: str | None = None) -> list[datetime]:
    return list(islice(iter_fires(schedule, after, calendar), count))


def fires_between(schedule: Schedule, start: datetime, end: datetime, calendar: str | None = None,
                  limit: int | None = None) -> list[datetime]:
    """Fire times in ``(start, end]``, at most ``limit`` (the latest ones are kept)."""
    end = as_utc(end)
    out: list[datetime] = []
    for moment in iter_fires(schedule, start, calendar):
        if moment > end:
            break
        out.append(moment)
        if limit is not None and len(out) > limit:
            del out[0]
    return out


def due_fires(schedule: Schedule, after: datetime, until: datetime, keep: int,
              calendar: str | None = None) -> tuple[int, list[datetime]]:
    """How many fires fall in ``(after, until]`` and the latest ``keep`` of them, oldest first.

    ``every`` is counted arithmetically, so a month of ``every: 1s`` downtime costs nothing.
    """
    after, until = as_utc(after), as_utc(until)
    if schedule.every:
        first = next(_every_fires(schedule, after))
        if first > until:
            return 0, []
        step = timedelta(microseconds=round(parse_duration(schedule.every) * 1_000_000))
        total = (until - first) // step + 1
        start = max(0, total - keep)
        return total, [first + step * i for i in range(start, total)]
    total, kept = 0, []
    for moment in iter_fires(schedule, after, calendar):
        if moment > until:
            break
        total += 1
        kept.append(moment)
        if len(kept) > keep:
            del kept[0]
    return total, kept


def count_between(schedule: Schedule, start: datetime, end: datetime, calendar: str | None = None) -> int:
    end = as_utc(end)
    total = 0
    for moment in iter_fires(schedule, start, calendar):
        if moment > end:
            break
        total += 1
    return total


def describe(schedule: Schedule, calendar: str | None = None) -> str:
    """One line an operator can read: 'monthly on business day 1 at 06:00 Asia/Shanghai (calendar CN)'."""
    cal = schedule.calendar or calendar
    where = f"at {schedule.at} {schedule.timezone}"
    if schedule.every:
        text = f"every {schedule.every}"
    elif schedule.cron:
        text = f"cron '{schedule.cron}' in {schedule.timezone}"
    elif schedule.daily:
        text = f"daily {where}"
    elif schedule.weekly:
        text = f"weekly on {', '.join(d.lower()[:3] for d in schedule.weekly)} {where}"
    else:
        rule = schedule.monthly
        if rule.business_day is not None:
            n = rule.business_day
            what = "the last business day" if n == -1 else (f"business day {n}" if n > 0 else f"business day {n} (from the end)")
            text = f"monthly on {what} {where} (calendar {cal or 'Mon-Fri'})"
        elif rule.day == "last":
            text = f"monthly on the last day {where}"
        else:
            shorter = " (the last day in shorter months)" if int(rule.day) > 28 else ""
            text = f"monthly on day {rule.day} {where}{shorter}"
    return f"{text}; catch_up {schedule.catch_up}, overlap {schedule.overlap}"


def fingerprint(value) -> str:
    data = value.model_dump(mode="json") if hasattr(value, "model_dump") else value
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


# ---- triggers from recipes and config/schedules.yaml ----------------------------------------
@dataclass(frozen=True)
class TimeTrigger:
    key: str
    recipe: str
    recipe_file: str
    schedule: Schedule
    calendar: str | None = None

    @property
    def fingerprint(self) -> str:
        """Identity of *when* it fires: changing catch_up or overlap keeps the trigger's history."""
        timing = self.schedule.model_dump(mode="json", exclude={"catch_up", "overlap"})
        return fingerprint({"schedule": timing, "calendar": self.calendar})

    def describe(self) -> str:
        return describe(self.schedule, self.calendar)

    def iter_fires(self, after: datetime) -> Iterator[datetime]:
        return iter_fires(self.schedule, after, self.calendar)


@dataclass(frozen=True)
class FolderTrigger:
    key: str
    recipe: str
    recipe_file: str
    files: FileTrigger
    folder: Path
    settle_s: float

    def describe(self) -> str:
        return f"each new file {self.files.pattern!r} in {self.folder} (once unchanged for {self.files.settle})"


@dataclass
class TriggerSet:
    time: list[TimeTrigger] = field(default_factory=list)
    folders: list[FolderTrigger] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: recipe name -> file, for every recipe that has at least one trigger
    recipes: dict[str, str] = field(default_factory=dict)


def recipe_files(paths: list[str | Path]) -> list[Path]:
    """Recipe files named directly, or every *.yaml / *.yml in the folders given."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()))
        else:
            found.append(path)
    return found


def collect_triggers(paths: list[str | Path], schedules_file: str | Path | None = None,
                     default_calendar: str | None = None, base: Path | None = None,
                     here: bool = True) -> TriggerSet:
    """Triggers of the recipes at ``paths`` plus those in ``schedules_file``; bad ones become problems.
    ``here=False``: the runs go to the work queue, so what a step needs outside Python (Chromium,
    Tesseract) is checked by the worker that takes them, not on this machine."""
    from bots.errors import RecipeError
    from bots.recipe import load_recipe

    base = Path(base or Path.cwd())
    out = TriggerSet()
    loaded: dict[str, object] = {}

    named = {str(Path(p).resolve()) for p in paths if not Path(p).is_dir()}

    def load(path: Path, wanted: bool = False):
        key = str(path.resolve())
        if key not in loaded:
            try:
                loaded[key] = load_recipe(path, here=here)
            except RecipeError as exc:
                loaded[key] = None
                # a broken recipe found in a folder matters here only if it meant to be scheduled
                if wanted or key in named or _declares_triggers(path):
                    out.problems.append(str(exc))
        return loaded[key]

    def add(recipe, on: Triggers | None, origin: str) -> None:
        if on is None:
            return
        known = out.recipes.get(recipe.name)
        if known is not None and Path(known).resolve() != Path(recipe.file).resolve():
            out.problems.append(f"{recipe.file}: another recipe ({known}) is also named {recipe.name!r};"
                                f" names identify schedules, so rename one. Skipped.")
            return
        if on.schedules or on.files:
            out.recipes[recipe.name] = recipe.file
        for i, schedule in enumerate(on.schedules):
            out.time.append(TimeTrigger(f"{recipe.name}:{origin}schedule[{i}]", recipe.name, recipe.file,
                                        schedule, schedule.calendar or default_calendar))
        if on.files:
            folder = Path(on.files.folder)
            folder = folder if folder.is_absolute() else base / folder
            out.folders.append(FolderTrigger(f"{recipe.name}:{origin}files", recipe.name, recipe.file, on.files,
                                             folder, parse_duration(on.files.settle)))

    for path in recipe_files(paths):
        recipe = load(path)
        if recipe is not None:
            add(recipe, recipe.on, "")
    if schedules_file and Path(schedules_file).is_file():
        for index, recipe_path, on in _read_schedules_file(Path(schedules_file), base, out.problems):
            recipe = load(recipe_path, wanted=True)
            if recipe is not None:
                add(recipe, on, f"schedules.yaml[{index}].")
    return out


def _declares_triggers(path: Path) -> bool:
    """True when the file has a top-level ``on:`` key, or is too broken to tell."""
    from bots.yamlsource import load_yaml_collect

    try:
        data, _ = load_yaml_collect(path.read_text(encoding="utf-8-sig"), str(path))
    except Exception:
        return True
    return not isinstance(data, dict) or data.get("on") is not None


def _read_schedules_file(path: Path, base: Path, problems: list[str]):
    from bots.errors import RecipeError
    from bots.yamlsource import PosDict, load_yaml

    try:
        data = load_yaml(path.read_text(encoding="utf-8-sig"), str(path))
    except RecipeError as exc:
        problems.append(str(exc))
        return
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{path}: cannot read: {exc}")
        return
    entries = data.get("schedules") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        problems.append(f"{path}:1:1: expected 'schedules:' with a list of {{recipe: PATH, on: {{…}}}}")
        return
    for i, entry in enumerate(entries):
        where = entries.pos_of(i) if hasattr(entries, "pos_of") else (1, 1)
        prefix = f"{path}:{where[0]}:{where[1]}: schedules[{i}]"
        if not isinstance(entry, dict) or set(entry) - {"recipe", "on"} or "recipe" not in entry or "on" not in entry:
            problems.append(f"{prefix}: each entry is a mapping with exactly 'recipe' and 'on'")
            continue
        try:
            on = Triggers.model_validate(entry["on"])
        except ValidationError as exc:
            for err in exc.errors():
                loc = ".".join(str(p) for p in err["loc"] if not str(p).startswith(("function-", "union[")))
                pos = entry.value_pos_of("on") if isinstance(entry, PosDict) else where
                problems.append(f"{path}:{pos[0]}:{pos[1]}: schedules[{i}].on.{loc}: {err['msg']}")
            continue
        recipe_path = Path(str(entry["recipe"]))
        yield i, (recipe_path if recipe_path.is_absolute() else base / recipe_path), on


# ---- persisted state: in the store (bots/schedule_state.py) ----------------------------------
from bots.schedule_state import DueRun, ScheduleState, holder_id, parse_stamp, stamp  # noqa: E402


def parse_moment(text: str, zone: str | None = None) -> datetime:
    """``2026-12-31T23:00`` (read in ``zone``, default UTC) or with an offset / ``Z``."""
    text = text.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date-time; write e.g. 2026-12-31T23:00 or 2026-12-31T23:00+08:00") from None
    if moment.tzinfo is None:
        moment = _localize(moment, ZoneInfo(zone or "UTC"))
    return moment.astimezone(UTC)


__all__ = ["SystemClock", "ManualClock", "iter_fires", "next_fire", "next_fires", "fires_between", "count_between",
           "due_fires",
           "describe", "TimeTrigger", "FolderTrigger", "TriggerSet", "collect_triggers", "recipe_files",
           "ScheduleState", "DueRun", "holder_id", "parse_moment", "stamp", "parse_stamp", "UTC"]
