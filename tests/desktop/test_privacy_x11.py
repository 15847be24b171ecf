"""Privacy, checked on the bytes: unmatched titles never stored, private files, no network."""

from __future__ import annotations

import stat
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest

from tests.desktop.rig import Desktop, wait_until
from tests.nudger_process import NudgerDaemon, run_cli

pytestmark = [pytest.mark.desktop, pytest.mark.browser]

ALEX = """
[[blocklist]]
name = "Alex"
match = ["Alex Doe", "@alexdoe"]
[nudges]
min_gap_minutes = 0
blocklist_repeat_minutes = 0.1
night = ""
[privacy]
store_titles = true
"""
UNMATCHED = ("notes.txt", "Statement March - My Bank", "Private diary entry")


def every_byte(*roots: Path) -> bytes:
    data = b""
    for root in roots:
        for path in sorted(root.rglob("*")) if root.is_dir() else [root]:
            if path.is_file():
                data += path.read_bytes()
    return data


def test_unmatched_titles_never_reach_any_file_and_nothing_goes_online(
    desktop: Desktop, daemon_factory: Callable[..., NudgerDaemon], tmp_path: Path
) -> None:
    daemon = daemon_factory(desktop, ALEX).start()
    daemon.wait_watching()
    assert daemon.process is not None
    process = psutil.Process(daemon.process.pid)
    connections: list[object] = []

    windows = [desktop.open_xterm(title) for title in UNMATCHED]
    profile = desktop.open_chromium("Alex Doe (@alexdoe) • Instagram photos and videos")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        for window in (*windows, profile):
            desktop.activate(window)
            connections += process.net_connections(kind="inet")
            time.sleep(0.7)
    wait_until(lambda: daemon.query("SELECT count(*) FROM nudges")[0][0] >= 1, 30, "a nudge or two")
    connections += process.net_connections(kind="inet")
    assert connections == [], f"the daemon opened network connections: {connections}"
    assert daemon.stop() == 0

    report = tmp_path / "report.html"
    assert run_cli(daemon.env, "summary", "--html", str(report)).returncode == 0
    stored = every_byte(daemon.data_dir, report)
    for title in UNMATCHED:
        assert title.encode() not in stored, f"{title!r} was written somewhere"
    # Matched titles are stored on request, with the blocklist words blanked out.
    titles = [row[0] for row in daemon.query("SELECT title FROM visits WHERE title IS NOT NULL")]
    assert titles and all("Alex Doe" not in t and "alexdoe" not in t for t in titles)
    assert b"Alex Doe" not in stored

    private = [daemon.data_dir, daemon.data_dir / "logs"]
    for directory in private:
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700, directory
    # (The config file here was written by the test itself; nudger's own edits are 0600 too,
    # see test_block_cli.)
    for path in [*daemon.data_dir.rglob("*"), report]:
        if path.is_file():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
