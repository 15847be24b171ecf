"""Following focus and title changes on X11 as they happen, so a glance between two samples counts.

Checking a profile often takes less than a second: switch to the tab, look, switch back. Polling
alone sees that only when a sample happens to land on it. This thread asks the X server for
PropertyNotify events on the root window (the active window changed) and on the active window
(its title changed: switching a browser tab changes only the title), reads the window at the first
event of a burst and once more when the burst has settled, and keeps each change as a Glance
for the sensor's next reading.

It has its own connection (a python-xlib connection must not be shared between threads) and a
pipe to wake it for shutdown. The sampler stays the source of truth: if this thread stops, the
glances stop and the polling goes on as before.
"""

from __future__ import annotations

import contextlib
import logging
import select
import threading
import time
from typing import Any

from Xlib import X, Xatom, display

from nudger.sensing.base import Glance, Window
from nudger.sensing.listening import GlanceBuffer, Wakeup
from nudger.sensing.x11_window import CONNECTION_ERRORS, WindowReader

log = logging.getLogger(__name__)

# Events this close after the first of a burst are one change (a title set twice, a focus change
# and then the new window's title). It also caps the work at twenty reads a second when a title
# never stops changing.
_SETTLE_SECONDS = 0.1
# More title changes than this within one settle time is a window retitling itself in a loop
# (a hostile or broken program: 70,000 a second were seen). Its title events are then switched
# off for a while: every event would otherwise be queued in this process faster than it can be
# read, and memory would grow without bound. Sampling still reads its title every second.
_FLOOD_EVENTS = 200
_MUTE_SECONDS = 2.0


class FocusFollower:
    def __init__(self, display_name: str) -> None:
        # Two connections: one that only receives events, and one that only asks questions. A
        # reply comes after every event the server queued before it; on the event connection,
        # one question during a flood would pull the whole backlog into memory first.
        self._connection = display.Display(display_name)
        self._questions = display.Display(display_name)
        # A window can vanish between a focus change and our request to follow it; the BadWindow
        # comes back later, unasked. It is expected, and python-xlib would print it to stderr.
        self._connection.set_error_handler(_ignore)
        self._reader = WindowReader(self._questions, display_name)
        self._glances = GlanceBuffer()
        self._stopping = threading.Event()
        self._wakeup = Wakeup()
        self._followed = 0
        self._listening = 0  # the window whose title events are selected (0 while muted)
        self._muted_until: float | None = None
        self._connection.screen().root.change_attributes(event_mask=X.PropertyChangeMask)
        self._follow(self._reader.active_id())
        self._last: Window | None = self._reader.active_window()
        self._thread = threading.Thread(target=self._run, name="nudger-x11-follow", daemon=True)
        self._thread.start()

    def take(self) -> tuple[Glance, ...]:
        """The changes since the last call, oldest first."""
        return self._glances.take()

    def close(self) -> None:
        self._stopping.set()
        self._wakeup.stop(self._thread)
        for connection in (self._connection, self._questions):
            with contextlib.suppress(*CONNECTION_ERRORS):
                connection.close()

    def _run(self) -> None:
        try:
            while not self._stopping.is_set():
                self._unmute_if_due()
                if self._events_within(self._time_to_unmute()):
                    self._burst()
        except CONNECTION_ERRORS as error:
            if not self._stopping.is_set():
                log.debug("stopped following focus changes: the X connection closed (%s)", error)
        except Exception:  # a bug here must not take the daemon down: polling carries on
            log.exception("stopped following focus changes; sampling goes on without it")

    def _burst(self) -> None:
        """Events are waiting: read the first change at once, the rest once they settle."""
        # The first change of a burst is read at once, so its glance carries the moment it
        # happened and is there for the very next sample.
        changed, titles = self._drain()
        if changed:
            self._record(time.time())
        # What follows within the settle time (a focus change, then the new window's title; a
        # title set twice) is read once, at its end.
        later: float | None = None
        settled_at = time.monotonic() + _SETTLE_SECONDS
        while (left := settled_at - time.monotonic()) > 0 and not self._stopping.is_set():
            if self._events_within(left):
                arrived = time.time()
                more, retitled = self._drain()
                titles += retitled
                if more and later is None:
                    later = arrived
        if titles > _FLOOD_EVENTS:
            self._mute()
        if later is not None and not self._stopping.is_set():
            self._record(later)

    def _events_within(self, timeout: float | None) -> bool:
        """True when X events are waiting (or arrive within `timeout`); False when woken to stop."""
        if self._connection.pending_events():  # python-xlib may have queued some already
            return True
        readable, _, _ = select.select(
            [self._connection.fileno(), self._wakeup.fd], [], [], timeout
        )
        return self._wakeup.fd not in readable and bool(readable)

    def _drain(self) -> tuple[bool, int]:
        """Take every event queued so far. Returns whether one of them may have changed what is
        in front, and how many were title changes.

        pending_events() reads one more chunk from the socket (up to thousands of events) each
        time it is called: asked once per event taken, in a flood it would queue events far
        faster than they are taken off, and memory would grow without bound. So it is asked once,
        and exactly what it queued is taken."""
        changed = False
        titles = 0
        for _ in range(self._connection.pending_events()):
            event = self._connection.next_event()
            if event.type != X.PropertyNotify:
                continue
            if event.window.id == self._reader.root.id:
                changed |= event.atom == self._reader.net_active_window
            elif event.window.id == self._followed and event.atom in (
                self._reader.net_wm_name,
                Xatom.WM_NAME,
            ):
                changed = True
                titles += 1
        return changed, titles

    def _record(self, at: float) -> None:
        wid = self._reader.active_id()
        if wid != self._followed:
            self._follow(wid)
        window = self._reader.active_window()
        if window != self._last:
            self._last = window
            self._glances.add(at, window)

    def _follow(self, wid: int) -> None:
        """Hear about title changes of window `wid` (and stop hearing about the one before)."""
        self._followed = wid
        self._select_titles(0 if self._muted_until is not None else wid)

    def _select_titles(self, wid: int) -> None:
        if self._listening and self._listening != wid:
            old = self._connection.create_resource_object("window", self._listening)
            old.change_attributes(event_mask=X.NoEventMask)
        if wid and wid != self._listening:
            new = self._connection.create_resource_object("window", wid)
            new.change_attributes(event_mask=X.PropertyChangeMask)
        self._listening = wid
        self._connection.flush()

    def _mute(self) -> None:
        if self._muted_until is None:
            log.info(
                "a window changes its title hundreds of times a second; its title is sampled "
                "instead of followed for %.0f s",
                _MUTE_SECONDS,
            )
        self._muted_until = time.monotonic() + _MUTE_SECONDS
        self._select_titles(0)

    def _time_to_unmute(self) -> float | None:
        return None if self._muted_until is None else max(0.0, self._muted_until - time.monotonic())

    def _unmute_if_due(self) -> None:
        if self._muted_until is not None and time.monotonic() >= self._muted_until:
            self._muted_until = None
            self._follow(self._reader.active_id())


def _ignore(*_details: Any) -> None:
    return None
