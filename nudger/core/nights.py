"""The night's own rules: how its few nudges are spread, when a night counts as hard, and what
a sign of distress is. Pure: times come in as values.

- Spread: the night is split into as many equal parts as the night's cap allows, with at most
  one nudge in each part. A night of glances then keeps a nudge for the small hours instead of
  spending the cap in its first half hour.
- Hard: from the third blocklist visit of a night, or once the cap is reached, the night is
  hard and a number to call goes on one notification.
- Distress, in quiet hours: a visit longer than three minutes, or a third visit within thirty
  minutes. Only then does the one care message of a quiet night come, not at the first glance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from nudger.core.types import ClockSpan

HARD_NIGHT_VISITS = 3
DISTRESS_VISIT_SECONDS = 3 * 60
DISTRESS_BURST_VISITS = 3
DISTRESS_BURST_SECONDS = 30 * 60


def night_bounds(night: dt.date, window: ClockSpan) -> tuple[dt.datetime, dt.datetime]:
    """The wall-clock start and end of the night that began on `night`."""
    start = dt.datetime.combine(night, window.start)
    spans_midnight = window.start > window.end
    end = dt.datetime.combine(night + dt.timedelta(days=int(spans_midnight)), window.end)
    return start, end


def part_of_night(local: dt.datetime, night: dt.date, window: ClockSpan, cap: int) -> int:
    """Which of the night's `cap` equal parts `local` falls in (0 for the first)."""
    start, end = night_bounds(night, window)
    parts = max(1, cap)
    length = (end - start).total_seconds()
    if length <= 0:
        return 0
    return min(parts - 1, int((local - start).total_seconds() * parts // length))


def seconds_into_night(local: dt.datetime, night: dt.date, window: ClockSpan) -> float:
    start, _end = night_bounds(night, window)
    return (local - start).total_seconds()


def visits_tonight(starts: Sequence[float], at: float, seconds_into: float) -> int:
    """How many of the visits that began at `starts` began tonight."""
    night_began = at - seconds_into
    return sum(1 for start in starts if night_began <= start <= at)


def shows_distress(starts: Sequence[float], at: float, longest_visit_seconds: float) -> bool:
    """A visit that has gone on for a while, or visits coming one after another."""
    if longest_visit_seconds > DISTRESS_VISIT_SECONDS:
        return True
    recent = [start for start in starts if at - DISTRESS_BURST_SECONDS <= start <= at]
    return len(recent) >= DISTRESS_BURST_VISITS
