"""What a summary says, in whole units and kind words (nudger/core/words.py)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from nudger.core.summary import NudgeCounts, Streak
from nudger.core.translate import ENGLISH as T
from nudger.core.words import (
    change,
    clear_days_sentence,
    clock,
    duration,
    pause_sentence,
    untracked_sentence,
    whole_seconds,
)


def test_durations_in_whole_units_rounded_down() -> None:
    assert [duration(T, s) for s in (0, 12.9, 59.99, 60, 1439, 3600, 3900, 90061)] == [
        "0 s",
        "12 s",
        "59 s",
        "1 min",
        "23 min",
        "1 h 00 min",
        "1 h 05 min",
        "25 h 01 min",
    ]


@given(st.floats(min_value=0, max_value=10**7, allow_nan=False))
def test_whole_seconds_never_add_time(seconds: float) -> None:
    assert seconds - 1 < whole_seconds(seconds) <= seconds


def test_a_change_is_said_against_yesterday_or_the_average() -> None:
    assert change(T, 600, None, "yesterday") is None
    assert change(T, 600, 620, "yesterday") == "about the same as yesterday"
    assert change(T, 600, 1320, "yesterday") == "12 min less than yesterday"
    assert change(T, 780, 600, "average") == "3 min more than your 7-day average"


def test_clock_times_in_the_given_zone() -> None:
    noon_utc = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC).timestamp()
    assert clock(noon_utc, dt.timezone(dt.timedelta(hours=1))) == "13:00"
    assert clock(None, dt.UTC) == ""


def test_a_day_nudger_did_not_watch_is_said_as_such_not_counted_as_clear() -> None:
    today, since = dt.date(2026, 11, 27), dt.date(2026, 11, 20)
    assert untracked_sentence(T, today, today, None) == "Nothing recorded yet."
    assert untracked_sentence(T, dt.date(2026, 11, 28), today, since) == (
        "This day has not come yet."
    )
    assert untracked_sentence(T, dt.date(2026, 11, 19), today, since) == (
        "nudger was not watching yet that day; it began on 20 November 2026."
    )
    assert untracked_sentence(T, dt.date(2026, 11, 21), today, since) is None


def test_clear_days_wait_for_two_watched_days() -> None:
    assert clear_days_sentence(T, Streak(0, 0, None, clear_last_30=1, watched_last_30=1)) == ""
    assert clear_days_sentence(T, Streak(0, 3, None, clear_last_30=21, watched_last_30=45)) == (
        " Clear days in the last 30: 21."
    )


def test_pauses_are_told_as_choices_not_as_a_score() -> None:
    assert pause_sentence(T, NudgeCounts(0, 0, 0, 0, pauses=1)) == (
        "In the browser, a page was held back for a breath."
    )
    assert pause_sentence(T, NudgeCounts(0, 0, 0, 0, pauses=3, stepped_away=2)) == (
        "In the browser, pages were held back for a breath 3 times. You stepped away 2 times."
    )
