"""A real panel shows the icon: waybar's tray on the headless sway the tests already run. The
session bus, waybar and nudger run as one user (the panel and the item must share the bus);
grim takes the screenshot, and the tray area must hold the icon's colours."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from tests.desktop.rig import BUS_CONFIG, kill_group, wait_until
from tests.desktop.sway_rig import Sway, running_sway
from tests.nudger_process import NudgerDaemon, isolated_env, run_cli

pytestmark = pytest.mark.wayland

BAR_HEIGHT = 32
WATCHING = (46, 139, 135)  # the discs' colours, from scripts/make_tray_icons
PAUSED = (104, 118, 148)
BAR_BACKGROUND = (32, 32, 32)


@pytest.fixture
def panel(tmp_path: Path) -> Iterator[tuple[Sway, dict[str, str]]]:
    missing = [tool for tool in ("sway", "waybar", "grim", "dbus-daemon") if not shutil.which(tool)]
    if missing:
        pytest.fail(f"missing: {', '.join(missing)}; ./scripts/test installs them", pytrace=False)
    processes: list[subprocess.Popen[bytes]] = []
    with running_sway() as sway:
        bus = tmp_path / "bus"
        config = tmp_path / "bus.conf"
        config.write_text(BUS_CONFIG.format(socket=bus), encoding="utf-8")
        processes.append(
            subprocess.Popen(
                ["dbus-daemon", f"--config-file={config}", "--nofork", "--nopidfile"],
                start_new_session=True,
            )
        )
        wait_until(bus.exists, 30, "the session bus")
        env = {**sway.env, "DBUS_SESSION_BUS_ADDRESS": f"unix:path={bus}", "HOME": str(tmp_path)}
        bar = tmp_path / "waybar"
        bar.mkdir()
        (bar / "config").write_text(
            json.dumps(
                {
                    "layer": "top",
                    "position": "top",
                    "height": BAR_HEIGHT,
                    "modules-right": ["tray"],
                    "tray": {"icon-size": 24, "spacing": 4},
                }
            ),
            encoding="utf-8",
        )
        (bar / "style.css").write_text(
            "* { border: none; }\nwindow#waybar { background: rgb" + str(BAR_BACKGROUND) + "; }\n",
            encoding="utf-8",
        )
        with (tmp_path / "waybar.log").open("ab") as log:
            processes.append(
                subprocess.Popen(
                    ["waybar", "-c", str(bar / "config"), "-s", str(bar / "style.css")],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        try:
            yield sway, env
        finally:
            for process in reversed(processes):
                kill_group(process)


def _tray_pixels(env: dict[str, str], shot: Path, colour: tuple[int, int, int]) -> int:
    """How many pixels of the bar along the top of the screen are close to `colour`."""
    subprocess.run(["grim", str(shot)], env=env, check=True, timeout=20, capture_output=True)
    with Image.open(shot) as image:
        data = image.convert("RGB").crop((0, 0, image.width, BAR_HEIGHT)).tobytes()
    return sum(
        1
        for i in range(0, len(data), 3)
        if all(abs(data[i + k] - colour[k]) <= 24 for k in range(3))
    )


def test_waybar_shows_the_icon_and_follows_a_pause(
    panel: tuple[Sway, dict[str, str]], tmp_path: Path
) -> None:
    _sway, env = panel
    shot = tmp_path / "screen.png"
    # Nothing of ours in the bar before nudger runs.
    assert _tray_pixels(env, shot, WATCHING) == 0
    daemon = NudgerDaemon(tmp_path, isolated_env(tmp_path, env)).start()
    try:
        wait_until(
            lambda: "status icon registered with the panel" in daemon.log(),
            60,
            "the icon to register with waybar's watcher",
        )
        wait_until(lambda: _tray_pixels(env, shot, WATCHING) >= 40, 60, "the icon in waybar's tray")
        assert run_cli(daemon.env, "pause", "1h").returncode == 0
        wait_until(lambda: _tray_pixels(env, shot, PAUSED) >= 40, 60, "the paused icon in the tray")
        assert _tray_pixels(env, shot, WATCHING) < 10
    finally:
        assert daemon.stop() == 0
