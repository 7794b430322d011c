"""Fire times as an admin expects them: month ends, business days across holidays, DST."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bots.scheduling import UTC, count_between, fires_between, next_fire, next_fires, parse_moment
from bots.triggers import Schedule

BERLIN, NEW_YORK = ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")


def local(moments, zone):
    return [m.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z") for m in moments]


def test_month_end_last_day_follows_month_lengths_and_leap_years():
    s = Schedule(monthly={"day": "last"}, at="23:00", timezone="Europe/Berlin")
    fires = next_fires(s, datetime(2027, 12, 15, tzinfo=UTC), 4)
    assert local(fires, BERLIN) == ["2027-12-31 23:00 CET", "2028-01-31 23:00 CET",
                                    "2028-02-29 23:00 CET", "2028-03-31 23:00 CEST"]


def test_day_31_fires_on_the_last_day_of_shorter_months_instead_of_skipping_them():
    s = Schedule(monthly={"day": 31}, at="06:00", timezone="UTC")
    fires = next_fires(s, datetime(2026, 1, 1, tzinfo=UTC), 4)
    assert [f.date().isoformat() for f in fires] == ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"]


def test_last_business_day_moves_before_memorial_day_us_2027():
    # 31 May 2027 is a Monday and Memorial Day: the last business day is Friday the 28th
    with_holidays = Schedule(monthly={"business_day": -1}, at="17:00", timezone="America/New_York", calendar="US")
    weekdays_only = Schedule(monthly={"business_day": -1}, at="17:00", timezone="America/New_York")
    after = datetime(2027, 5, 1, tzinfo=UTC)
    assert local([next_fire(with_holidays, after)], NEW_YORK) == ["2027-05-28 17:00 EDT"]
    assert local([next_fire(weekdays_only, after)], NEW_YORK) == ["2027-05-31 17:00 EDT"]


def test_last_business_day_across_good_friday_de_2029():
    s = Schedule(monthly={"business_day": -1}, at="18:00", timezone="Europe/Berlin", calendar="DE")
    fires = next_fires(s, datetime(2029, 3, 1, tzinfo=UTC), 2)
    assert local(fires, BERLIN) == ["2029-03-29 18:00 CEST", "2029-04-30 18:00 CEST"]


def test_first_business_day_after_new_year_cn_uses_the_default_calendar():
    s = Schedule(monthly={"business_day": 1}, at="06:00", timezone="Asia/Shanghai")
    # 1 Jan 2027 is a Friday and a holiday, then the weekend
    assert next_fire(s, datetime(2026, 12, 31, 15, tzinfo=UTC), calendar="CN").astimezone(
        ZoneInfo("Asia/Shanghai")).date().isoformat() == "2027-01-04"
    assert next_fire(s, datetime(2026, 12, 31, 15, tzinfo=UTC)) == datetime(2026, 12, 31, 22, tzinfo=UTC)  # 1 Jan 06:00


@pytest.mark.parametrize("zone, day, at, expected", [
    # spring forward: 02:30 does not exist that night; it fires once, shifted by the jump
    ("Europe/Berlin", "2026-03-29", "02:30", ["2026-03-28 02:30 CET", "2026-03-29 03:30 CEST", "2026-03-30 02:30 CEST"]),
    ("America/New_York", "2026-03-08", "02:30", ["2026-03-07 02:30 EST", "2026-03-08 03:30 EDT", "2026-03-09 02:30 EDT"]),
    # fall back: 02:30 (Berlin) / 01:30 (New York) happen twice; each fires once, the first time
    ("Europe/Berlin", "2026-10-25", "02:30", ["2026-10-24 02:30 CEST", "2026-10-25 02:30 CEST", "2026-10-26 02:30 CET"]),
    ("America/New_York", "2026-11-01", "01:30", ["2026-10-31 01:30 EDT", "2026-11-01 01:30 EDT", "2026-11-02 01:30 EST"]),
])
def test_daily_across_dst_changes_fires_exactly_once_per_day(zone, day, at, expected):
    s = Schedule(daily=True, at=at, timezone=zone)
    start = datetime.fromisoformat(day).replace(tzinfo=ZoneInfo(zone)) - timedelta(days=1, hours=1)
    fires = fires_between(s, start, start + timedelta(days=3))
    assert local(fires, ZoneInfo(zone)) == expected


@pytest.mark.parametrize("zone, night", [("Europe/Berlin", "2026-03-29"), ("Europe/Berlin", "2026-10-25"),
                                         ("America/New_York", "2026-03-08"), ("America/New_York", "2026-11-01")])
def test_every_counts_elapsed_time_so_dst_neither_adds_nor_drops_a_fire(zone, night):
    s = Schedule(every="30m", timezone=zone)
    start = datetime.fromisoformat(night).replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
    fires = fires_between(s, start, start + timedelta(hours=6))
    assert len(fires) == 12
    assert all(b - a == timedelta(minutes=30) for a, b in zip(fires, fires[1:]))


def test_hourly_cron_in_the_repeated_hour_does_not_fire_twice():
    s = Schedule(cron="30 * * * *", timezone="Europe/Berlin")
    start = datetime(2026, 10, 24, 22, 0, tzinfo=UTC)  # 00:00 CEST on the night clocks go back
    fires = fires_between(s, start, start + timedelta(hours=6))
    assert local(fires, BERLIN) == ["2026-10-25 00:30 CEST", "2026-10-25 01:30 CEST", "2026-10-25 02:30 CEST",
                                    "2026-10-25 03:30 CET", "2026-10-25 04:30 CET"]
    assert len(set(fires)) == len(fires)


def test_cron_in_the_skipped_hour_lands_after_the_jump_without_duplicates():
    s = Schedule(cron="*/30 * * * *", timezone="Europe/Berlin")
    start = datetime(2026, 3, 29, 0, 0, tzinfo=UTC)  # 01:00 CET
    fires = fires_between(s, start, start + timedelta(hours=2))
    assert local(fires, BERLIN) == ["2026-03-29 01:30 CET", "2026-03-29 03:00 CEST", "2026-03-29 03:30 CEST",
                                    "2026-03-29 04:00 CEST"]


def test_weekly_on_named_days():
    s = Schedule(weekly=["mon", "thu"], at="07:15", timezone="Asia/Shanghai")
    fires = next_fires(s, datetime(2026, 11, 23, tzinfo=UTC), 3)  # Monday 08:00 Shanghai
    assert local(fires, ZoneInfo("Asia/Shanghai")) == ["2026-11-26 07:15 CST", "2026-11-30 07:15 CST",
                                                      "2026-12-03 07:15 CST"]


def test_minutely_cron_over_the_repeated_hour_fires_once_per_wall_clock_minute():
    s = Schedule(cron="* * * * *", timezone="Europe/Berlin")
    start = datetime(2026, 10, 24, 12, tzinfo=UTC)
    # the repeated hour of 25 October is one wall-clock hour: its 60 minutes fire once, not twice
    assert count_between(s, start, start + timedelta(days=1)) == 24 * 60 - 60


def test_parse_moment_reads_naive_times_in_the_given_zone():
    assert parse_moment("2026-12-31T23:00", "Asia/Shanghai") == datetime(2026, 12, 31, 15, tzinfo=UTC)
    assert parse_moment("2026-12-31T23:00Z") == datetime(2026, 12, 31, 23, tzinfo=UTC)
    with pytest.raises(ValueError, match="not a date-time"):
        parse_moment("tomorrow")
