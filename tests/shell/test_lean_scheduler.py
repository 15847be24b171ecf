"""APScheduler in the daemon without asyncio, multiprocessing and importlib.metadata: the
scheduler still runs the daemon's kinds of jobs, nothing stood in for is left behind, and a
later APScheduler that wants more from those modules is simply imported the ordinary way.

Each case runs in a fresh interpreter: the test process has imported everything already."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

HEAVY = ("asyncio", "multiprocessing", "importlib.metadata", "concurrent.futures.process")


def _run(body: str) -> dict[str, object]:
    script = (
        textwrap.dedent(
            """
        import json, sys, threading, datetime as dt
        from nudger.shell import lean_scheduler
        """
        )
        + textwrap.dedent(body)
        + textwrap.dedent(
            f"""
        from nudger.shell.scheduling import ClockSafeScheduler
        from apscheduler.triggers.cron import CronTrigger
        from apscheduler.triggers.interval import IntervalTrigger
        ran = threading.Event()
        scheduler = ClockSafeScheduler()
        scheduler.add_job(ran.set, IntervalTrigger(seconds=0.2), id="sample")
        scheduler.start()
        fired = ran.wait(20)
        scheduler.shutdown()
        zone = dt.timezone.utc
        now = dt.datetime(2026, 12, 4, 18, 0, tzinfo=zone)
        evening = CronTrigger(hour=21, minute=0, timezone=zone).get_next_fire_time(None, now)
        loaded = [name for name in {HEAVY!r} if name in sys.modules]
        print(json.dumps({{"lean": lean, "fired": fired, "evening": evening.isoformat(),
                          "loaded": loaded}}))
        """
        )
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_the_lean_import_leaves_the_heavy_modules_out_and_the_jobs_still_run() -> None:
    result = _run("lean = lean_scheduler.import_apscheduler()\n")
    assert result["lean"] is True
    assert result["loaded"] == []
    assert result["fired"] is True
    assert result["evening"] == "2026-12-04T21:00:00+00:00"


def test_an_apscheduler_that_wants_more_is_imported_the_ordinary_way() -> None:
    # A stand-in that lacks what the import takes from it, as a later APScheduler might.
    result = _run(
        """
        made = lean_scheduler._stand_ins
        def short():
            stand_ins = made()
            del stand_ins["importlib.metadata"].entry_points
            return stand_ins
        lean_scheduler._stand_ins = short
        lean = lean_scheduler.import_apscheduler()
        """
    )
    assert result["lean"] is False
    assert result["fired"] is True
    assert result["evening"] == "2026-12-04T21:00:00+00:00"
    assert "importlib.metadata" in result["loaded"], "the ordinary import was done"


def test_nothing_is_done_twice_once_apscheduler_is_there() -> None:
    result = _run(
        """
        import apscheduler.schedulers.background
        lean = lean_scheduler.import_apscheduler()
        """
    )
    assert result["lean"] is False
    assert result["fired"] is True
