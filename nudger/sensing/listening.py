"""What the backends that listen for changes share: the glances they keep for the sampler, the
listener's loop and the pipe that wakes it to stop it, the record of the stream vouching for
gaps, and the recorder for OS callbacks."""

from __future__ import annotations

import contextlib
import os
import select
import threading
import time
from collections import deque
from collections.abc import Callable

from nudger.sensing.base import Glance, Window

# A sample takes every waiting glance, so this bounds only a sampler that has stalled.
_MAX_WAITING = 256
_JOIN_SECONDS = 2.0
# After a late read the stream could not vouch for, how long it is not relied on.
_UNRELIED_SECONDS = 10.0


class Vouching:
    """Whether the event stream has vouched for the gaps between samples lately.

    Samples come seconds apart only because the stream vouches for the time between them (see
    core.tracking). When it could not (a flood muted it, a starved thread did not answer in
    time), such a gap would be lost; so for a while samples come at the poll pace again, whose
    gaps the pulse bridges without the stream."""

    def __init__(self) -> None:
        self._failed_at: float | None = None

    def late_read(self, vouched: bool) -> None:
        if not vouched:
            self._failed_at = time.monotonic()

    @property
    def relied_on(self) -> bool:
        failed = self._failed_at
        return failed is None or time.monotonic() - failed >= _UNRELIED_SECONDS


class GlanceBuffer:
    """Changes caught by a listener thread, waiting for the next sample. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: deque[Glance] = deque(maxlen=_MAX_WAITING)

    def add(self, at: float, window: Window | None) -> None:
        with self._lock:
            self._waiting.append(Glance(at, window))

    def take(self) -> tuple[Glance, ...]:
        """Everything since the last call, oldest first."""
        with self._lock:
            taken = tuple(self._waiting)
            self._waiting.clear()
        return taken


class Wakeup:
    """A pipe a listener selects on next to its socket, so that closing never waits on a peer."""

    def __init__(self) -> None:
        self.fd, self._write_fd = os.pipe()

    def follow(self, fd: int, ready: Callable[[float], None]) -> None:
        """Call `ready(at)` whenever `fd` has something to read, `at` being the moment it was
        seen, until the pipe wakes the listener. What `ready` raises ends the loop and goes to
        the caller."""
        while True:
            readable, _writable, _errors = select.select([fd, self.fd], [], [])
            if self.fd in readable:
                return
            ready(time.time())

    def stop(self, listener: threading.Thread) -> None:
        """Wake `listener`, wait briefly for it to end, and close the pipe."""
        with contextlib.suppress(OSError):
            os.write(self._write_fd, b"x")
        listener.join(timeout=_JOIN_SECONDS)
        for fd in (self.fd, self._write_fd):
            with contextlib.suppress(OSError):
                os.close(fd)


class ChangeRecorder:
    """For backends whose OS calls back when something may have changed in front (macOS
    notifications, Windows event hooks): read the window then, and keep it as a Glance when it
    differs from the last one kept.

    The callbacks come on an OS thread, sometimes in floods (a title that never stops changing),
    so reads are spaced at least `_MIN_READ_GAP` apart; the sampler sees whatever a skipped read
    would have seen.
    """

    _MIN_READ_GAP = 0.05

    def __init__(self, read_front: Callable[[], Window | None]) -> None:
        self._read_front = read_front
        self._glances = GlanceBuffer()
        self._lock = threading.Lock()
        self._last: Window | None = None
        self._last_read = float("-inf")

    def changed(self, at: float) -> None:
        with self._lock:
            if at - self._last_read < self._MIN_READ_GAP:
                return
            self._last_read = at
            window = self._read_front()
            if window != self._last:
                self._last = window
                self._glances.add(at, window)

    def take(self) -> tuple[Glance, ...]:
        return self._glances.take()
