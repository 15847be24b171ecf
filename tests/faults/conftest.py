"""Fixtures for fault tests that need no desktop: the daemon counts a running "Discord"."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.nudger_process import NudgerDaemon, headless_env

FAST_SCAN = "[watch]\nprocess_scan_seconds = 1\nflush_seconds = 1\n"


@pytest.fixture
def headless_daemon(tmp_path: Path) -> Iterator[Callable[..., NudgerDaemon]]:
    started: list[NudgerDaemon] = []

    def make(config: str = FAST_SCAN, data_dir: Path | None = None) -> NudgerDaemon:
        daemon = NudgerDaemon(tmp_path, headless_env(tmp_path, data_dir), config)
        started.append(daemon)
        return daemon

    yield make
    for daemon in started:
        daemon.stop()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 4 MB file system (tmpfs), so it can really fill up and really turn read-only."""
    mount = tmp_path / "disk"
    mount.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"this test mounts a small tmpfs and needs root: {result.stderr.strip()}", pytrace=False
        )
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
