"""Markers through the X11 follower's event stream, and what the server has processed of it.

A marker is a property change on a window of the follower's own. Its event comes back with the
server's time (which dates every other event) and after every event sent before it (which makes
it a checkpoint). It also says that the server has processed every request the follower sent
before it: until then, the server may hold the follower's events back (Xorg does not write out a
client's output while requests of that client wait to be read), and the follower cannot say that
its socket holds everything (FocusFollower._quiet).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections import deque
from typing import Any

from Xlib import X, Xatom, display


class Marks:
    """Markers through the event stream: a property change on a window of our own.

    Its event comes back with the server's time (which dates every other event) and after every
    event sent before it (which makes it a checkpoint). The sampler asks for one through a pipe;
    the follower thread, which owns the connection, sends it and answers when it has been read.
    """

    def __init__(self, connection: display.Display) -> None:
        self._connection = connection
        root = connection.screen().root
        self._window = root.create_window(
            -1, -1, 1, 1, 0, 0, X.InputOnly, X.CopyFromParent, event_mask=X.PropertyChangeMask
        )
        self._atom = connection.intern_atom("_NUDGER_MARK")
        self.fd, self._request_fd = os.pipe()
        self._condition = threading.Condition()
        self._asked = 0  # markers asked for
        self._sent: deque[int] = deque()  # markers sent, by the number asked for when sent
        self._answered = 0  # markers whose event has been read and whose changes are recorded
        self._requests = 0  # requests sent on the connection since the calibration
        self._processed = 0  # of those, how many the server had processed by the last marker read
        self._put_after: deque[int] = deque()  # the request count after each marker sent

    def calibrate(self) -> tuple[int, float]:
        """The server's time now, and our monotonic time with it (before the thread starts)."""
        self._put()
        while True:
            event = self._connection.next_event()
            if event.type == X.PropertyNotify and self.is_mark(event):
                self.read_one()
                return event.time, time.monotonic()

    def request_and_wait(self, timeout: float) -> bool:
        """Ask for a marker and wait until the follower has read it (from the sampler)."""
        with self._condition:
            self._asked += 1
            wanted = self._asked
        with contextlib.suppress(OSError):
            os.write(self._request_fd, b"m")
        with self._condition:
            return self._condition.wait_for(lambda: self._answered >= wanted, timeout)

    def send(self) -> None:
        """Send one marker for every request so far (on the follower thread)."""
        with contextlib.suppress(OSError):
            os.read(self.fd, 4096)
        with self._condition:
            asked = self._asked
        self._sent.append(asked)
        self._put()

    def is_mark(self, event: Any) -> bool:
        return bool(event.window.id == self._window.id and event.atom == self._atom)

    def read_one(self) -> None:
        """A marker's event was read: every request sent before that marker was processed."""
        if self._put_after:
            self._processed = self._put_after.popleft()

    def note_request(self) -> None:
        """A request other than a marker was sent on the connection (on the follower thread)."""
        self._requests += 1

    @property
    def all_processed(self) -> bool:
        """The server had processed every request sent on the connection by the last marker."""
        return self._processed == self._requests

    def answered(self, count: int) -> None:
        """`count` markers were read, and everything before them recorded."""
        if not count:
            return
        with self._condition:
            for _ in range(count):
                if self._sent:
                    self._answered = self._sent.popleft()
            self._condition.notify_all()

    def close(self) -> None:
        for fd in (self.fd, self._request_fd):
            with contextlib.suppress(OSError):
                os.close(fd)

    def _put(self) -> None:
        self._window.change_property(self._atom, Xatom.INTEGER, 32, [0])
        self._connection.flush()
        self._requests += 1
        self._put_after.append(self._requests)
