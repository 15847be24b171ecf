"""Signals, received by the main thread as ordinary events, never as interruptions.

A Python signal handler runs in the main thread between two bytecodes, possibly while that thread
holds a lock inside a library (a thread pool's, a condition's). A handler that then calls back into
the same library can deadlock, and under load it did. So on POSIX the signals are blocked in
every thread and the main thread takes them with sigwait(); elsewhere (Windows) the handlers only
put the signal in a queue.
"""

from __future__ import annotations

import queue
import signal
from types import FrameType

STOP = frozenset({signal.SIGTERM, signal.SIGINT})
RELOAD = frozenset({signal.SIGHUP}) if hasattr(signal, "SIGHUP") else frozenset()


class SignalInbox:
    """Create it before any thread starts: threads inherit the blocked signals."""

    def __init__(self) -> None:
        self.handled = STOP | RELOAD
        self._synchronous = hasattr(signal, "pthread_sigmask") and hasattr(signal, "sigwait")
        self._queue: queue.SimpleQueue[int] = queue.SimpleQueue()
        if self._synchronous:
            signal.pthread_sigmask(signal.SIG_BLOCK, self.handled)
        else:
            for signum in self.handled:
                signal.signal(signum, self._enqueue)

    def _enqueue(self, signum: int, _frame: FrameType | None) -> None:
        self._queue.put(signum)

    def next(self) -> int:
        """Wait for the next signal and return its number."""
        if self._synchronous:
            return signal.sigwait(self.handled)
        while True:
            try:
                return self._queue.get(timeout=0.5)  # short waits, so Ctrl-C gets through
            except queue.Empty:
                continue

    def close(self) -> None:
        if self._synchronous:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, self.handled)
