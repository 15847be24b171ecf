"""The core's plain values (nudger/core/types.py): a span of the clock is the one with a rule."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from nudger.core.types import ClockSpan, Rule


def test_a_span_across_midnight_holds_the_late_evening_and_the_small_hours() -> None:
    night = ClockSpan(dt.time(23, 0), dt.time(7, 0))
    assert night.contains(dt.time(23, 0)) and night.contains(dt.time(6, 59))
    assert not night.contains(dt.time(7, 0)) and not night.contains(dt.time(12, 0))


def test_a_span_within_a_day_is_half_open() -> None:
    lunch = ClockSpan(dt.time(12, 0), dt.time(13, 0))
    assert lunch.contains(dt.time(12, 0)) and not lunch.contains(dt.time(13, 0))


@given(st.times(), st.times(), st.times())
def test_a_span_and_its_reverse_split_the_day_between_them(
    start: dt.time, end: dt.time, moment: dt.time
) -> None:
    assume(start != end)  # an empty span and its reverse are both empty
    assert ClockSpan(start, end).contains(moment) != ClockSpan(end, start).contains(moment)


def test_values_are_frozen() -> None:
    rule = Rule("site", "Reddit", ("reddit",))
    with pytest.raises(dataclasses.FrozenInstanceError):
        rule.name = "Other"  # type: ignore[misc]
