"""Login integration: the files produced pass the real validators, and disable undoes enable."""

from __future__ import annotations

import os
import plistlib
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nudger.autostart import daemon_command, method_for
from nudger.autostart.launchd import LaunchAgent
from nudger.autostart.systemd import SystemdUserUnit
from nudger.autostart.windows import RUN_KEY, VALUE_NAME, WindowsRunKey
from nudger.autostart.xdg import XdgAutostart
from tests.fakes import FakeWinreg
from tests.nudger_process import isolated_env, run_cli

COMMAND = daemon_command()


def test_the_command_is_absolute_and_starts_this_nudger() -> None:
    python, *rest = COMMAND
    assert Path(python).is_absolute() and Path(python).exists()
    assert rest == ["-m", "nudger", "run"]
    # Swap `run` for `--version`: the same command line starts this very installation.
    result = subprocess.run(
        [python, "-m", "nudger", "--version"],
        capture_output=True,
        text=True,
        check=True,
        cwd="/",
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.stdout.startswith("nudger ")


def test_xdg_entry_passes_desktop_file_validate(tmp_path: Path) -> None:
    method = XdgAutostart({"XDG_CONFIG_HOME": str(tmp_path)})
    entry = method.enable(COMMAND)
    assert entry.location == str(tmp_path / "autostart" / "nudger.desktop")
    validator = shutil.which("desktop-file-validate")
    assert validator, "desktop-file-utils is installed by scripts/test"
    result = subprocess.run(
        [validator, entry.location], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and result.stdout + result.stderr == "", (
        result.stdout + result.stderr
    )
    text = Path(entry.location).read_text()
    exec_line = next(line for line in text.splitlines() if line.startswith("Exec="))
    assert shlex.split(exec_line.removeprefix("Exec=")) == list(COMMAND)
    status = method.status()
    assert status is not None and status.ours
    assert method.disable() == [entry.location]
    assert not Path(entry.location).exists()
    assert method.status() is None


def test_xdg_disable_leaves_a_file_it_did_not_write(tmp_path: Path) -> None:
    method = XdgAutostart({"XDG_CONFIG_HOME": str(tmp_path)})
    method.path.parent.mkdir(parents=True)
    method.path.write_text("[Desktop Entry]\nType=Application\nName=mine\nExec=/usr/bin/true\n")
    assert method.disable() == []
    assert method.path.exists()


def test_xdg_entry_with_spaces_in_the_path(tmp_path: Path) -> None:
    method = XdgAutostart({"XDG_CONFIG_HOME": str(tmp_path)})
    command = ("/home/sam/My Apps/venv/bin/python", "-m", "nudger", "run")
    entry = method.enable(command)
    result = subprocess.run(
        ["desktop-file-validate", entry.location], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout
    assert (
        'Exec="/home/sam/My Apps/venv/bin/python" -m nudger run' in Path(entry.location).read_text()
    )


def test_systemd_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    method = SystemdUserUnit({"XDG_CONFIG_HOME": str(tmp_path)})
    entry = method.enable(COMMAND)
    assert entry.location == str(tmp_path / "systemd" / "user" / "nudger.service")
    text = Path(entry.location).read_text()
    assert "WantedBy=graphical-session.target" in text and "PartOf=graphical-session.target" in text
    assert "Restart=on-failure" in text
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    result = subprocess.run(
        ["systemd-analyze", "--user", "verify", entry.location],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "XDG_RUNTIME_DIR": str(runtime)},
    )
    # systemd-analyze reports a bad line on stderr even when it exits 0, so both must be clean.
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert method.disable() == [entry.location]
    assert not Path(entry.location).exists()


def test_systemd_verify_does_catch_a_broken_unit(tmp_path: Path) -> None:
    """The check above could fail: the same validator rejects a unit with a missing program."""
    method = SystemdUserUnit({"XDG_CONFIG_HOME": str(tmp_path)})
    entry = method.enable(("/nonexistent/python", "-m", "nudger", "run"))
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    result = subprocess.run(
        ["systemd-analyze", "--user", "verify", entry.location],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "XDG_RUNTIME_DIR": str(runtime)},
    )
    assert result.returncode != 0 or result.stderr


def test_launch_agent_plist_round_trip(tmp_path: Path) -> None:
    method = LaunchAgent(home=tmp_path)
    entry = method.enable(COMMAND)
    assert entry.location == str(tmp_path / "Library" / "LaunchAgents" / "app.nudger.plist")
    with Path(entry.location).open("rb") as handle:
        plist = plistlib.load(handle)
    assert plist["Label"] == "app.nudger"
    assert plist["ProgramArguments"] == list(COMMAND)
    assert plist["RunAtLoad"] is True
    assert plist["KeepAlive"] == {"SuccessfulExit": False}  # restarted after a crash only
    status = method.status()
    assert status is not None and status.ours and status.command == COMMAND
    assert method.disable() == [entry.location]
    assert method.status() is None


def test_windows_run_key_through_a_fake_winreg() -> None:
    registry = FakeWinreg()
    method = WindowsRunKey(registry)
    assert method.status() is None
    command = (r"C:\Users\Sam Lee\pipx\venvs\nudger\Scripts\pythonw.exe", "-m", "nudger", "run")
    entry = method.enable(command)
    assert entry.location == rf"HKEY_CURRENT_USER\{RUN_KEY}\{VALUE_NAME}"
    value, kind = registry.keys[("HKCU", RUN_KEY)][VALUE_NAME]
    assert kind == FakeWinreg.REG_SZ
    assert value == r'"C:\Users\Sam Lee\pipx\venvs\nudger\Scripts\pythonw.exe" -m nudger run'
    status = method.status()
    assert status is not None and status.ours
    assert method.disable() == [entry.location]
    assert VALUE_NAME not in registry.keys[("HKCU", RUN_KEY)]
    assert method.disable() == []


def test_windows_leaves_a_foreign_value_alone_through_a_fake_winreg() -> None:
    registry = FakeWinreg()
    registry.keys[("HKCU", RUN_KEY)] = {VALUE_NAME: ("C:\\Tools\\other.exe", FakeWinreg.REG_SZ)}
    method = WindowsRunKey(registry)
    status = method.status()
    assert status is not None and not status.ours


def test_autostart_cli_round_trip(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    xdg = Path(env["XDG_CONFIG_HOME"]) / "autostart" / "nudger.desktop"
    assert run_cli(env, "autostart", "status").returncode == 1
    enabled = run_cli(env, "autostart", "enable")
    assert enabled.returncode == 0 and str(xdg) in enabled.stdout
    assert (
        f"runs: {Path(sys.executable).parent}/python" in enabled.stdout
    )  # the venv, not the system
    status = run_cli(env, "autostart", "status")
    assert status.returncode == 0 and "(xdg)" in status.stdout
    assert run_cli(env, "autostart", "disable").stdout.strip() == f"Removed {xdg}"
    assert not xdg.exists()


def test_status_and_disable_find_a_systemd_unit_without_being_told(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    unit_path = Path(env["XDG_CONFIG_HOME"]) / "systemd" / "user" / "nudger.service"
    unit = run_cli(env, "autostart", "enable", "--method", "systemd")
    assert unit.returncode == 0 and "nudger.service" in unit.stdout
    status = run_cli(env, "autostart", "status")
    assert status.returncode == 0 and f"(systemd): {unit_path}" in status.stdout

    second = run_cli(env, "autostart", "enable")  # XDG, the default: it would start twice
    assert second.returncode == 1 and "already starts at login (systemd)" in second.stdout
    assert not (Path(env["XDG_CONFIG_HOME"]) / "autostart" / "nudger.desktop").exists()

    assert run_cli(env, "autostart", "disable").stdout.strip() == f"Removed {unit_path}"
    assert not unit_path.exists()
    gone = run_cli(env, "autostart", "status")
    assert gone.returncode == 1 and "xdg, systemd" in gone.stdout


@pytest.mark.parametrize("platform", ["linux", "darwin", "win32"])
def test_each_platform_has_a_method(platform: str) -> None:
    if platform == "win32":
        with pytest.raises(ModuleNotFoundError):  # winreg exists only on Windows
            method_for(None, platform)
    else:
        assert method_for(None, platform).name in {"xdg", "launchd"}
