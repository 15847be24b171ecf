"""The sampler's thread: a sample at once when the desktop says something changed, otherwise one
every `pace()` seconds to confirm what the events said (and catch idleness, which sends none).

Timed by the monotonic clock, so a wall clock set back never holds it up; it sleeps on a
condition, so between samples it costs nothing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from nudger.core.translate import N_

log = logging.getLogger(__name__)

_JOIN_SECONDS = 10.0


class Sampler:
    def __init__(self, sample: Callable[[], None], pace: Callable[[], float]) -> None:
        self._sample = sample
        self._pace = pace
        self._condition = threading.Condition()
        self._poked = False
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="nudger-sampler", daemon=True)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def start(self) -> None:
        self._thread.start()

    def poke(self) -> None:
        """Sample as soon as the sample in progress (if any) is done. From any thread."""
        with self._condition:
            self._poked = True
            self._condition.notify()

    def stop(self) -> None:
        """Let the sample in progress finish, then end the thread."""
        with self._condition:
            self._stopping = True
            self._condition.notify()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=_JOIN_SECONDS)

    def _run(self) -> None:
        due = time.monotonic()  # the first look is immediate
        while True:
            with self._condition:
                while not (self._stopping or self._poked):
                    left = due - time.monotonic()
                    if left <= 0:
                        break
                    self._condition.wait(left)
                if self._stopping:
                    return
                self._poked = False
            try:
                self._sample()
            except Exception:  # a bug in one sample must never stop the sampling
                log.exception(N_("deciding on this sample failed; counting goes on"))
            due = time.monotonic() + self._pace()
