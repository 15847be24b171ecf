"""Changing the config while the daemon runs: `nudger block add`, a file edit, SIGHUP, a broken edit."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.desktop.rig import Desktop, wait_until
from tests.nudger_process import NudgerDaemon, run_cli

pytestmark = pytest.mark.desktop


def test_block_add_counts_a_title_already_on_screen_without_a_restart(
    desktop: Desktop, daemon_factory: Callable[..., NudgerDaemon]
) -> None:
    daemon = daemon_factory(desktop, "# my settings\n")
    daemon.start().wait_watching()
    desktop.activate(desktop.open_xterm("Jamie Rivers - chat"))
    time.sleep(3)
    assert daemon.query("SELECT count(*) FROM visits") == [(0,)]

    added = run_cli(daemon.env, "block", "add", "Jamie", "--match", "Jamie Rivers")
    assert added.returncode == 0, added.stderr
    began = time.monotonic()
    daemon.wait_for_visit("blocklist", "Jamie", timeout=8)
    assert time.monotonic() - began < 6, "seen within a few seconds"
    pid_before = daemon.process.pid if daemon.process else None
    assert (
        daemon.process is not None
        and daemon.process.pid == pid_before
        and daemon.process.poll() is None
    )
    assert "config reloaded" in daemon.log()


def test_sighup_reloads_and_a_broken_edit_keeps_the_last_good_config(
    desktop: Desktop, daemon_factory: Callable[..., NudgerDaemon]
) -> None:
    daemon = daemon_factory(desktop, '[[blocklist]]\nname = "Jamie"\nmatch = ["Jamie Rivers"]\n')
    daemon.start().wait_watching()
    desktop.activate(desktop.open_xterm("Jamie Rivers - chat"))
    daemon.wait_for_visit("blocklist", "Jamie", timeout=5)

    # A broken edit: logged, and Jamie still counts.
    config: Path = daemon.config_path
    good = config.read_text()
    config.write_text(good + '[[blocklist]]\nname = "Broken"\nmatch = ["re:(oops"]\n')
    wait_until(
        lambda: "keeping the last good one" in daemon.log(), 8, "the broken config to be refused"
    )
    line = next(line for line in daemon.log().splitlines() if "keeping the last good one" in line)
    assert str(config) in line and 'blocklist[1] ("Broken").match' in line and "RE2" in line
    seconds = daemon.seconds_for("blocklist", "Jamie")
    daemon.wait_for_visit("blocklist", "Jamie", min_seconds=seconds + 3, timeout=10)

    # Fixing the file is noticed by itself ...
    reloads = daemon.log().count("config reloaded")
    config.write_text(good.replace("Jamie Rivers", "Jamie Rivers - chat"))
    wait_until(
        lambda: daemon.log().count("config reloaded") == reloads + 1, 8, "the fixed file to load"
    )
    # ... and SIGHUP reloads even when nothing changed on disk.
    time.sleep(3)
    assert daemon.log().count("config reloaded") == reloads + 1
    daemon.send(signal.SIGHUP)
    wait_until(lambda: daemon.log().count("config reloaded") == reloads + 2, 5, "SIGHUP to reload")
    assert daemon.process is not None and daemon.process.poll() is None
