"""The scheduler keeps sampling when the wall clock is set back.

A real, running scheduler; only the wall clock its guard reads is movable (APScheduler itself keeps
reading the real one, so "the clock went back an hour" is set up as APScheduler 3 leaves it: the
next run, planned in the old wall time, an hour ahead).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest
from apscheduler.triggers.interval import IntervalTrigger

from nudger.shell.scheduling import ClockSafeScheduler

GENEROUS_SECONDS = 30.0


class MovableWall:
    """Real wall time that a test can move, counting how often it is read."""

    def __init__(self) -> None:
        self.offset = 0.0
        self.readings = 0

    def __call__(self) -> float:
        self.readings += 1
        return time.time() + self.offset


def wait_for(condition: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + GENEROUS_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


@pytest.fixture
def wall() -> MovableWall:
    return MovableWall()


@pytest.fixture
def scheduler(wall: MovableWall) -> Iterator[ClockSafeScheduler]:
    running = ClockSafeScheduler(timezone="UTC", guard_every=0.05, wall=wall)
    yield running
    if running.running:
        running.shutdown(wait=False)


def an_hour_from_now(scheduler: ClockSafeScheduler) -> datetime:
    return datetime.now(scheduler.timezone) + timedelta(hours=1)


def test_sampling_goes_on_after_the_clock_went_back(
    scheduler: ClockSafeScheduler, wall: MovableWall
) -> None:
    sampled = threading.Event()
    scheduler.add_job(
        sampled.set,
        IntervalTrigger(seconds=1),
        id="sample",
        next_run_time=an_hour_from_now(scheduler),
    )
    scheduler.start()
    assert wait_for(lambda: wall.readings >= 2), "the guard reads the clock"
    wall.offset -= 3600
    assert sampled.wait(GENEROUS_SECONDS), "the sample ran without waiting out the hour"
    next_run = scheduler.get_job("sample").next_run_time
    assert next_run <= datetime.now(scheduler.timezone) + timedelta(seconds=5)


@pytest.mark.parametrize("move", [0.0, 3600.0], ids=["steady", "forward"])
def test_a_clock_that_did_not_go_back_leaves_the_plan_alone(
    scheduler: ClockSafeScheduler, wall: MovableWall, move: float
) -> None:
    planned = an_hour_from_now(scheduler)
    scheduler.add_job(lambda: None, IntervalTrigger(seconds=1), id="sample", next_run_time=planned)
    scheduler.start()
    assert wait_for(lambda: wall.readings >= 2)
    wall.offset += move
    readings = wall.readings
    assert wait_for(lambda: wall.readings >= readings + 3), "the guard read the moved clock"
    assert scheduler.get_job("sample").next_run_time == planned


def test_a_paused_job_stays_paused_after_the_clock_went_back(
    scheduler: ClockSafeScheduler, wall: MovableWall
) -> None:
    scheduler.add_job(lambda: None, IntervalTrigger(seconds=1), id="paused").pause()
    planned = an_hour_from_now(scheduler)
    scheduler.add_job(lambda: None, IntervalTrigger(seconds=60), id="other", next_run_time=planned)
    scheduler.start()
    assert wait_for(lambda: wall.readings >= 2)
    wall.offset -= 3600
    assert wait_for(lambda: scheduler.get_job("other").next_run_time < planned)
    assert scheduler.get_job("paused").next_run_time is None


def test_the_scheduler_is_woken_while_nothing_is_due(wall: MovableWall) -> None:
    """Each reading wakes the scheduler, so jobs a forward jump made due run promptly."""
    wakeups: list[float] = []

    class Counting(ClockSafeScheduler):
        def wakeup(self) -> None:
            wakeups.append(time.monotonic())
            super().wakeup()

    running = Counting(timezone="UTC", guard_every=0.05, wall=wall)
    running.add_job(
        lambda: None,
        IntervalTrigger(seconds=1),
        next_run_time=datetime.now(running.timezone) + timedelta(hours=5),
    )
    running.start()
    try:
        assert wait_for(lambda: len(wakeups) >= 5)
    finally:
        running.shutdown(wait=False)


def test_the_guard_survives_a_failed_reading(scheduler: ClockSafeScheduler) -> None:
    readings: list[float] = []

    def failing_once() -> float:
        readings.append(time.time())
        if len(readings) == 2:
            raise OSError("the clock could not be read")
        return time.time()

    scheduler.clock_guard.wall = failing_once
    scheduler.start()
    assert wait_for(lambda: len(readings) >= 4), "readings go on after the failed one"


def test_shutdown_ends_the_guard(scheduler: ClockSafeScheduler) -> None:
    scheduler.start()
    guard = scheduler.clock_guard.thread
    assert guard is not None and guard.is_alive()
    scheduler.shutdown(wait=True)
    assert not guard.is_alive()
