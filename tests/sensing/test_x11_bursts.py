"""When a burst of X11 events says its change happened (the follower reads the window once, at
the burst's end, and dates it with one moment)."""

from __future__ import annotations

from nudger.sensing.x11_follow import _Drained, _moment_of


def drained(*changes: tuple[float, bool]) -> _Drained:
    """A drain that saw these changes, in order: (moment, whether it switched the window)."""
    found = _Drained()
    for at, switch in changes:
        found.saw_change(at, switch=switch)
    return found


def test_a_switch_is_dated_at_its_first_change_of_the_active_window() -> None:
    # openbox sets the active window twice; the new window's title may follow.
    assert _moment_of(drained((10.0, True), (10.002, True)), drained((10.05, False))) == 10.0


def test_a_title_the_window_before_changed_a_moment_earlier_is_not_the_switchs_moment() -> None:
    # The window read at the end came to the front at the switch, not at the retitle before it.
    assert _moment_of(drained((10.0, False)), drained((10.09, True))) == 10.09


def test_a_title_change_alone_is_dated_at_its_first_event() -> None:
    assert _moment_of(drained((10.0, False), (10.01, False)), drained()) == 10.0
    assert _moment_of(drained(), drained((10.03, False))) == 10.03


def test_a_burst_of_nothing_we_follow_has_no_moment() -> None:
    assert _moment_of(drained(), drained()) is None
