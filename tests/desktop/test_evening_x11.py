"""The evening summary arrives at real dunst at summary.time, and respects a pause."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

import pytest

from nudger.core.types import Visit
from nudger.store import Store
from tests.desktop.rig import Desktop, wait_until
from tests.nudger_process import NudgerDaemon, run_cli

pytestmark = pytest.mark.desktop


def config_at(seconds_ahead: float) -> str:
    when = dt.datetime.now() + dt.timedelta(
        seconds=seconds_ahead
    )  # the machine's zone, as the daemon's
    return f'[summary]\ntime = "{when:%H:%M:%S}"\n'


def evening_soon(daemon: NudgerDaemon) -> None:
    """Set summary.time a few seconds ahead of now, once the daemon is watching: a time set
    before start may have passed by the time a loaded machine has started it. Retried until the
    daemon took the time while it was still ahead."""
    for _ in range(5):
        reloads = daemon.log().count("config reloaded")
        daemon.config_path.write_text(config_at(8), encoding="utf-8")
        asked = time.time()
        wait_until(
            lambda before=reloads: daemon.log().count("config reloaded") > before, 30, "the reload"
        )
        if time.time() < asked + 6:
            return
    raise AssertionError("the daemon never took the new summary time in time")


def evening_calls(desktop: Desktop) -> list[list[str]]:
    return [
        c
        for c in desktop.notify_calls()
        if c[:1] == ["nudger"] and "gently summed up" in " ".join(c)
    ]


def seed_today(daemon: NudgerDaemon) -> None:
    """32 minutes on Reddit within nudger's today (its days begin at 04:00): ending 8 minutes
    ago, or just after the day began when it is younger than 40 minutes."""
    store = Store.open(daemon.database)
    now = dt.datetime.now()
    day_began = now.replace(hour=4, minute=0, second=0, microsecond=0)
    if day_began > now:
        day_began -= dt.timedelta(days=1)
    start = max(now - dt.timedelta(minutes=40), day_began + dt.timedelta(minutes=1)).timestamp()
    store.save_visits([Visit("site", "Reddit", "title", "front", start, start + 32 * 60)])
    store.close()


def test_the_evening_summary_arrives_at_summary_time(
    desktop: Desktop, daemon_factory: Callable[..., NudgerDaemon]
) -> None:
    daemon = daemon_factory(desktop)
    seed_today(daemon)
    daemon.start()
    daemon.wait_watching()
    evening_soon(daemon)
    wait_until(lambda: evening_calls(desktop), 30, "the evening summary")
    [call] = evening_calls(desktop)
    assert "32 min on social sites today" in call[3]
    assert "No visits to the blocklist today: day 1." in call[3]
    assert "snooze" not in call[3].lower()  # a summary, not a nudge: nothing to snooze
    # Noted once the notification is out: the call can be seen a moment before the note.
    wait_until(
        lambda: daemon.query("SELECT value FROM meta WHERE key = 'evening_sent_for'"),
        30,
        "the evening noted as sent",
    )


def test_no_evening_summary_while_paused(
    desktop: Desktop, daemon_factory: Callable[..., NudgerDaemon]
) -> None:
    daemon = daemon_factory(desktop)
    assert run_cli(daemon.env, "pause", "2h").returncode == 0
    daemon.start()
    daemon.wait_watching()
    evening_soon(daemon)
    wait_until(lambda: "evening summary not sent" in daemon.log(), 30, "the evening job to run")
    assert evening_calls(desktop) == []
