"""The ``on:`` block of a recipe: what starts it. The scheduler computes fire times from these.

```yaml
on:
  schedule:                         # one trigger, or a list of them
    monthly: {business_day: 1}      # or {day: 1}, {day: last}, {business_day: -1}
    at: "06:00"
    timezone: Asia/Shanghai
    calendar: CN                    # holidays for business days
    catch_up: once                  # skip | once | all: runs missed while the scheduler was down
    overlap: skip                   # skip | queue: when the previous run is still going
  files: {folder: inbox/invoices, pattern: "*.pdf"}
```

Forms of ``schedule``: ``every: 15m`` | ``daily: true`` + ``at`` | ``weekly: [mon, thu]`` + ``at``
| ``monthly: {day: 1 | last}`` / ``{business_day: N | -1}`` + ``at`` | ``cron: "0 6 1 * *"``.
"""

from __future__ import annotations

import re
from datetime import time
from typing import Literal, Union
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bots.durations import parse_duration

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Monthly(_Model):
    day: Union[int, Literal["last"], None] = Field(None, description="day of month 1-31, or 'last'")
    business_day: int | None = Field(None, description="N-th business day (1 = first, -1 = last)")

    @field_validator("day")
    @classmethod
    def _day_range(cls, v):
        if isinstance(v, int) and not 1 <= v <= 31:
            raise ValueError("day must be 1-31 or 'last'")
        return v

    @field_validator("business_day")
    @classmethod
    def _bd_range(cls, v):
        if v is not None and (v == 0 or not -23 <= v <= 23):
            raise ValueError("business_day must be 1..23 or -1..-23 (negative counts from the month's end)")
        return v

    @model_validator(mode="after")
    def _one_of(self):
        if (self.day is None) == (self.business_day is None):
            raise ValueError("give exactly one of day or business_day")
        return self


class Schedule(_Model):
    every: str | None = Field(None, description="interval such as 15m, 2h, 1d")
    daily: bool | None = None
    weekly: list[str] | None = Field(None, description="days: mon … sun")
    monthly: Monthly | None = None
    cron: str | None = Field(None, description="five-field cron expression")
    at: str = Field("00:00", description="time of day HH:MM, in timezone")
    timezone: str = Field("UTC", description="IANA time zone, e.g. Europe/Berlin")
    calendar: str | None = Field(None, description="holiday calendar for business days, e.g. CN, US, DE-BY")
    catch_up: Literal["skip", "once", "all"] = "once"
    overlap: Literal["skip", "queue"] = "skip"

    @field_validator("at")
    @classmethod
    def _at(cls, v: str) -> str:
        if not re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d(:[0-5]\d)?", v.strip()):
            raise ValueError("at must be HH:MM (24-hour)")
        return v.strip()

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {v!r}; use an IANA name such as Europe/Berlin") from None
        return v

    @field_validator("every")
    @classmethod
    def _every(cls, v):
        if v is not None and parse_duration(v) <= 0:
            raise ValueError("every must be a positive duration such as 15m")
        return v

    @field_validator("weekly")
    @classmethod
    def _weekly(cls, v):
        if v is not None:
            bad = [d for d in v if d.lower()[:3] not in WEEKDAYS]
            if bad or not v:
                raise ValueError(f"weekly takes day names {', '.join(WEEKDAYS)}; got {bad or v}")
        return v

    @field_validator("cron")
    @classmethod
    def _cron(cls, v):
        if v is not None:
            from croniter import croniter

            if not croniter.is_valid(v):
                raise ValueError(f"invalid cron expression {v!r}")
        return v

    @field_validator("calendar")
    @classmethod
    def _calendar(cls, v):
        if v is not None:
            from datetime import date

            from bots.calendars import is_business_day

            is_business_day(date(2026, 1, 5), v)  # raises ValueError naming the bad code
        return v

    @model_validator(mode="after")
    def _one_kind(self):
        kinds = [k for k in ("every", "daily", "weekly", "monthly", "cron") if getattr(self, k)]
        if len(kinds) != 1:
            raise ValueError("give exactly one of every, daily, weekly, monthly, cron")
        return self

    @property
    def at_time(self) -> time:
        return time.fromisoformat(self.at if self.at.count(":") == 2 else self.at + ":00")


class FileTrigger(_Model):
    folder: str = Field(description="folder to watch")
    pattern: str = Field("*", description="glob of file names to take")
    settle: str = Field("2s", description="a file is taken once it has not grown for this long")

    @field_validator("settle")
    @classmethod
    def _settle(cls, v: str) -> str:
        parse_duration(v)  # raises ValueError naming the accepted forms
        return v


class Triggers(_Model):
    schedule: Union[Schedule, list[Schedule], None] = None
    files: FileTrigger | None = None

    @property
    def schedules(self) -> list[Schedule]:
        if self.schedule is None:
            return []
        return self.schedule if isinstance(self.schedule, list) else [self.schedule]
