"""Rules about time itself."""

from __future__ import annotations

from nudger.core.clock import JUMP_TOLERANCE_SECONDS, ClockWatch, is_away, pulse_for


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
