"""What the policy learns from how nudges were received (nudger/core/adapting.py)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from nudger.core.adapting import FLOOR, MAX_SPACING, Learning, night_of
from nudger.core.types import PAUSE_REASON, ClockSpan, NudgeRow


def test_a_new_kind_starts_at_one_half_and_heeded_kinds_rise() -> None:
    learning = Learning()
    assert learning.weight("move") == 0.5
    learning.record("move", heeded=True)
    learning.record("journal", heeded=False)
    assert learning.weight("move") > 0.5 > learning.weight("journal")


@given(st.lists(st.booleans(), max_size=60))
def test_no_kind_falls_below_the_floor_and_spacing_stays_bounded(heeded: list[bool]) -> None:
    learning = Learning()
    for each in heeded:
        learning.record("move", heeded=each)
    assert learning.weight("move") >= FLOOR
    assert 1.0 <= learning.spacing() <= MAX_SPACING


def test_gaps_double_from_the_third_ignored_nudge_and_one_heeded_resets_them() -> None:
    learning = Learning()
    spacings = []
    for _ in range(7):
        learning.record("move", heeded=False)
        spacings.append(learning.spacing())
    assert spacings == [1.0, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    learning.record(None, heeded=True)
    assert learning.spacing() == 1.0


def _row(message_id: str, heeded: bool | None, reason: str = "session") -> NudgeRow:
    return NudgeRow(1, 0.0, "site", "Reddit", reason, message_id, True, None, heeded)


def test_rows_teach_oldest_first_and_the_browsers_pauses_teach_nothing() -> None:
    newest_first = [
        _row("m.2", heeded=False),
        _row("pause", heeded=True, reason=PAUSE_REASON),
        _row("m.1", heeded=None),  # not decided yet
        _row("m.1", heeded=True),
    ]
    learning = Learning.from_rows(newest_first, lambda mid: "move" if mid == "m.1" else "journal")
    assert learning.tallies["move"].shown == 1 and learning.tallies["move"].heeded == 1
    assert learning.tallies["journal"].shown == 1 and learning.tallies["journal"].heeded == 0
    assert learning.ignored_in_a_row == 1


def test_the_small_hours_belong_to_the_night_that_began_the_evening_before() -> None:
    night = ClockSpan(dt.time(23, 0), dt.time(5, 0))
    assert night_of(dt.datetime(2026, 11, 28, 2, 0), night) == dt.date(2026, 11, 27)
    assert night_of(dt.datetime(2026, 11, 27, 23, 30), night) == dt.date(2026, 11, 27)
    assert night_of(dt.datetime(2026, 11, 27, 12, 0), night) is None
    assert night_of(dt.datetime(2026, 11, 27, 12, 0), None) is None
