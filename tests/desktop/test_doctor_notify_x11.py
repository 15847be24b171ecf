"""`nudger doctor --notify` sends a real notification to real dunst, and says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.desktop.rig import Desktop, wait_until
from tests.nudger_process import isolated_env, run_cli

pytestmark = pytest.mark.desktop


def test_doctor_notify_reaches_dunst(desktop: Desktop, tmp_path: Path) -> None:
    result = run_cli(isolated_env(tmp_path, desktop.env), "doctor", "--notify")
    assert "Test notification: delivered, through dbus" in result.stdout, result.stdout
    wait_until(
        lambda: any("nudger is working" in call for call in desktop.notify_calls()),
        10,
        "the test notification at dunst",
    )


def test_doctor_notify_says_when_nothing_can_show_it(
    quiet_desktop: Desktop, tmp_path: Path
) -> None:
    result = run_cli(isolated_env(tmp_path, quiet_desktop.env), "doctor", "--notify")
    assert result.returncode == 1
    assert "Test notification: not delivered through dbus" in result.stdout
