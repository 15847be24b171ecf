"""The X11 backend: the window in front and idle time, sampled, plus the changes in between.

Samples come from one long-lived connection (see x11_window). A FocusFollower on a second
connection catches the windows and tabs that were in front only between two samples.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Callable
from typing import TypeVar

from Xlib import display, error

from nudger.core.translate import N_, Said
from nudger.sensing.base import Reading, SensorUnavailable, Window
from nudger.sensing.listening import Vouching
from nudger.sensing.x11_follow import FocusFollower
from nudger.sensing.x11_window import CONNECTION_ERRORS, WindowReader

log = logging.getLogger(__name__)

_Answer = TypeVar("_Answer")

# A read this long after the previous one came late (the sampler stalled or was starved): the
# follower is asked to vouch for the gap. On time, the pulse bridges it and no marker is needed.
_LATE_AFTER_SECONDS = 1.25
# How long a late read waits for the follower to catch up with the event stream.
_CATCH_UP_SECONDS = 0.5
# Between focus events, how often a read asks the server itself rather than the follower.
CONFIRM_SECONDS = 10.0
# An idle time read this long before the end of a read is read again (the read waited).
_IDLE_FRESH_SECONDS = 0.05


class X11Sensor:
    name = "x11"

    def __init__(self, display_name: str | None = None) -> None:
        self._display_name = display_name or os.environ.get("DISPLAY")
        if not self._display_name:
            raise SensorUnavailable(
                Said(N_("DISPLAY is not set, so there is no X server to watch"))
            )
        try:
            self._display = display.Display(self._display_name)
        except (*CONNECTION_ERRORS, error.XError) as exc:
            raise SensorUnavailable(
                Said(
                    N_("cannot open X display {display_name}: {exc}"),
                    {"display_name": self._display_name, "exc": exc},
                )
            ) from None
        self._reader = WindowReader(self._display, self._display_name)
        if not self._reader.has_idle:
            log.warning(
                N_("this X server has no MIT-SCREEN-SAVER extension; idle time is not known")
            )
        self._follower: FocusFollower | None = None
        self._last_read: float | None = None
        self._confirmed_at = -CONFIRM_SECONDS  # the first read is the server's own
        self._agrees = False
        # The idle query is a round trip (the fence FocusFollower.caught_up needs) only where the
        # server has the screen saver extension, and a fence only to a local server (a proxy
        # such as ssh's forwards each connection on its own); elsewhere a catch-up sends a marker.
        self._fenced = self._reader.has_idle and _is_local(self._display_name)
        self._vouching = Vouching()
        try:
            self._follower = FocusFollower(self._display_name)
        except (*CONNECTION_ERRORS, error.XError) as exc:
            log.info(N_("cannot follow focus changes as they happen (%s); sampling only"), exc)

    @property
    def follows_events(self) -> bool:
        """Focus and title changes are followed as they happen (samples only confirm them)."""
        return self._follower is not None and self._follower.alive and self._vouching.relied_on

    def tell_changes(self, call: Callable[[Window | None], None]) -> None:
        """Call `call` with the window now in front (on the follower's thread) whenever a change
        in front is seen."""
        if self._follower is not None:
            self._follower.on_change = call

    def read(self) -> Reading:
        # The idle time first: its answer is also the fence after which the follower's socket
        # holds the events of every change made before it (FocusFollower.caught_up).
        idle = self._read(self._reader.idle_seconds)
        idle_read_at = time.monotonic()
        # Then the follower catches up, then the window is read: a change in between shows as a
        # sample the stream did not report, which the tracker does not bridge.
        followed_since = self._vouch_if_late()
        follower = self._follower
        if follower is not None and self._trusts(follower, followed_since):
            glances, window = follower.take_with_window()
            return Reading(window, self._idle_now(idle, idle_read_at), glances, followed_since)
        window = self._read(self._reader.active_window)
        self._confirmed_at = time.monotonic()
        if follower is None:
            return Reading(window, idle, (), followed_since)
        if followed_since is None and follower.behind(window):
            # Something changed in front that the follower has yet to read (a busy machine
            # starves its thread): wait for it, so the change keeps its own moment. Taken
            # without it, this sample would date the change, late, and the follower's own
            # record of it would come after this sample and be dropped.
            follower.caught_up(_CATCH_UP_SECONDS, fenced=self._fenced)
        glances, followed_window = follower.take_with_window()
        # A follower that disagrees with the server even once caught up is not trusted until a
        # confirming read finds them agreeing again.
        self._agrees = followed_window == window
        return Reading(window, self._idle_now(idle, idle_read_at), glances, followed_since)

    def _idle_now(self, idle: float, read_at: float) -> float:
        """The idle time as of the end of this read: the one read at its start, unless the read
        then waited for the follower (the sample is dated when the read ends, and the moment
        input stopped is counted back from it)."""
        if time.monotonic() - read_at < _IDLE_FRESH_SECONDS:
            return idle
        return self._read(self._reader.idle_seconds)

    def _read(self, question: Callable[[], _Answer]) -> _Answer:
        try:
            return question()
        except CONNECTION_ERRORS as exc:
            self._reader.forget()
            raise SensorUnavailable(
                Said(
                    N_("lost the X display {display_name}: {exc}"),
                    {"display_name": self._display_name, "exc": exc},
                )
            ) from None

    def _trusts(self, follower: FocusFollower, followed_since: float | None) -> bool:
        """Whether this read may take the window the follower read last instead of asking the
        server (a check of the follower, or at most one marker through the event stream,
        instead of three or four requests): once
        the follower has caught up with every change before now, its window is the one in
        front. Not when it cannot say so (muted, stopped, no answer in time), not when it
        disagreed with the server at the last confirming read, and not when a confirming read
        is due: the events carry the truth, and every CONFIRM_SECONDS a read of the server's
        own confirms them."""
        if not self._agrees or time.monotonic() - self._confirmed_at >= CONFIRM_SECONDS:
            return False
        if followed_since is not None:
            return True
        return follower.caught_up(_CATCH_UP_SECONDS, fenced=self._fenced) is not None

    def _vouch_if_late(self) -> float | None:
        now = time.monotonic()
        late = self._last_read is not None and now - self._last_read > _LATE_AFTER_SECONDS
        self._last_read = now
        if not late or self._follower is None:
            return None
        since = self._follower.caught_up(_CATCH_UP_SECONDS, fenced=self._fenced)
        self._vouching.late_read(since is not None)
        return since

    def close(self) -> None:
        if self._follower is not None:
            self._follower.close()
        # If the server is already gone there is nothing left to close.
        with contextlib.suppress(*CONNECTION_ERRORS):
            self._display.close()


def _is_local(display_name: str) -> bool:
    """The display is reached through a local socket (":0", "unix:0", a socket's path), not
    through TCP (ssh's forwarding shows as "localhost:10")."""
    return display_name.startswith((":", "unix:", "/"))
