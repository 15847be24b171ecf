"""Fixtures for fault tests that need no desktop: the daemon counts a running "Discord"."""

from __future__ import annotations

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
