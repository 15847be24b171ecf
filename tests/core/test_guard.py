"""The guard's rules: which unguarded stretches are worth a line in the summary."""

from __future__ import annotations

import datetime as dt

from nudger.core.guard import (
    LEAST_GAP_SECONDS,
    Beat,
    GuardNote,
    clock_step,
    companion_off_in_front,
    companion_off_note,
    not_running,
    once_each,
)
from nudger.core.translate import ENGLISH
from nudger.core.words import guard_sentence

T = 1_780_000_000.0  # a wall time
BOOT = "b1"


def test_ten_minutes_stopped_while_in_use_is_said_from_the_last_heartbeat_to_now() -> None:
    last = Beat(T, 5_000.0, 5_000.0, BOOT)
    now = Beat(T + 600, 5_600.0, 5_600.0, BOOT)
    assert not_running(last, now, last_input_at=T + 597) == GuardNote("not_running", T, T + 600)


def test_a_short_restart_is_not_worth_a_line() -> None:
    last = Beat(T, 5_000.0, 5_000.0, BOOT)
    now = Beat(T + LEAST_GAP_SECONDS - 1, 5_000.0 + LEAST_GAP_SECONDS - 1, None, BOOT)
    assert not_running(last, now, last_input_at=now.wall) is None


def test_nobody_at_the_computer_since_it_stopped_is_not_said() -> None:
    last = Beat(T, 5_000.0, 5_000.0, BOOT)
    now = Beat(T + 3600, 8_600.0, 8_600.0, BOOT)
    assert not_running(last, now, last_input_at=T) is None, "the last input was before it"
    assert not_running(last, now, last_input_at=None) is None, "no desktop read: nothing known"
    assert not_running(last, now, last_input_at=T + 1) is not None


def test_a_suspend_is_not_a_gap() -> None:
    """Two hours by the wall and boot-time clocks, two minutes awake (monotonic)."""
    last = Beat(T, 5_000.0, 5_000.0, BOOT)
    now = Beat(T + 7200, 5_120.0, 12_200.0, BOOT)
    assert not_running(last, now, last_input_at=now.wall - 1) is None


def test_after_a_restart_of_the_computer_only_the_time_since_it_booted_counts() -> None:
    last = Beat(T, 50_000.0, 50_000.0, "old boot")
    booted_at = T + 8 * 3600
    now = Beat(booted_at + 900, 900.0, 900.0, "new boot")
    assert not_running(last, now, last_input_at=now.wall - 2) == GuardNote(
        "not_running", booted_at, booted_at + 900
    )
    soon = Beat(booted_at + 60, 60.0, 60.0, "new boot")
    assert not_running(last, soon, last_input_at=soon.wall) is None, "started with the login"


def test_without_a_boot_id_a_monotonic_clock_running_backwards_means_a_restart() -> None:
    last = Beat(T, 50_000.0)
    now = Beat(T + 86_400, 1_000.0)
    assert not_running(last, now, last_input_at=now.wall) == GuardNote(
        "not_running", T + 86_400 - 1_000, T + 86_400
    )


def test_a_wall_clock_set_back_meanwhile_says_no_gap() -> None:
    last = Beat(T, 5_000.0, 5_000.0, BOOT)
    now = Beat(T - 100, 5_900.0, 5_900.0, BOOT)
    assert not_running(last, now, last_input_at=now.wall) is None


def test_first_run_ever_has_nothing_to_compare_with() -> None:
    assert not_running(None, Beat(T, 1.0), last_input_at=T) is None


def test_a_clock_set_forward_is_said_with_how_far_and_a_suspend_is_not() -> None:
    assert clock_step(T, 3600.0, 1.0, 1.0) == GuardNote("clock_step", T, T, 3599.0)
    assert clock_step(T, -7200.0, 1.0, 1.0) == GuardNote("clock_step", T, T, -7201.0)
    assert clock_step(T, 3600.0, 1.0, 3600.0) is None, "slept an hour"
    assert clock_step(T, 3600.0, 1.0, None) is None, "no boot clock: cannot tell a sleep"
    assert clock_step(T, 2.5, 1.0, 1.0) is None, "NTP keeping time"


def test_each_stretch_is_told_once() -> None:
    a = GuardNote("not_running", T, T + 600)
    overlapping = GuardNote("not_running", T + 300, T + 900)
    step = GuardNote("clock_step", T + 50, T + 50, 3600.0)
    assert once_each([overlapping, a, step, a, step]) == [
        GuardNote("not_running", T, T + 900),
        step,
    ]


def test_each_kind_is_said_plainly_with_its_local_times() -> None:
    utc = dt.UTC
    at = dt.datetime(2026, 12, 3, 1, 10, tzinfo=utc).timestamp()
    gap = GuardNote("not_running", at, at + 90 * 60)
    assert guard_sentence(ENGLISH, gap, utc) == "nudger was not running from 01:10 to 02:40."
    overnight = GuardNote("not_running", at - 3 * 3600, at)
    assert guard_sentence(ENGLISH, overnight, utc) == (
        "nudger was not running from 2026-12-02 22:10 to 2026-12-03 01:10."
    )
    step = GuardNote("clock_step", at, at, -7200.0)
    assert guard_sentence(ENGLISH, step, utc) == (
        "The computer's clock was set back by 2 h 00 min at 01:10."
    )
    loosened = GuardNote("loosened", at, at)
    assert guard_sentence(ENGLISH, loosened, utc) == "A loosening was applied at 01:10."


def test_the_companion_off_is_said_with_its_browser_and_its_times() -> None:
    utc = dt.UTC
    at = dt.datetime(2026, 12, 3, 1, 10, tzinfo=utc).timestamp()
    off = companion_off_note("firefox-esr", at, at + 90 * 60)
    assert off == GuardNote("companion_off", at, at + 90 * 60, 0.0, "firefox-esr")
    assert guard_sentence(ENGLISH, off, utc) == (
        "The companion in Firefox was off from 01:10 to 02:40."
    )
    chromium = GuardNote("companion_off", at, at + 60, 0.0, "chromium")
    assert guard_sentence(ENGLISH, chromium, utc).startswith("The companion in Chromium was off")


def test_the_companion_off_counts_only_in_front_in_use_and_long_enough() -> None:
    off = {4242: "chromium"}
    assert companion_off_in_front(4242, 3.0, off) == "chromium"
    assert companion_off_in_front(4243, 3.0, off) is None  # another window in front
    assert companion_off_in_front(None, 3.0, off) is None
    assert companion_off_in_front(4242, 600.0, off) is None  # nobody at the computer
    assert companion_off_note("chromium", T, T + 10) is None  # an update reloading it


def test_a_companion_off_told_once_per_browser() -> None:
    a = GuardNote("companion_off", T, T + 100, 0.0, "chromium")
    longer = GuardNote("companion_off", T + 50, T + 200, 0.0, "chromium")
    other = GuardNote("companion_off", T + 60, T + 90, 0.0, "firefox-esr")
    assert once_each([longer, a, other]) == [
        GuardNote("companion_off", T, T + 200, 0.0, "chromium"),
        other,
    ]
