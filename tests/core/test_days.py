"""Local days with a 04:00 start, across daylight-saving changes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nudger.core.days import LocalDays

ZONES = ("Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "UTC", "Asia/Kolkata")


@pytest.mark.parametrize(
    ("zone", "day", "hours"),
    [
        # With days starting at 04:00, the day holding the 02:00/03:00 change is the one before.
        ("Europe/Berlin", dt.date(2026, 3, 28), 23),
        ("Europe/Berlin", dt.date(2026, 3, 29), 24),
        ("Europe/Berlin", dt.date(2026, 10, 24), 25),
        ("Europe/Berlin", dt.date(2026, 11, 27), 24),
        ("America/New_York", dt.date(2026, 3, 7), 23),
        ("America/New_York", dt.date(2026, 10, 31), 25),
    ],
)
def test_day_lengths_follow_daylight_saving(zone: str, day: dt.date, hours: int) -> None:
    start, end = LocalDays(ZoneInfo(zone)).bounds(day)
    assert end - start == hours * 3600


def test_late_night_belongs_to_the_evening_before() -> None:
    days = LocalDays(ZoneInfo("Europe/Berlin"), dt.time(4, 0))
    late = dt.datetime(2026, 11, 28, 3, 59, tzinfo=ZoneInfo("Europe/Berlin")).timestamp()
    assert days.day_of(late) == dt.date(2026, 11, 27)
    assert days.day_of(late + 60) == dt.date(2026, 11, 28)


@given(
    zone=st.sampled_from(ZONES),
    starts_at=st.times().map(lambda t: t.replace(microsecond=0)),
    day=st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)),
)
def test_every_instant_of_a_day_belongs_to_it(zone: str, starts_at: dt.time, day: dt.date) -> None:
    days = LocalDays(ZoneInfo(zone), starts_at)
    start, end = days.bounds(day)
    assert end > start
    assert days.day_of(start) == day
    assert days.day_of(end - 1) == day
    assert days.day_of(end) == day + dt.timedelta(days=1)


@given(
    zone=st.sampled_from(ZONES),
    starts_at=st.times().map(lambda t: t.replace(microsecond=0)),
    first=st.floats(
        dt.datetime(2020, 1, 1, tzinfo=dt.UTC).timestamp(),
        dt.datetime(2035, 1, 1, tzinfo=dt.UTC).timestamp(),
    ),
    gap=st.floats(0, 3 * 86400),
)
def test_time_never_runs_back_into_yesterday(
    zone: str, starts_at: dt.time, first: float, gap: float
) -> None:
    """Even with days starting inside the hour that the autumn change repeats."""
    days = LocalDays(ZoneInfo(zone), starts_at)
    assert days.day_of(first) <= days.day_of(first + gap)
