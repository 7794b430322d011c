"""Business-day calendars shared by recipe expressions and the scheduler.

A calendar is a country code known to the ``holidays`` package (``CN``, ``US``, ``DE`` …),
optionally with a subdivision (``US-NY``, ``DE-BY``). ``holidays`` also knows each country's
weekend and China's make-up working days (调休: a Saturday that is a working day), so a
business day is whatever ``HolidayBase.is_working_day`` says. No calendar: Monday to Friday.

    >>> from datetime import date
    >>> add_business_days(date(2026, 12, 24), 1, "DE")   # 25th, 26th are holidays
    datetime.date(2026, 12, 28)
"""

from __future__ import annotations

import calendar as _calendar
from datetime import date, timedelta
from functools import lru_cache


@lru_cache(maxsize=64)
def _calendar_for(country: str):
    import holidays as _holidays  # here: every recipe load imports this module, few use a calendar

    country, _, subdiv = country.upper().partition("-")
    try:
        return _holidays.country_holidays(country, subdiv=subdiv or None)
    except NotImplementedError:
        raise ValueError(f"unknown holiday calendar {country!r}; use a country code such as CN, US or DE") from None


def is_business_day(day: date, country: str | None = None) -> bool:
    if not country:
        return day.weekday() < 5
    return _calendar_for(country).is_working_day(day)


def add_business_days(day: date, count: int, country: str | None = None) -> date:
    """Move ``count`` business days forward (or back when negative); 0 rolls to a business day."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    if remaining == 0:
        while not is_business_day(day, country):
            day += timedelta(days=1)
        return day
    while remaining:
        day += timedelta(days=step)
        if is_business_day(day, country):
            remaining -= 1
    return day


def nth_business_day(year: int, month: int, n: int, country: str | None = None) -> date:
    """The n-th business day of a month (1-based); negative n counts from the end (-1 = last)."""
    if n == 0:
        raise ValueError("business day numbers start at 1 (or -1 for the last)")
    last = _calendar.monthrange(year, month)[1]
    days = [date(year, month, d) for d in range(1, last + 1)]
    business = [d for d in days if is_business_day(d, country)]
    if abs(n) > len(business):
        raise ValueError(f"{year}-{month:02d} has only {len(business)} business days")
    return business[n - 1] if n > 0 else business[n]
