"""Following focus and title changes on X11 as they happen, so a glance between two samples counts.

Checking a profile often takes less than a second: switch to the tab, look, switch back. Polling
alone sees that only when a sample happens to land on it. This thread asks the X server for
PropertyNotify events on the root window (the active window changed) and on the active window
(its title changed: switching a browser tab changes only the title) and the few before it (see
x11_heard), reads the window once a burst of events has settled, dated at the burst's first
change, and keeps each change as a Glance for the sensor's next reading.

It has its own connection (a python-xlib connection must not be shared between threads) and a
pipe to wake it for shutdown. The sampler stays the source of truth: if this thread stops, the
glances stop and the polling goes on as before.

**Time comes from the server.** Every event carries the X server's timestamp, so a change is
dated when it happened, even when this process was stopped or starved and reads it seconds later.
The server's millisecond clock is tied to ours by a marker: a property change on a window of our
own, whose event comes back with the server's time of that moment.

**A checkpoint vouches for a gap.** When a sample comes late, the sensor asks for a marker and
waits for its event: the server sends events in order, so once the marker is read, every change
before it has been read too. The sensor can then say that the stream was followed without a break
(see core.tracking): a stall with no change in it is time on what stayed in front.
"""

from __future__ import annotations

import contextlib
import logging
import select
import threading
import time
from collections.abc import Callable
from typing import Any

from Xlib import X, Xatom, display

from nudger.core.translate import N_
from nudger.sensing.base import Glance, Window
from nudger.sensing.listening import GlanceBuffer, Wakeup
from nudger.sensing.x11_heard import HeardWindows
from nudger.sensing.x11_marks import Marks
from nudger.sensing.x11_window import CONNECTION_ERRORS, WindowReader

log = logging.getLogger(__name__)

# Events this close after the first of a burst are one change (a title set twice, a focus change
# and then the new window's title). It also caps the work at ten reads a second when a title
# never stops changing.
_SETTLE_SECONDS = 0.1
# More title changes than this within one settle time is a window retitling itself in a loop
# (a hostile or broken program: 70,000 a second were seen). Its title events are then switched
# off for a while: every event would otherwise be queued in this process faster than it can be
# read, and memory would grow without bound. Sampling still reads its title every second.
_FLOOD_EVENTS = 200
_MUTE_SECONDS = 2.0
# The server's timestamps are 32-bit milliseconds that wrap every 49.7 days.
_SERVER_TIME_WRAP = 1 << 32
# An event older than this by the server's clock is a clock we misread, not a real delay.
_LONGEST_DELAY_SECONDS = 3600.0


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
        self._lock = threading.Lock()
        # Told of each change as it is kept, with the window now in front.
        self.on_change: Callable[[Window | None], None] | None = None
        self._stopping = threading.Event()
        self._wakeup = Wakeup()
        self._followed = 0
        self._resting = False  # waiting for events with none unread (see _quiet)
        self._woken = 0  # how many times this thread stopped resting
        self._muted_until: float | None = None
        # Since when nothing has been in front, until it has lasted long enough to keep.
        self._nothing_since: float | None = None
        self._nothing_due: float | None = None
        self._marks = Marks(self._connection)
        self._server_clock = self._marks.calibrate()
        self._heard = HeardWindows(
            self._connection,
            client_list_kept=self._reader.keeps_client_list(),
            on_request=self._marks.note_request,
        )
        # Since when every change has been followed (None while title events are muted).
        self._since: float | None = time.time()
        self._connection.screen().root.change_attributes(event_mask=X.PropertyChangeMask)
        self._marks.note_request()
        self._follow(self._reader.active_id())
        self._last: Window | None = self._reader.active_window()
        self._thread = threading.Thread(target=self._run, name="nudger-x11-follow", daemon=True)
        self._thread.start()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def behind(self, window: Window | None) -> bool:
        """True when `window`, read in front just now, is not the last window this thread read:
        a change is waiting to be read (or is being read). Only while following."""
        return self.alive and self._since is not None and window != self._last

    def take_with_window(self) -> tuple[tuple[Glance, ...], Window | None]:
        """The changes since the last call, and the window this thread read in front last
        (what is in front now, once caught_up() said so). Taken together: a change read
        between the two would otherwise show as the window going back to the older one."""
        with self._lock:
            return self._glances.take(), self._last

    def caught_up(self, timeout: float, *, fenced: bool = False) -> float | None:
        """Make sure every change made before now has been read into the glances.

        `fenced`: the caller has just had an answer from the server on a connection of its own.
        Then, if this thread rests on an empty queue with nothing waiting on its socket, it has
        read everything already (see `_quiet`), and no marker is needed.

        Returns since when the stream has been followed without a break, or None when that
        cannot be vouched for (muted, stopped, or no answer within `timeout`)."""
        if not self._thread.is_alive():
            return None
        since = self._since
        if since is None:
            return None
        if not (fenced and self._quiet()) and not self._marks.request_and_wait(timeout):
            return None
        if self._nothing_since is not None:
            return None  # nothing in front for a moment: not settled yet (see _record)
        # A mute that began while we waited broke the chain.
        return since if self._since == since else None

    def _quiet(self) -> bool:
        """True when every event on this thread's connection has been read and recorded.

        X servers write out all their clients' pending output together before they wait again,
        so once the caller has had an answer on its own connection, the events of every change
        made before its request are on this socket. Not a promise of the protocol, which orders
        only each connection: it holds for a local server (the sensor uses it only there) whose
        requests from this thread have all been processed (Xorg holds back the output of a
        client whose requests wait to be read: see x11_marks). When this thread then rests
        (waiting on an empty queue) and the socket holds nothing, every event has been read;
        a wake-up in between (counted) means it is busy with them. A marker costs both threads
        a wake-up and a request: this check costs one non-blocking select. Should it ever be
        wrong, a change made within the same millisecond as a sample counts from the next one.
        """
        woken = self._woken
        if not self._resting or not self._marks.all_processed:
            return False
        waiting, _, _ = select.select([self._connection.fileno()], [], [], 0)
        return not waiting and self._resting and self._woken == woken

    def close(self) -> None:
        self._stopping.set()
        self._wakeup.stop(self._thread)
        self._marks.close()
        for connection in (self._connection, self._questions):
            with contextlib.suppress(*CONNECTION_ERRORS):
                connection.close()

    def _run(self) -> None:
        try:
            while not self._stopping.is_set():
                self._unmute_if_due()
                self._keep_nothing_if_due()
                if self._events_within(self._next_timeout()):
                    self._burst()
        except CONNECTION_ERRORS as error:
            if not self._stopping.is_set():
                log.debug("stopped following focus changes: the X connection closed (%s)", error)
        except Exception:  # a bug here must not take the daemon down: polling carries on
            log.exception(N_("stopped following focus changes; sampling goes on without it"))

    def _burst(self) -> None:
        """Events are waiting: read what is in front once they settle, dated at the first."""
        first = self._drain()
        if first.changed_at is None and not first.stirred:
            self._marks.answered(first.marks)  # only markers (or nothing we follow)
            return
        # A switch is a burst (openbox restacks the windows, then sets the active window twice,
        # and the new window's title may follow): the rest of it is taken in one drain once it
        # has settled, the window is read once, at its end, and its glance carries the moment
        # the first change was made on the server. A sample that asks for a checkpoint
        # meanwhile is answered at the end of the burst.
        self._settle(time.monotonic() + _SETTLE_SECONDS)
        rest = self._drain()
        titles, marks = first.titles + rest.titles, first.marks + rest.marks
        if titles > _FLOOD_EVENTS:
            self._mute()
        changed_at = _moment_of(first, rest)
        if changed_at is not None and not self._stopping.is_set():
            self._record(changed_at)
        # Only now is every change before the markers in the glances.
        self._marks.answered(marks)

    def _settle(self, until: float) -> None:
        """Wait until `until` without reading events (they queue on the socket meanwhile),
        sending markers as they are asked for."""
        while (left := until - time.monotonic()) > 0 and not self._stopping.is_set():
            readable, _, _ = select.select([self._wakeup.fd, self._marks.fd], [], [], left)
            if self._wakeup.fd in readable:
                return
            if self._marks.fd in readable:
                self._marks.send()

    def _events_within(self, timeout: float | None) -> bool:
        """True when X events are waiting (or arrive within `timeout`); False when woken to stop.

        A request for a marker is sent from here, on this thread, which owns the connection."""
        while True:
            if self._connection.pending_events():  # python-xlib may have queued some already
                return True
            watched = [self._connection.fileno(), self._wakeup.fd, self._marks.fd]
            # Resting on an empty queue: nothing read is left unrecorded (see _quiet).
            self._resting = True
            try:
                readable, _, _ = select.select(watched, [], [], timeout)
            finally:
                self._resting = False
                self._woken += 1
            if self._wakeup.fd in readable:
                return False
            if self._marks.fd in readable:
                self._marks.send()
                continue
            return bool(readable)

    def _drain(self) -> _Drained:
        """Take every event queued so far: whether and when one of them may have changed what is
        in front, how many were title changes, and how many were our markers.

        pending_events() reads one more chunk from the socket (up to thousands of events) each
        time it is called: asked once per event taken, in a flood it would queue events far
        faster than they are taken off, and memory would grow without bound. So it is asked once,
        and exactly what it queued is taken."""
        drained = _Drained()
        reader = self._reader
        for _ in range(self._connection.pending_events()):
            event = self._connection.next_event()
            if event.type != X.PropertyNotify:
                continue
            if self._marks.is_mark(event):
                self._marks.read_one()
                drained.marks += 1
                self._server_clock = (event.time, time.monotonic())
                continue
            wid = event.window.id
            if wid == reader.root.id:
                drained.stirred = True  # the window manager is at work: a switch may follow
                if event.atom == reader.net_active_window:
                    drained.saw_change(self._wall_time_of(event.time), switch=True)
                elif event.atom == reader.net_client_list and self._muted_until is None:
                    self._heard.forget(self._followed)
            elif wid != self._followed:
                self._heard.drop(wid)  # a window behind the front changed something
            elif event.atom in (reader.net_wm_name, Xatom.WM_NAME):
                self._heard.title_changed(wid)
                drained.saw_change(self._wall_time_of(event.time))
                drained.titles += 1
        return drained

    def _wall_time_of(self, server_ms: int) -> float:
        """When an event happened, by our wall clock, from the server's timestamp on it."""
        base_ms, base_mono = self._server_clock
        now_ms = base_ms + (time.monotonic() - base_mono) * 1000
        age = ((now_ms - server_ms) % _SERVER_TIME_WRAP) / 1000
        if age > _LONGEST_DELAY_SECONDS:
            age = 0.0  # a timestamp from just after our estimate of "now": it is fresh
        return time.time() - age

    def _record(self, at: float, *, nothing_counts: bool = False) -> None:
        wid = self._reader.active_id()
        if wid != self._followed:
            self._follow(wid)
        heard = self._heard
        read_at = time.monotonic()
        window = self._reader.active_window(
            wid, heard.known_title(wid), same_window=heard.same_window(wid)
        )
        if window is None and not nothing_counts:
            # Window managers clear the active window for a moment during a switch (openbox
            # does, sometimes back onto the same window): that moment is no visit's end. It is
            # kept, dated when it began, only once it lasts a settle time with no change.
            if self._nothing_since is None:
                self._nothing_since = at
                self._nothing_due = time.monotonic() + _SETTLE_SECONDS
            return
        if window is not None:
            heard.keep_title(wid, window.title, read_at)
        self._nothing_since = self._nothing_due = None
        if window != self._last:
            with self._lock:  # the window and its glance together (see take_with_window)
                self._last = window
                self._glances.add(at, window)
            if self.on_change is not None:
                self.on_change(window)

    def _follow(self, wid: int) -> None:
        """Hear about title changes of window `wid` (the windows before it stay heard until
        they change something: see x11_heard)."""
        self._followed = wid
        if self._muted_until is None:
            self._heard.hear(wid)

    def _mute(self) -> None:
        self._since = None
        if self._muted_until is None:
            log.info(
                N_(
                    "a window changes its title hundreds of times a second; its title is sampled "
                    "instead of followed for %.0f s"
                ),
                _MUTE_SECONDS,
            )
        self._muted_until = time.monotonic() + _MUTE_SECONDS
        self._heard.drop_all()

    def _next_timeout(self) -> float | None:
        """How long to wait for events before an unmute or a moment of nothing in front is due."""
        due = [t for t in (self._muted_until, self._nothing_due) if t is not None]
        return max(0.0, min(due) - time.monotonic()) if due else None

    def _keep_nothing_if_due(self) -> None:
        since = self._nothing_since
        if (
            since is not None
            and self._nothing_due is not None
            and time.monotonic() >= self._nothing_due
        ):
            self._record(since, nothing_counts=True)

    def _unmute_if_due(self) -> None:
        if self._muted_until is not None and time.monotonic() >= self._muted_until:
            self._muted_until = None
            wid = self._reader.active_id()
            self._follow(wid)
            # The title changed unfollowed meanwhile (samples read it): what this thread says is
            # in front must be true again before it vouches for anything.
            window = self._reader.active_window(wid)
            with self._lock:
                self._last = window
            self._since = time.time()


class _Drained:
    """What one drain of the event queue found."""

    __slots__ = ("changed_at", "marks", "stirred", "switched_at", "titles")

    def __init__(self) -> None:
        self.changed_at: float | None = None  # when the first change in it happened
        self.switched_at: float | None = None  # when the first change of the active window did
        self.titles = 0
        self.marks = 0
        self.stirred = False  # a property of the root window changed

    def saw_change(self, at: float, *, switch: bool = False) -> None:
        if self.changed_at is None:
            self.changed_at = at
        if switch and self.switched_at is None:
            self.switched_at = at


def _moment_of(first: _Drained, rest: _Drained) -> float | None:
    """When the change a burst ends in happened: its first switch of the active window (the
    window read at its end came to the front then; a title the window before it changed a
    moment earlier is not its moment), or else its first title change."""
    for moment in (first.switched_at, rest.switched_at, first.changed_at, rest.changed_at):
        if moment is not None:
            return moment
    return None


def _ignore(*_details: Any) -> None:
    return None
