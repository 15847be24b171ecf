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
import threading
from types import FrameType

STOP = frozenset({signal.SIGTERM, signal.SIGINT})
# Where there is no SIGHUP (Windows), a reload the daemon asks of itself comes as this number.
RELOAD_REQUEST = -1
# Wakes the thread that takes signals to carry out what another thread posted (a status icon's
# menu): SIGUSR1 on POSIX, this number where there are no such signals.
WAKE_REQUEST = -2
WAKE = (
    frozenset({signal.SIGUSR1, WAKE_REQUEST})
    if hasattr(signal, "SIGUSR1")
    else frozenset({WAKE_REQUEST})
)
RELOAD = (
    frozenset({signal.SIGHUP, RELOAD_REQUEST})
    if hasattr(signal, "SIGHUP")
    else frozenset({RELOAD_REQUEST})
)


class SignalInbox:
    """Create it before any thread starts: threads inherit the blocked signals."""

    def __init__(self) -> None:
        self.handled = STOP | (RELOAD - {RELOAD_REQUEST}) | (WAKE - {WAKE_REQUEST})
        self._posted: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._synchronous = hasattr(signal, "pthread_sigmask") and hasattr(signal, "sigwait")
        self._queue: queue.SimpleQueue[int] = queue.SimpleQueue()
        self._main = threading.get_ident()
        if self._synchronous:
            signal.pthread_sigmask(signal.SIG_BLOCK, self.handled)
        else:
            for signum in self.handled:
                signal.signal(signum, self._enqueue)

    def adopt(self) -> None:
        """Make the calling thread the one that takes the signals (and the requests aimed at
        it). On macOS the main thread must run the status icon's run loop, so the daemon takes
        its signals on a thread of its own; they stay blocked in every thread, the main one too,
        so sigwait() there is still the only way in."""
        self._main = threading.get_ident()

    def request_reload(self) -> None:
        """Ask the thread that takes the signals for a reload, as SIGHUP does. From any thread.

        So that only that thread ever changes the schedule: a job that touches the scheduler can
        deadlock its shutdown (APScheduler 3 holds its job store lock while it waits for jobs).
        """
        if self._synchronous:
            signal.pthread_kill(self._main, signal.SIGHUP)
        else:
            self._queue.put(RELOAD_REQUEST)

    def post(self, command: str) -> None:
        """Hand a command to the thread that takes the signals, from any thread (a status
        icon's menu click). It comes out of posted() after next() returns a WAKE number."""
        self._posted.put(command)
        if self._synchronous:
            signal.pthread_kill(self._main, signal.SIGUSR1)
        else:
            self._queue.put(WAKE_REQUEST)

    def posted(self) -> list[str]:
        """Every command posted since the last call. Never blocks."""
        commands: list[str] = []
        while True:
            try:
                commands.append(self._posted.get_nowait())
            except queue.Empty:
                return commands

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
