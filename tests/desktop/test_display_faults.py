"""The X server comes late or goes away: the daemon waits, logs once, and picks up again."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.desktop.rig import Desktop, free_display_number, wait_until
from tests.nudger_process import NudgerDaemon, isolated_env

pytestmark = pytest.mark.desktop

ALEX = '[[blocklist]]\nname = "Alex"\nmatch = ["Alex Doe"]\n'


def test_the_daemon_waits_for_a_display_that_comes_later(tmp_path: Path) -> None:
    desktop = Desktop(tmp_path / "desktop")
    try:
        number = free_display_number()
        desktop.plan_display(number)
        daemon = NudgerDaemon(tmp_path, isolated_env(tmp_path, desktop.env), ALEX).start()
        time.sleep(4)
        assert daemon.process is not None and daemon.process.poll() is None, daemon.log()
        complaints = [
            line
            for line in daemon.log().splitlines()
            if "cannot see the desktop" in line and " DEBUG " not in line
        ]
        assert len(complaints) == 1, daemon.log()  # retries are logged at debug level only
        assert "WARNING" in complaints[0]
        assert "Traceback" not in daemon.log()

        desktop.start_x(number)
        desktop.start_bus()
        desktop.start_window_manager()
        window = desktop.open_xterm("Alex Doe - messages")
        desktop.activate(window)
        daemon.wait_for_visit("blocklist", "Alex", timeout=40)
        assert "watching windows again" in daemon.log()
        assert daemon.stop() == 0
    finally:
        desktop.stop()


def test_the_daemon_survives_the_x_server_dying_and_resumes_on_a_new_one(
    desktop: Desktop, daemon_factory: Callable[..., NudgerDaemon]
) -> None:
    daemon = daemon_factory(desktop, ALEX).start()
    daemon.wait_watching()
    window = desktop.open_xterm("Alex Doe - messages")
    desktop.activate(window)
    daemon.wait_for_visit("blocklist", "Alex", min_seconds=1, timeout=10)

    killed_at = time.time()
    desktop.kill_x()
    wait_until(lambda: "lost the X display" in daemon.log(), 10, "the daemon to notice")
    time.sleep(2)
    assert daemon.process is not None and daemon.process.poll() is None, daemon.log()
    # The visit ended where it was last seen, not when the daemon noticed.
    [(ended_at,)] = daemon.query("SELECT max(ended_at) FROM visits")
    assert ended_at <= killed_at + 0.01

    desktop.start_x(desktop.number)
    desktop.start_window_manager()
    again = desktop.open_xterm("Alex Doe - messages, again")
    desktop.activate(again)
    wait_until(lambda: daemon.query("SELECT count(*) FROM visits")[0][0] >= 2, 40, "a new visit")
    assert daemon.stop(signal.SIGINT) == 0
    assert "Traceback" not in daemon.log()
