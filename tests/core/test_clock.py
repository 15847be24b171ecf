"""Rules about time itself."""

from __future__ import annotations

import pytest

from nudger.core.clock import (
    JUMP_TOLERANCE_SECONDS,
    ClockReadings,
    ClockWatch,
    idle_at,
    is_away,
    pulse_for,
    sample_pace,
)


def test_the_pulse_bridges_a_missed_sample_and_nothing_longer() -> None:
    assert pulse_for(1.0) == 2.5
    assert pulse_for(15.0) == 23.5


def test_away_from_the_threshold_on() -> None:
    assert not is_away(119.9, 120)
    assert is_away(120, 120)


def test_a_jump_of_the_wall_clock_is_seen_and_a_steady_clock_is_not() -> None:
    watch = ClockWatch()
    assert watch.jump(1000.0, 50.0) == 0.0  # the first reading: nothing to compare with
    assert watch.jump(1001.0, 51.0) == 0.0
    assert watch.jump(1002.0 + JUMP_TOLERANCE_SECONDS, 52.0) == 0.0  # within the tolerance
    assert watch.jump(5000.0, 53.0) > 3000  # a resume after a suspend
    assert watch.jump(1000.0, 54.0) < -3000  # the clock set back


def test_clock_readings_tell_a_suspend_from_a_step_and_say_how_each_clock_moved() -> None:
    clocks = ClockReadings()
    assert clocks.event(1000.0, 50.0, 60.0) is None
    assert clocks.event(1001.0, 51.0, 61.0) is None  # all three moved together
    slept = clocks.event(2801.0, 52.0, 1861.0)  # asleep for 30 minutes
    assert slept is not None and slept.slept == pytest.approx(1799.0)
    assert (slept.wall, slept.monotonic, slept.boot) == (1800.0, 1.0, 1800.0)
    stepped = clocks.event(2000.0, 53.0, 1862.0)  # someone set the wall clock back
    assert stepped is not None and stepped.slept == 0.0 and stepped.stepped < -800
    assert clocks.event(2001.0, 54.0, None) is None  # no boot-time clock: the wall still tells


def test_idle_at_a_change_is_what_the_reading_says_less_the_time_since() -> None:
    assert idle_at(100.0, idle_seconds=30.0, read_at=110.0) == 20.0
    assert idle_at(100.0, idle_seconds=5.0, read_at=110.0) == 0.0  # input came after the change


@pytest.mark.parametrize(
    ("follows_events", "watched", "blocklist", "pace"),
    [
        (True, False, False, 10.0),  # nothing watched in front: a sample only confirms the events
        (True, True, False, 5.0),  # social sites: written every 5 s anyway; nudges count minutes
        (True, True, True, 1.0),  # the ex's page: its nudge comes seconds after it opens
        (False, False, False, 1.0),  # no events: sampling is all there is
        (False, True, False, 1.0),
        (False, True, True, 1.0),
    ],
)
def test_samples_come_as_often_as_what_is_in_front_needs(
    follows_events: bool, watched: bool, blocklist: bool, pace: float
) -> None:
    assert (
        sample_pace(
            poll=1.0,
            confirm=10.0,
            checkpoint=5.0,
            follows_events=follows_events,
            watched=watched,
            blocklist=blocklist,
        )
        == pace
    )


def test_a_long_flush_never_makes_a_site_sampled_less_often_than_nothing() -> None:
    pace = sample_pace(poll=1.0, confirm=10.0, checkpoint=60.0, follows_events=True, watched=True)
    assert pace == 10.0


def test_a_slower_poll_is_never_made_faster() -> None:
    for watched, blocklist in ((False, False), (True, False), (True, True)):
        pace = sample_pace(
            poll=30.0,
            confirm=10.0,
            checkpoint=5.0,
            follows_events=True,
            watched=watched,
            blocklist=blocklist,
        )
        assert pace == 30.0
