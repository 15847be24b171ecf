"""APScheduler's BackgroundScheduler, kept on time when the wall clock moves backwards.

(Background, not Blocking: the main thread is kept free to take signals, see signals.py.)

APScheduler 3 plans each interval run as "previous run + interval" in wall-clock time. If the clock
is set back an hour, the next sample would then wait an hour. Its public API offers no hook into
its own wait, and a job cannot be the remedy: that job's next run is planned in wall time too, so
it would stall with the rest. So a small guard of our own, a thread timed by the monotonic clock,
reads both clocks every few seconds; after a backward jump it brings interval jobs back to now
(`Job.modify`, which also wakes the scheduler), and on every reading it wakes the scheduler
(`wakeup`), so that jobs a forward jump made due run promptly too.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from nudger.core.clock import ClockWatch
from nudger.core.translate import N_

log = logging.getLogger(__name__)

# How often the guard reads the clocks and wakes the scheduler: a jump is acted on within this.
GUARD_EVERY_SECONDS = 5.0


class ClockSafeScheduler(BackgroundScheduler):  # type: ignore[misc]  # APScheduler 3 is untyped
    """A BackgroundScheduler whose clock guard runs from `start` until `shutdown`."""

    def __init__(
        self,
        *args: Any,
        guard_every: float = GUARD_EVERY_SECONDS,
        wall: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.clock_guard = ClockGuard(self, guard_every, wall, monotonic)

    def start(self, *args: Any, **kwargs: Any) -> None:
        super().start(*args, **kwargs)
        self.clock_guard.start()

    def shutdown(self, *args: Any, **kwargs: Any) -> None:
        self.clock_guard.stop()
        super().shutdown(*args, **kwargs)


class ClockGuard:
    """Reads the wall and monotonic clocks every `every` seconds (monotonic time) and keeps the
    scheduler's interval jobs from stalling when the wall clock moves back."""

    def __init__(
        self,
        scheduler: BackgroundScheduler,
        every: float,
        wall: Callable[[], float],
        monotonic: Callable[[], float],
    ) -> None:
        self.scheduler = scheduler
        self.every = every
        self.wall = wall
        self.monotonic = monotonic
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        self.stopping = threading.Event()
        self.thread = threading.Thread(
            target=self.run, args=(self.stopping, ClockWatch()), name="clock-guard", daemon=True
        )
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        if self.thread is not None and self.thread is not threading.current_thread():
            self.thread.join()
        self.thread = None

    def run(self, stopping: threading.Event, watch: ClockWatch) -> None:
        while True:
            try:
                self.check(watch)
            except Exception:  # a fault here must not end the guard: the next reading may do
                log.exception(N_("the clock guard could not check the clocks"))
            if stopping.wait(self.every):
                return

    def check(self, watch: ClockWatch) -> None:
        if watch.jump(self.wall(), self.monotonic()) < 0:
            self.bring_interval_jobs_to_now()
        self.scheduler.wakeup()

    def bring_interval_jobs_to_now(self) -> None:
        now = datetime.now(self.scheduler.timezone)
        for job in self.scheduler.get_jobs():
            planned = job.next_run_time  # None while the job is paused: it stays paused
            if isinstance(job.trigger, IntervalTrigger) and planned is not None and planned > now:
                try:
                    job.modify(next_run_time=now)
                except JobLookupError:  # removed meanwhile (a settings reload): nothing to move
                    continue
