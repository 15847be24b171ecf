"""The scheduler keeps sampling when the wall clock is set back."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from apscheduler.triggers.interval import IntervalTrigger

from nudger.core.clock import ClockWatch
from nudger.shell.scheduling import ClockSafeScheduler


@pytest.fixture
def scheduler() -> Iterator[ClockSafeScheduler]:
    running = ClockSafeScheduler(timezone="UTC")
    running.add_job(lambda: None, IntervalTrigger(seconds=1), id="sample")
    running.start(paused=True)
    yield running
    running.shutdown(wait=False)


def test_interval_jobs_come_back_to_now_after_the_clock_went_back(
    scheduler: ClockSafeScheduler,
) -> None:
    # As APScheduler 3 leaves it after the clock moved back an hour: the next run, planned in
    # the old wall time, lies an hour ahead.
    scheduler.modify_job(
        "sample", next_run_time=datetime.now(scheduler.timezone) + timedelta(hours=1)
    )
    # The clocks as they were at the last wake-up: wall time an hour ahead of where it is now.
    scheduler._clock = ClockWatch()
    scheduler._clock.jump(time.time() + 3600, time.monotonic())
    scheduler._process_jobs()
    next_run = scheduler.get_job("sample").next_run_time
    assert next_run <= datetime.now(scheduler.timezone) + timedelta(seconds=1)


def test_a_normal_wake_up_leaves_the_plan_alone(scheduler: ClockSafeScheduler) -> None:
    planned = datetime.now(scheduler.timezone) + timedelta(hours=1)
    scheduler.modify_job("sample", next_run_time=planned)
    scheduler._clock = ClockWatch()
    scheduler._clock.jump(time.time(), time.monotonic())
    scheduler._process_jobs()
    assert scheduler.get_job("sample").next_run_time == planned


def test_the_longest_sleep_is_short(scheduler: ClockSafeScheduler) -> None:
    scheduler.resume()
    scheduler.modify_job(
        "sample", next_run_time=datetime.now(scheduler.timezone) + timedelta(hours=5)
    )
    wait = scheduler._process_jobs()
    assert wait is not None and wait <= 5.0


def test_apscheduler_still_calls_the_method_this_scheduler_overrides() -> None:
    """ClockSafeScheduler overrides APScheduler 3's private _process_jobs. Should a release
    stop calling it, this fails (pyproject.toml also keeps APScheduler below 4)."""
    calls: list[float] = []

    class Counting(ClockSafeScheduler):
        def _process_jobs(self) -> float | None:
            calls.append(time.monotonic())
            return super()._process_jobs()

    running = Counting(timezone="UTC")
    running.add_job(lambda: None, IntervalTrigger(seconds=0.1), id="tick")
    running.start()
    try:
        time.sleep(0.6)
    finally:
        running.shutdown(wait=False)
    assert len(calls) >= 3
