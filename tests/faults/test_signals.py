"""Signals at any moment: the daemon always stops promptly, and SIGHUP never stops it."""

from __future__ import annotations

import random
import signal
import subprocess
import time
from collections.abc import Callable

from tests.desktop.rig import wait_until
from tests.nudger_process import NudgerDaemon

# Every job busy at once: samples, scans and status writes all the time.
BUSY = "[watch]\npoll_seconds = 0.2\nprocess_scan_seconds = 1\nflush_seconds = 1\n"


def test_sigterm_at_random_moments_always_stops_within_seconds(
    fake_discord: subprocess.Popen[bytes], headless_daemon: Callable[..., NudgerDaemon]
) -> None:
    rng = random.Random(5)
    daemon = headless_daemon(BUSY)
    for round_number in range(1, 9):
        daemon.start()
        wait_until(lambda n=round_number: daemon.log().count("nudger started") >= n, 10, "start-up")
        time.sleep(rng.random() * 1.5)
        began = time.monotonic()
        # A SIGHUP storm first: handled as reloads, never as a stop, never a hang.
        for _ in range(rng.randint(0, 3)):
            daemon.send(signal.SIGHUP)
        assert daemon.stop(signal.SIGTERM, timeout=10) == 0, daemon.log()
        assert time.monotonic() - began < 10
    assert daemon.log().count("received SIGTERM") == 8


def test_sighup_reloads_and_keeps_running(
    fake_discord: subprocess.Popen[bytes], headless_daemon: Callable[..., NudgerDaemon]
) -> None:
    daemon = headless_daemon(BUSY).start()
    wait_until(
        lambda: "watching windows" in daemon.log() or "counting the social apps" in daemon.log(),
        10,
        "start-up",
    )
    for count in range(1, 4):
        daemon.send(signal.SIGHUP)
        wait_until(
            lambda n=count: daemon.log().count("config reloaded") >= n, 10, f"reload {count}"
        )
    assert daemon.process is not None and daemon.process.poll() is None
