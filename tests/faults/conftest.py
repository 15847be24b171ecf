"""Fixtures for fault tests that need no desktop: the daemon counts a running "Discord"."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.nudger_process import NudgerDaemon, isolated_env

FAST_SCAN = "[watch]\nprocess_scan_seconds = 1\nflush_seconds = 1\n"


def headless_env(tmp_path: Path, data_dir: Path | None = None) -> dict[str, str]:
    """No display at all: the daemon falls back to counting running apps."""
    env = isolated_env(tmp_path)
    for key in (
        "DISPLAY",
        "WAYLAND_DISPLAY",
        "SWAYSOCK",
        "HYPRLAND_INSTANCE_SIGNATURE",
        "XDG_SESSION_TYPE",
    ):
        env.pop(key, None)
    if data_dir is not None:
        env["NUDGER_DATA_DIR"] = str(data_dir)
    return env


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
