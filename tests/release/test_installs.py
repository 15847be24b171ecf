"""The released wheel, installed the ecosystem's way (pipx, and uv's tool install) into homes
of their own, gives a working companion: `nudger browser install` from that install, and a
real Chromium's companion speaks to the daemon of that install.

The wheel is the one scripts/release built (once per session, see conftest.py); the
dependencies come from the package index, through pip's and uv's own caches."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import nudger
import tests.nudger_process
from tests.desktop.browser_rig import ChromiumCompanion, StandIn
from tests.desktop.conftest import desktop  # noqa: F401 - the fixture, used by name
from tests.desktop.rig import Desktop, wait_until
from tests.nudger_process import NudgerDaemon, isolated_env

pytestmark = [pytest.mark.desktop, pytest.mark.browser]

# The Python the tools build their environments from: this one's base, never a download.
PYTHON = getattr(sys, "_base_executable", sys.executable)
TOOLS_BIN = Path(sys.executable).parent


def _pipx(wheel: Path, root: Path) -> Path:
    env = {
        **os.environ,
        "PIPX_HOME": str(root / "pipx"),
        "PIPX_BIN_DIR": str(root / "bin"),
        "PIPX_MAN_DIR": str(root / "man"),
    }
    _run([str(TOOLS_BIN / "pipx"), "install", "--python", PYTHON, str(wheel)], env)
    return root / "bin" / "nudger"


def _uv(wheel: Path, root: Path) -> Path:
    env = {
        **os.environ,
        "UV_TOOL_DIR": str(root / "uv-tools"),
        "UV_TOOL_BIN_DIR": str(root / "bin"),
        "UV_PYTHON_DOWNLOADS": "never",
    }
    _run([str(TOOLS_BIN / "uv"), "tool", "install", "--python", PYTHON, str(wheel)], env)
    return root / "bin" / "nudger"


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, f"{command}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"


INSTALLERS = {"pipx": _pipx, "uv": _uv}


@pytest.fixture
def stand_in(tmp_path: Path) -> Iterator[StandIn]:
    site = StandIn(tmp_path, {"/": "Quiet"}).start()
    yield site
    site.stop()


@pytest.mark.parametrize("tool", sorted(INSTALLERS))
def test_the_installed_wheel_gives_a_companion_that_connects(
    tool: str,
    released: Path,
    tmp_path: Path,
    desktop: Desktop,  # noqa: F811 - the fixture imported above
    stand_in: StandIn,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    [wheel] = released.glob("nudger-*.whl")
    installed = INSTALLERS[tool](wheel, tmp_path / tool)
    assert installed.exists(), f"{tool} put no nudger in its bin folder"
    # Every nudger the rig runs (the daemon, `browser install`, `browser extension-dir`) is
    # now the installed one, not this checkout's.
    monkeypatch.setattr(tests.nudger_process, "NUDGER", str(installed))
    env = isolated_env(tmp_path, desktop.env)
    version = subprocess.run(
        [str(installed), "--version"], env=env, capture_output=True, text=True, check=True
    )
    assert version.stdout.strip() == f"nudger {nudger.__version__}"

    daemon = NudgerDaemon(tmp_path, env, "").start()
    try:
        daemon.wait_watching(timeout=60)
        browser = ChromiumCompanion(desktop, stand_in, env)
        browser.install_host()
        # The host Chromium will start is the installed one, inside the tool's own folder.
        host_manifest = browser.profile / "NativeMessagingHosts" / "app.nudger.companion.json"
        launcher = Path(json.loads(host_manifest.read_text(encoding="utf-8"))["path"])
        assert f"exec {tmp_path / tool}/" in launcher.read_text(encoding="utf-8")
        extension = tests.nudger_process.run_cli(env, "browser", "extension-dir").stdout.strip()
        assert (tmp_path / tool) in Path(extension).resolve().parents, extension
        browser.start()

        def spoke() -> bool:
            status = daemon.status() or {}
            return any(b["connected"] for b in status.get("browsers", []))

        wait_until(spoke, 90, f"Chromium's companion (installed with {tool}) to speak")
    finally:
        daemon.stop()  # the desktop's teardown ends Chromium
