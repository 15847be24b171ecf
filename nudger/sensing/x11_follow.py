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


class FocusFollower:
    def __init__(self, display_name: str) -> None:
        self._connection = display.Display(display_name)
        # A window can vanish between a focus change and our request to follow it; the BadWindow
        # comes back later, unasked. It is expected, and python-xlib would print it to stderr.
        self._connection.set_error_handler(_ignore)
        self._reader = WindowReader(self._connection, display_name)
        self._glances = GlanceBuffer()
        self._stopping = threading.Event()
        self._wakeup = Wakeup()
        self._followed = 0
        self._reader.root.change_attributes(event_mask=X.PropertyChangeMask)
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
        with contextlib.suppress(*CONNECTION_ERRORS):
            self._connection.close()

    def _run(self) -> None:
        try:
            while not self._stopping.is_set():
                if not self._events_within(None):
                    continue
                # The first change of a burst is read at once, so its glance carries the moment
                # it happened and is there for the very next sample.
                if self._drain():
                    self._record(time.time())
                # What follows within the settle time (a focus change, then the new window's
                # title; a title set twice) is read once, at its end.
                later: float | None = None
                settled_at = time.monotonic() + _SETTLE_SECONDS
                while (left := settled_at - time.monotonic()) > 0 and not self._stopping.is_set():
                    if self._events_within(left):
                        arrived = time.time()
                        if self._drain() and later is None:
                            later = arrived
                if later is not None and not self._stopping.is_set():
                    self._record(later)
        except CONNECTION_ERRORS as error:
            if not self._stopping.is_set():
                log.debug("stopped following focus changes: the X connection closed (%s)", error)
        except Exception:  # a bug here must not take the daemon down: polling carries on
            log.exception("stopped following focus changes; sampling goes on without it")

    def _events_within(self, timeout: float | None) -> bool:
        """True when X events are waiting (or arrive within `timeout`); False when woken to stop."""
        if self._connection.pending_events():  # python-xlib may have queued some already
            return True
        readable, _, _ = select.select(
            [self._connection.fileno(), self._wakeup.fd], [], [], timeout
        )
        return self._wakeup.fd not in readable and bool(readable)

    def _drain(self) -> bool:
        """Read every queued event. True when one of them may have changed what is in front."""
        changed = False
        while self._connection.pending_events():
            event = self._connection.next_event()
            if event.type != X.PropertyNotify:
                continue
            if event.window.id == self._reader.root.id:
                changed |= event.atom == self._reader.net_active_window
            elif event.window.id == self._followed:
                changed |= event.atom in (self._reader.net_wm_name, Xatom.WM_NAME)
        return changed

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
        if self._followed:
            old = self._connection.create_resource_object("window", self._followed)
            old.change_attributes(event_mask=X.NoEventMask)
        if wid:
            new = self._connection.create_resource_object("window", wid)
            new.change_attributes(event_mask=X.PropertyChangeMask)
        self._followed = wid
        self._connection.flush()


def _ignore(*_details: Any) -> None:
    return None
