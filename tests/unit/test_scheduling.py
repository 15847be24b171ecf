"""The scheduler keeps sampling when the wall clock is set back."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from apscheduler.triggers.interval import IntervalTrigger

from nudger.scheduling import ClockSafeScheduler


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
    scheduler._last_clocks = (time.time() + 3600, time.monotonic())
    scheduler._process_jobs()
    next_run = scheduler.get_job("sample").next_run_time
    assert next_run <= datetime.now(scheduler.timezone) + timedelta(seconds=1)


def test_a_normal_wake_up_leaves_the_plan_alone(scheduler: ClockSafeScheduler) -> None:
    planned = datetime.now(scheduler.timezone) + timedelta(hours=1)
    scheduler.modify_job("sample", next_run_time=planned)
    scheduler._last_clocks = (time.time(), time.monotonic())
    scheduler._process_jobs()
    assert scheduler.get_job("sample").next_run_time == planned


def test_the_longest_sleep_is_short(scheduler: ClockSafeScheduler) -> None:
    scheduler.resume()
    scheduler.modify_job(
        "sample", next_run_time=datetime.now(scheduler.timezone) + timedelta(hours=5)
    )
    wait = scheduler._process_jobs()
    assert wait is not None and wait <= 5.0
