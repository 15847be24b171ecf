"""The guard on the real X11 desktop: nudger stopped while the desktop is in use shows, once,
in the next summary; a quick restart does not."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from nudger import sensing
from nudger.settings.catalogue import all_rules
from nudger.settings.models import Settings
from nudger.shell.guard import HEARTBEAT_KEY, Guard
from nudger.shell.watcher import Watcher
from nudger.store import Store
from tests.desktop.rig import Desktop, wait_until
from tests.desktop.test_clock_x11 import MovableClock
from tests.nudger_process import NudgerDaemon, run_cli

pytestmark = pytest.mark.desktop

TEN_MINUTES = 600.0


def _heartbeat(daemon: NudgerDaemon) -> dict[str, float | str | None]:
    rows = daemon.query("SELECT value FROM meta WHERE key = ?", (HEARTBEAT_KEY,))
    assert rows, "the daemon keeps a heartbeat"
    beat: dict[str, float | str | None] = json.loads(rows[0][0])
    return beat


def test_stopping_the_daemon_for_ten_minutes_while_in_use_shows_in_the_next_summary(
    desktop: Desktop, daemon_factory: Callable[..., NudgerDaemon]
) -> None:
    """Ten real minutes cannot be waited here, so the stop is moved back instead: after a clean
    stop, the heartbeat the daemon left (wall, monotonic and boot-time clocks, same boot id) is
    set 10 minutes earlier in the database, which is exactly the heartbeat a daemon stopped 10
    minutes ago would have left on an awake computer. The pointer is moved before the restart,
    so the X server's idle time shows the desktop was in use since then."""
    daemon = daemon_factory(desktop)
    daemon.start().wait_watching(timeout=30)
    assert daemon.stop() == 0

    # A quick restart (an update, a log-out and in) is not worth a line.
    desktop.touch_input()
    daemon.start().wait_watching(timeout=30)
    assert daemon.stop() == 0
    assert daemon.query("SELECT count(*) FROM guard") == [(0,)]

    beat = _heartbeat(daemon)
    moved = {
        key: (value - TEN_MINUTES if key in ("wall", "monotonic", "boot") and value else value)
        for key, value in beat.items()
    }
    db = sqlite3.connect(daemon.database)
    with db:
        db.execute("UPDATE meta SET value = ? WHERE key = ?", (json.dumps(moved), HEARTBEAT_KEY))
    db.close()

    desktop.touch_input()
    daemon.start().wait_watching(timeout=30)
    wait_until(
        lambda: daemon.query("SELECT count(*) FROM guard") == [(1,)],
        30,
        "the gap noted in the database",
    )
    [(kind, started_at, ended_at)] = daemon.query("SELECT kind, started_at, ended_at FROM guard")
    assert kind == "not_running"
    assert started_at == moved["wall"]
    assert TEN_MINUTES <= ended_at - started_at < TEN_MINUTES + 60

    document = json.loads(run_cli(daemon.env, "summary", "--json").stdout)
    [said] = document["guard"]
    assert said["kind"] == "not_running"
    begun = dt.datetime.fromisoformat(said["from"])
    ended = dt.datetime.fromisoformat(said["to"])
    assert abs(begun.timestamp() - started_at) < 1

    text = run_cli(daemon.env, "summary")
    assert text.returncode == 0, text.stderr
    # Times alone within one calendar date; a stretch across midnight names both dates.
    same_date = begun.date() == ended.date()
    sentence = (
        f"nudger was not running from {begun:%H:%M} to {ended:%H:%M}."
        if same_date
        else f"nudger was not running from {begun:%Y-%m-%d %H:%M} to {ended:%Y-%m-%d %H:%M}."
    )
    assert text.stdout.count(sentence) == 1, text.stdout
    week = run_cli(daemon.env, "summary", "--week").stdout
    assert week.count("nudger was not running") == 1, week

    # A later quick restart does not say it again (stop waits for the first look's job).
    assert daemon.stop() == 0
    daemon.start().wait_watching(timeout=30)
    assert daemon.stop() == 0
    assert daemon.query("SELECT count(*) FROM guard") == [(1,)]
    assert run_cli(daemon.env, "summary").stdout.count("nudger was not running") == 1


def test_a_clock_set_forward_is_noted_once_and_a_suspend_is_not(
    desktop: Desktop, tmp_path: Path
) -> None:
    """The real watcher on the real X server, with its clock injected as the clock tests do:
    the wall clock moved an hour with the boot-time clock standing still is a clock set; both
    moving together is a suspend (faked at the clock: no machine here can sleep)."""
    desktop.touch_input()
    settings = Settings()
    store = Store.open(tmp_path / "nudger.db")
    clock = MovableClock()
    watcher = Watcher(
        settings, sensing.detect(desktop.env), store, clock, rules=all_rules(settings)
    )
    guard = Guard(store, clock)

    def look(times: int = 3) -> None:
        for _ in range(times):
            sample = watcher.tick()
            guard.seen(sample.reading, sample.clock_moved)
            time.sleep(0.2)

    look()
    clock.slept += 1800.0
    clock.offset += 1800.0
    look()
    assert store.guard_notes_between(-1e12, 1e12) == [], "a suspend is not a clock set"
    clock.offset += 3600.0
    look()
    watcher.stop()
    [note] = store.guard_notes_between(-1e12, 1e12)
    assert note.kind == "clock_step"
    assert abs(note.amount - 3600.0) < 2.0
    store.close()
