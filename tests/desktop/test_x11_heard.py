"""What the X11 follower asks the server, and what it can skip, on a real X server (issue 34).

Someone checking a profile switches between the same few windows: a switch back to a recent
window asks only which window is in front (its title and its program are known while nothing
says they changed), and a sample of a follower that has read everything needs no marker. Neither
may cost the truth: a title changed behind the front, or a window that came or went, is read
again, and a change made before a sample is in it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from Xlib import display

from nudger.sensing.base import Window
from nudger.sensing.x11 import X11Sensor
from nudger.sensing.x11_follow import FocusFollower
from nudger.sensing.x11_heard import HeardWindows
from tests.desktop.rig import AppWindow, Desktop, wait_until

pytestmark = [pytest.mark.desktop]


@pytest.fixture
def sensor(desktop: Desktop) -> Iterator[X11Sensor]:
    running = X11Sensor(desktop.env["DISPLAY"])
    yield running
    running.close()


def follower_of(sensor: X11Sensor) -> FocusFollower:
    follower = sensor._follower
    assert follower is not None and follower.alive
    return follower


def in_front(follower: FocusFollower) -> Window | None:
    return follower.take_with_window()[1]


def switch_and_wait(desktop: Desktop, follower: FocusFollower, window: AppWindow) -> Window:
    desktop.switch_to(window)
    wait_until(
        lambda: (seen := in_front(follower)) is not None and seen.title == window.title,
        30,
        lambda: f"the follower to read {window.title!r} in front (read: {in_front(follower)})",
    )
    front = in_front(follower)
    assert front is not None
    return front


def retitle_and_wait(
    desktop: Desktop, follower: FocusFollower, window: AppWindow, title: str
) -> None:
    """Retitle the window in front, and wait for the follower to read the new title."""
    desktop.retitle(window, title)
    wait_until(
        lambda: (seen := in_front(follower)) is not None and seen.title == title,
        30,
        lambda: f"the front window's new title {title!r} to be read (read: {in_front(follower)})",
    )


def count_calls(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[int]:
    """Count the calls of one of nudger's own methods on `owner` (it still does its work)."""
    calls: list[int] = []
    original: Callable[..., Any] = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def test_a_switch_back_to_a_recent_window_asks_only_which_window_is_in_front(
    desktop: Desktop, sensor: X11Sensor, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes = desktop.open_xterm("notes.txt")
    profile = desktop.open_xterm("Alex Doe (@alexdoe) - chat")
    follower = follower_of(sensor)
    for window in (notes, profile, notes, profile):  # each read once while heard
        switch_and_wait(desktop, follower, window)
    reader = follower._reader
    titles = count_calls(monkeypatch, reader, "_title")
    pids = count_calls(monkeypatch, reader, "_pid")

    for window in (notes, profile, notes, profile):
        assert switch_and_wait(desktop, follower, window).title == window.title
    assert (len(titles), len(pids)) == (0, 0)

    # A window that comes (or goes) changes the client list: every window is read again once,
    # since an id may now be another window's.
    desktop.open_xterm("another.txt")
    switch_and_wait(desktop, follower, notes)
    assert len(titles) >= 1 and len(pids) >= 1


def test_a_title_changed_behind_the_front_is_read_when_its_window_comes_back(
    desktop: Desktop, sensor: X11Sensor
) -> None:
    notes = desktop.open_xterm("notes.txt")
    browser = desktop.open_xterm("Recipes - Chromium")
    follower = follower_of(sensor)
    for window in (notes, browser, notes, browser, notes):  # each title known by now
        switch_and_wait(desktop, follower, window)

    desktop.retitle(browser, "Alex Doe (@alexdoe) - Instagram - Chromium")
    desktop.switch_to(browser)
    # The first reading of that window after the switch already has its new title.
    wait_until(
        lambda: (seen := in_front(follower)) is not None and seen.pid == browser.process.pid,
        30,
        lambda: f"the follower to read the switch (read: {in_front(follower)})",
    )
    front = in_front(follower)
    assert front is not None and front.title == "Alex Doe (@alexdoe) - Instagram - Chromium"
    # And the title of the window in front is followed as before.
    retitle_and_wait(desktop, follower, browser, "Recipes - Chromium")


def test_a_follower_that_has_read_everything_needs_no_marker_and_misses_no_change(
    desktop: Desktop, sensor: X11Sensor, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes = desktop.open_xterm("notes.txt")
    follower = follower_of(sensor)
    switch_and_wait(desktop, follower, notes)
    sensor.read()
    # The switch made the follower ask the server to hear the new window: one marker says the
    # server has processed that (until then it may hold the follower's events back).
    assert follower.caught_up(0.5, fenced=True) is not None
    wait_until(
        lambda: follower._resting and follower._marks.all_processed,
        30,
        "the follower to rest with its requests processed",
    )
    markers = count_calls(monkeypatch, follower._marks, "request_and_wait")

    # Nothing happens: the follower rests, and vouching for it costs no marker.
    for _ in range(10):
        assert follower.caught_up(0.5, fenced=True) is not None
    assert markers == []

    # A change made (and done, on the server) just before a sample is always in it: either the
    # follower has read it, or it is busy with it and the sample waits for a marker.
    for turn in range(20):
        title = f"notes {turn}.txt"
        desktop.retitle(notes, title)  # returns once the server has made the change
        reading = sensor.read()
        assert reading.window is not None and reading.window.title == title, turn


def test_a_window_id_taken_by_a_new_window_is_read_and_followed_afresh(
    desktop: Desktop, sensor: X11Sensor
) -> None:
    """Xorg gives a new client the ids of a client that closed: a new window can have the id of
    a window heard before. Its title is read afresh, and its title changes are heard (the
    selection made on the old window died with it)."""
    other = desktop.open_xterm("other.txt")
    notes = desktop.open_xterm("notes.txt")
    follower = follower_of(sensor)
    for window in (notes, other, notes, other):  # the notes window heard, its title known
        switch_and_wait(desktop, follower, window)

    notes.process.terminate()
    notes.process.wait(timeout=10)
    wait_until(lambda: desktop._find_window("notes.txt") == 0, 30, "the notes window to close")
    chat = desktop.open_xterm("Alex Doe (@alexdoe) - chat")
    assert chat.wid == notes.wid, "this server did not give the new window the old one's id"

    assert switch_and_wait(desktop, follower, chat).title == chat.title
    retitle_and_wait(desktop, follower, chat, "Recipes")  # its title changes are heard


def test_a_late_sample_the_follower_cannot_vouch_for_brings_back_the_poll_pace(
    desktop: Desktop, sensor: X11Sensor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Samples seconds apart are whole only because the stream vouches for the gaps between them
    (core.tracking). A starved follower that does not answer in time cannot: the sensor then
    says it does not follow events, and the daemon samples at the poll pace for a while."""
    notes = desktop.open_xterm("notes.txt")
    profile = desktop.open_xterm("Alex Doe (@alexdoe) - chat")
    follower = follower_of(sensor)
    switch_and_wait(desktop, follower, notes)
    sensor.read()
    assert sensor.follows_events

    burst = follower._burst

    def starved_burst() -> None:
        time.sleep(1.0)  # longer than a late read waits for the follower
        burst()

    monkeypatch.setattr(follower, "_burst", starved_burst)
    time.sleep(1.5)  # the next read comes late
    desktop.switch_to(profile)  # the follower is busy with it when the read asks
    reading = sensor.read()
    assert reading.followed_since is None
    assert not sensor.follows_events


def test_a_title_read_right_after_its_window_was_first_heard_is_not_kept(
    desktop: Desktop,
) -> None:
    """The selection goes out on one connection and the read on another: a title change in
    between would be heard by nobody, so only a read that began a moment after the window was
    first heard keeps its title."""
    notes = desktop.open_xterm("notes.txt")
    connection = display.Display(desktop.display_name)
    try:
        heard = HeardWindows(connection, client_list_kept=True, on_request=lambda: None)
        heard.hear(notes.wid)
        heard.keep_title(notes.wid, "notes.txt", time.monotonic())
        assert heard.known_title(notes.wid) is None
        heard.keep_title(notes.wid, "notes.txt", time.monotonic() + 0.06)  # a later read
        assert heard.known_title(notes.wid) == "notes.txt"
        heard.title_changed(notes.wid)
        assert heard.known_title(notes.wid) is None
    finally:
        connection.close()
