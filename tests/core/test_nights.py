"""The night's own rules: its parts, how many visits began tonight, and a sign of distress
(nudger/core/nights.py)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from nudger.core.nights import (
    DISTRESS_BURST_SECONDS,
    DISTRESS_VISIT_SECONDS,
    night_bounds,
    part_of_night,
    seconds_into_night,
    shows_distress,
    visits_tonight,
)
from nudger.core.types import ClockSpan

NIGHT = ClockSpan(dt.time(23, 0), dt.time(5, 0))
BEGAN = dt.date(2026, 11, 27)


def test_a_night_across_midnight_ends_the_next_morning() -> None:
    assert night_bounds(BEGAN, NIGHT) == (
        dt.datetime(2026, 11, 27, 23, 0),
        dt.datetime(2026, 11, 28, 5, 0),
    )
    evening = ClockSpan(dt.time(19, 0), dt.time(22, 0))
    assert night_bounds(BEGAN, evening)[1] == dt.datetime(2026, 11, 27, 22, 0)


def test_three_nudges_split_the_night_in_three_equal_parts() -> None:
    at = [dt.datetime(2026, 11, 27, 23, 30), dt.datetime(2026, 11, 28, 1, 30)]
    at += [dt.datetime(2026, 11, 28, 4, 59)]
    assert [part_of_night(moment, BEGAN, NIGHT, cap=3) for moment in at] == [0, 1, 2]
    assert part_of_night(at[2], BEGAN, NIGHT, cap=0) == 0


@given(st.integers(min_value=0, max_value=6 * 3600 - 1), st.integers(min_value=0, max_value=50))
def test_a_moment_of_the_night_is_in_one_of_its_parts(seconds: int, cap: int) -> None:
    moment = dt.datetime(2026, 11, 27, 23, 0) + dt.timedelta(seconds=seconds)
    assert 0 <= part_of_night(moment, BEGAN, NIGHT, cap) < max(1, cap)
    assert seconds_into_night(moment, BEGAN, NIGHT) == seconds


def test_only_visits_that_began_tonight_count() -> None:
    at = 10_000.0
    assert visits_tonight([1_000.0, 8_000.0, 9_999.0, 10_001.0], at, seconds_into=3_000) == 2


def test_distress_is_a_long_visit_or_a_third_visit_within_half_an_hour() -> None:
    at = 100_000.0
    assert shows_distress([at], at, longest_visit_seconds=DISTRESS_VISIT_SECONDS + 1)
    assert not shows_distress([at], at, longest_visit_seconds=DISTRESS_VISIT_SECONDS)
    burst = [at - DISTRESS_BURST_SECONDS, at - 60, at]
    assert shows_distress(burst, at, longest_visit_seconds=10)
    assert not shows_distress([at - DISTRESS_BURST_SECONDS - 1, at - 60, at], at, 10)
