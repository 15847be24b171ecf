"""APScheduler's BackgroundScheduler, made safe against the wall clock moving backwards.

(Background, not Blocking: the main thread is kept free to take signals, see signals.py.)

APScheduler 3 plans each interval run as "previous run + interval" in wall-clock time. If the clock
is set back an hour, the next sample would then wait an hour. This subclass notices the jump
(wall time against monotonic time) and brings interval jobs back to now. It also wakes at least
every few seconds, so a jump is noticed promptly even when nothing is due.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from nudger.core.clock import ClockWatch

_LONGEST_SLEEP_SECONDS = 5.0


class ClockSafeScheduler(BackgroundScheduler):  # type: ignore[misc]  # APScheduler 3 is untyped
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clock = ClockWatch()

    def _process_jobs(self) -> float | None:
        if self._clock.jump(time.time(), time.monotonic()) < 0:
            self._bring_interval_jobs_to_now()
        wait: float | None = super()._process_jobs()
        return _LONGEST_SLEEP_SECONDS if wait is None else min(wait, _LONGEST_SLEEP_SECONDS)

    def _bring_interval_jobs_to_now(self) -> None:
        now = datetime.now(self.timezone)
        for job in self.get_jobs():
            if isinstance(job.trigger, IntervalTrigger) and job.next_run_time > now:
                job.modify(next_run_time=now)
