"""The daemon as a well-mannered process: one instance, signals, status, a late desktop."""

from __future__ import annotations

import signal
import stat
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.desktop.rig import Desktop, free_display_number, wait_until
from tests.nudger_process import NUDGER, NudgerDaemon, isolated_env, run_cli

pytestmark = pytest.mark.desktop

JAMIE = '[[blocklist]]\nname = "Jamie"\nmatch = ["Jamie Rivers"]\n'


def test_a_second_instance_is_refused_naming_the_running_pid(
    desktop: Desktop, daemon_factory: Callable[..., NudgerDaemon]
) -> None:
    first = daemon_factory(desktop, JAMIE).start()
    first.wait_watching()
    second = run_cli(first.env, "run", timeout=20)
    assert second.returncode == 1
    assert first.process is not None
    assert f"already running (pid {first.process.pid})" in second.stderr
    assert "Traceback" not in second.stderr
    assert first.process.poll() is None, "the first one carries on"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_stopping_writes_the_visit_in_progress(
    desktop: Desktop, daemon_factory: Callable[..., NudgerDaemon], signum: int
) -> None:
    # A long flush interval: only the shutdown itself can have written the visit's length.
    daemon = daemon_factory(desktop, JAMIE + "[watch]\nflush_seconds = 60\n").start()
    daemon.wait_watching()
    desktop.activate(desktop.open_xterm("Jamie Rivers - chat"))
    daemon.wait_for_visit("blocklist", "Jamie", timeout=30)
    assert daemon.seconds_for("blocklist", "Jamie") < 1, "only the start was written so far"
    time.sleep(5)
    stopped_at = time.time()
    assert daemon.stop(signum) == 0
    [(start, end)] = daemon.query("SELECT started_at, ended_at FROM visits")
    assert end - start >= 4
    assert stopped_at - end <= 1.0 + 0.2, "within one sample of the truth"
    assert "all visits saved" in daemon.log()


def test_status_tells_how_it_is_going(
    desktop: Desktop, daemon_factory: Callable[..., NudgerDaemon]
) -> None:
    daemon = daemon_factory(desktop, JAMIE)
    stopped = run_cli(daemon.env, "status")
    assert stopped.returncode == 3 and "not running" in stopped.stdout

    daemon.start().wait_watching()
    desktop.activate(desktop.open_xterm("Jamie Rivers - chat"))
    daemon.wait_for_visit("blocklist", "Jamie", timeout=30)
    assert run_cli(daemon.env, "pause", "--until", "23:59").returncode == 0
    time.sleep(5.5)  # a status refresh
    status = run_cli(daemon.env, "status")
    assert status.returncode == 0, status.stderr
    assert daemon.process is not None
    lines = status.stdout
    assert f"nudger is running (pid {daemon.process.pid}, for " in lines
    assert "Backend: x11, watching windows; last look at " in lines
    assert "In front at that look: a page on your blocklist." in lines
    assert "Jamie" not in lines, "status never names a blocklist entry"
    assert "blocklist: 1 visit." in lines
    assert "Nudges are paused until" in lines and "23:59" in lines

    log_file = Path(daemon.env["NUDGER_DATA_DIR"]) / "logs" / "nudger.log"
    assert "nudger started" in log_file.read_text()
    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600


def test_the_daemon_waits_for_a_desktop_and_notifications_that_come_later(tmp_path: Path) -> None:
    desktop = Desktop(tmp_path / "desktop")
    try:
        number = free_display_number()
        desktop.plan_display(number)
        desktop.plan_bus()
        daemon = NudgerDaemon(tmp_path, isolated_env(tmp_path, desktop.env), JAMIE).start()
        time.sleep(4)
        assert daemon.process is not None and daemon.process.poll() is None, daemon.log()
        complaints = [
            line
            for line in daemon.log().splitlines()
            if "cannot see the desktop" in line and " DEBUG " not in line
        ]
        assert len(complaints) == 1, daemon.log()  # then quiet retries with backoff
        assert "Traceback" not in daemon.log()

        desktop.start_x(number)
        desktop.start_bus()
        desktop.start_window_manager()
        desktop.start_notifications()
        desktop.activate(desktop.open_xterm("Jamie Rivers - chat"))
        daemon.wait_for_visit("blocklist", "Jamie", timeout=30)
        assert "watching windows again" in daemon.log()
        wait_until(
            lambda: any(call[:1] == ["nudger"] for call in desktop.notify_calls()),
            30,
            "a nudge, once dunst is there",
        )
        assert daemon.stop() == 0
    finally:
        desktop.stop()


def test_the_console_script_is_an_absolute_path() -> None:
    assert Path(NUDGER).is_absolute() and Path(NUDGER).exists()


def test_status_right_after_start_says_what_it_sees(
    desktop: Desktop, daemon_factory: Callable[..., NudgerDaemon]
) -> None:
    desktop.activate(desktop.open_xterm("notes.txt"))
    daemon = daemon_factory(desktop, JAMIE).start()
    wait_until(
        lambda: "watching windows with the x11 backend" in daemon.log(), 30, "the first look"
    )
    time.sleep(0.5)
    status = run_cli(daemon.env, "status")  # well before the first periodic refresh
    assert "watching windows; last look at" in status.stdout, status.stdout
    assert "In front at that look: nothing nudger counts." in status.stdout
    assert "no look yet" not in status.stdout
    log = daemon.log()
    assert "watching for social sites (17) and blocklist entries (1)" in log
