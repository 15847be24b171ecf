"""`nudger browser ...` as a person runs it (the real command, in its own home)."""

from __future__ import annotations

import json
from pathlib import Path

from nudger.browser.host import NAME
from tests.nudger_process import isolated_env, run_cli


def test_install_status_and_uninstall(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    home = Path(env["HOME"])

    installed = run_cli(env, "browser", "install", "--browser", "chromium", "--browser", "firefox")
    assert installed.returncode == 0, installed.stderr
    manifest = home / ".config/chromium/NativeMessagingHosts" / f"{NAME}.json"
    assert json.loads(manifest.read_text())["name"] == NAME
    extension = run_cli(env, "browser", "extension-dir").stdout.strip()
    assert (Path(extension) / "manifest.json").is_file()
    # Plain steps for each browser, naming the folder or the package to add.
    assert 'open chrome://extensions, switch on "Developer mode"' in installed.stdout
    assert extension in installed.stdout
    assert "nudger-companion.xpi" in installed.stdout and "about:addons" in installed.stdout

    status = run_cli(env, "browser", "status")
    assert status.returncode == 1  # no browser is connected
    assert "Chromium: host installed; nudger is not running" in status.stdout
    assert "Firefox: host installed; nudger is not running" in status.stdout

    doctor = run_cli(env, "doctor")
    assert "Browser companion:" in doctor.stdout
    assert "  Chromium: host installed" in doctor.stdout

    removed = run_cli(env, "browser", "uninstall")
    assert removed.returncode == 0 and str(manifest) in removed.stdout
    assert not manifest.exists()
    again = run_cli(env, "browser", "uninstall")
    assert "Nothing to remove" in again.stdout
    assert "No browser is set up" in run_cli(env, "browser", "status").stdout


def test_install_with_no_browser_found_says_how_to_name_one(tmp_path: Path) -> None:
    env = {**isolated_env(tmp_path), "PATH": str(tmp_path / "nothing-here")}
    result = run_cli(env, "browser", "install")
    assert result.returncode == 1
    assert "No browser found here" in result.stdout
    assert "--browser chromium" in result.stdout


def test_a_mistyped_browser_gets_the_choices(tmp_path: Path) -> None:
    result = run_cli(isolated_env(tmp_path), "browser", "install", "--browser", "chromum")
    assert result.returncode == 2
    assert "chromium" in result.stderr and "Traceback" not in result.stderr


def test_every_browser_command_has_help(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    for action in ("install", "status", "uninstall", "extension-dir"):
        result = run_cli(env, "browser", action, "--help")
        assert result.returncode == 0 and "usage: nudger browser" in result.stdout


def test_install_names_the_settings_file_given_with_config(tmp_path: Path) -> None:
    """The host reads [support] from the file the launcher names: `--config`'s, when given."""
    env = isolated_env(tmp_path)
    own = tmp_path / "elsewhere" / "my settings.toml"
    own.parent.mkdir()
    own.write_text('[support]\nline = "call Sam"\n', encoding="utf-8")
    installed = run_cli(env, "--config", str(own), "browser", "install", "--browser", "chromium")
    assert installed.returncode == 0, installed.stderr
    launcher = Path(env["NUDGER_DATA_DIR"]) / "browser" / "nudger-host"
    assert f"export NUDGER_CONFIG='{own}'" in launcher.read_text()
    status = run_cli(env, "--config", str(own), "browser", "status")
    assert "out of date" not in status.stdout
