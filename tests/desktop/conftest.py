"""Fixtures for tests that run on a real headless desktop (see rig.py)."""

from __future__ import annotations

import shutil
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest

from tests.desktop.rig import REQUIRED_TOOLS, Desktop, running_desktop
from tests.nudger_process import NudgerDaemon, isolated_env


def _require_tools() -> None:
    missing = [tool for tool in REQUIRED_TOOLS if shutil.which(tool) is None]
    if missing:
        # Failing, not skipping: a desktop test that silently does not run proves nothing.
        pytest.fail(
            f"desktop tools missing: {', '.join(missing)}. Run ./scripts/test, which installs them.",
            pytrace=False,
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A failed test on the desktop also shows the end of each browser's own output (its
    console, the companion's errors, the native host's stderr): CI keeps nothing else of it."""
    report = yield
    desktop = getattr(item, "funcargs", {}).get("desktop")
    if report.when != "call" or not report.failed or not isinstance(desktop, Desktop):
        return report
    for log in sorted(desktop.workdir.glob("*-companion.log")):
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
        report.sections.append((f"the end of {log.name}", "\n".join(lines[-40:])))
    return report


@pytest.fixture
def desktop(tmp_path: Path) -> Iterator[Desktop]:
    _require_tools()
    with running_desktop(tmp_path / "desktop") as running:
        yield running


@pytest.fixture
def quiet_desktop(tmp_path: Path) -> Iterator[Desktop]:
    """A desktop with no notification server at all."""
    _require_tools()
    with running_desktop(tmp_path / "desktop", notifications=False) as running:
        yield running


@pytest.fixture
def daemon_factory(tmp_path: Path) -> Iterator[object]:
    started: list[NudgerDaemon] = []

    def make(desktop: Desktop, config: str = "") -> NudgerDaemon:
        daemon = NudgerDaemon(tmp_path, isolated_env(tmp_path, desktop.env), config)
        started.append(daemon)
        return daemon

    yield make
    for daemon in started:
        daemon.stop()
