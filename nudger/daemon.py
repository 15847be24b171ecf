"""The daemon: wires the watcher to APScheduler, and owns the process (lock, signals, shutdown)."""

from __future__ import annotations

import logging
import os
import signal
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import FrameType

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from nudger import paths, sensing
from nudger.coach import Coach
from nudger.evening import EveningSummary
from nudger.history import FIRST_RUN_KEY
from nudger.instance import DaemonStatus, InstanceLock
from nudger.notify import choose_notifier
from nudger.pause import PauseFile
from nudger.scheduling import ClockSafeScheduler
from nudger.settings import LoadedConfig, timezone_of
from nudger.store import Store, StoreError
from nudger.watcher import Watcher

log = logging.getLogger(__name__)

STATUS_EVERY_SECONDS = 5.0


@dataclass
class Daemon:
    config: LoadedConfig
    data_dir: Path = field(default_factory=paths.data_dir)
    started_at: float = field(default_factory=time.time)

    def run(self) -> int:
        """Run until SIGTERM or Ctrl-C. Returns the process exit code."""
        lock = InstanceLock(self.data_dir)
        lock.acquire()
        store = Store.open(self.data_dir / "nudger.db")
        settings = self.config.settings
        backend = sensing.detect()
        watcher = Watcher(settings, backend, store)
        notifier = choose_notifier()
        coach = Coach(settings, store, notifier, PauseFile(self.data_dir), watcher.days)
        log.info(
            "nudger started (pid %s); data in %s; config from %s",
            os.getpid(),
            self.data_dir,
            ", ".join(self.config.files_read),
        )
        log.info("window backend: %s (%s)", backend.name, backend.reason)

        scheduler = ClockSafeScheduler(
            executors={"default": ThreadPoolExecutor(max_workers=2)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
            timezone=timezone_of(settings),
        )

        _note_first_run(store)

        def sample() -> None:
            # One lock for everything that touches the tracker, the policy and the store.
            with watcher.lock:
                observed = watcher.tick()
                try:
                    coach.consider(observed, watcher.tracker.open_visits())
                except Exception:  # a nudge bug must never stop the counting
                    log.exception("deciding on a nudge failed; counting goes on")

        evening = EveningSummary(store, coach)

        def evening_summary() -> None:
            with watcher.lock:
                evening()

        scheduler.add_job(
            sample,
            IntervalTrigger(seconds=settings.watch.poll_seconds),
            id="sample",
            next_run_time=datetime.now(scheduler.timezone),  # the first look is immediate
        )

        def publish_status() -> None:
            lock.write_status(
                DaemonStatus(
                    pid=os.getpid(),
                    started_at=self.started_at,
                    backend=backend.name,
                    sensor_connected=watcher.sensor_connected,
                    last_sample_at=watcher.last_sample_at,
                    updated_at=time.time(),
                    notes=tuple(watcher.faults.messages()),
                )
            )

        scheduler.add_job(
            publish_status, IntervalTrigger(seconds=STATUS_EVERY_SECONDS), id="status"
        )
        publish_status()
        at = settings.summary.time
        if at is not None:
            scheduler.add_job(
                evening_summary,
                CronTrigger(hour=at.hour, minute=at.minute, second=at.second),
                id="evening",
            )

        def stop(signum: int, _frame: FrameType | None) -> None:
            log.info("received %s; saving and stopping", signal.Signals(signum).name)
            scheduler.shutdown(wait=False)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            scheduler.start()
        finally:
            saved = watcher.stop()
            notifier.close()
            store.close()
            lock.release()
            log.info(
                "stopped; %s", "all visits saved" if saved else "some visits could not be saved"
            )
        return 0


def _note_first_run(store: Store) -> None:
    """Remember when watching began: streaks count days from here, not from the first visit."""
    try:
        if store.get_meta(FIRST_RUN_KEY) is None:
            store.set_meta(FIRST_RUN_KEY, str(time.time()))
    except StoreError as error:
        log.warning("cannot note the first run in the database: %s", error)
