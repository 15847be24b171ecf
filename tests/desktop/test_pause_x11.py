"""`nudger pause` and `nudger resume` from another terminal, against the running daemon."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from tests.desktop.rig import Desktop, wait_until
from tests.nudger_process import NudgerDaemon, run_cli

pytestmark = pytest.mark.desktop

ALEX = '[[blocklist]]\nname = "Alex"\nmatch = ["Alex Doe"]\n'


def nudges_shown(desktop: Desktop) -> int:
    return sum(1 for call in desktop.notify_calls() if call and call[0] == "nudger")


def test_pause_holds_across_a_restart_and_resume_is_seen_within_a_sample(
    desktop: Desktop, daemon_factory: Callable[..., NudgerDaemon]
) -> None:
    daemon = daemon_factory(desktop, ALEX).start()
    daemon.wait_watching()
    paused = run_cli(daemon.env, "pause", "1h")
    assert paused.returncode == 0, paused.stderr
    assert "paused until" in paused.stdout

    desktop.activate(desktop.open_xterm("Alex Doe - chat"))
    daemon.wait_for_visit("blocklist", "Alex", min_seconds=7, timeout=30)
    assert nudges_shown(desktop) == 0

    # A restart keeps the pause.
    assert daemon.stop() == 0
    daemon.start()
    daemon.wait_watching()
    time.sleep(7)
    assert nudges_shown(desktop) == 0
    assert daemon.seconds_for("blocklist", "Alex") >= 7, "visits are still counted while paused"

    resumed = run_cli(daemon.env, "resume")
    assert resumed.returncode == 0 and "back on" in resumed.stdout
    said_at = time.monotonic()
    wait_until(lambda: nudges_shown(desktop) == 1, 30, "a nudge once the pause ended")
    # The visit had long passed 5 s, so the nudge waits only for the next sample.
    assert time.monotonic() - said_at <= 2.5


def test_pause_until_a_time_of_day(
    desktop: Desktop, daemon_factory: Callable[..., NudgerDaemon]
) -> None:
    daemon = daemon_factory(desktop, ALEX)
    result = run_cli(daemon.env, "pause", "--until", "18:00")
    assert result.returncode == 0, result.stderr
    assert "18:00" in result.stdout
    bad = run_cli(daemon.env, "pause", "--until", "teatime")
    assert bad.returncode == 2 and "not a time" in bad.stderr
    bad = run_cli(daemon.env, "pause", "soon")
    assert bad.returncode == 2 and "not a duration" in bad.stderr
