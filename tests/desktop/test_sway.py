"""Wayland, for real: headless sway, a foot terminal, the daemon over sway's IPC socket."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from nudger import sensing
from tests.desktop.sway_rig import Sway, running_sway
from tests.nudger_process import NudgerDaemon, isolated_env

pytestmark = pytest.mark.wayland


@pytest.fixture
def sway() -> Iterator[Sway]:
    missing = [tool for tool in ("sway", "foot", "swaymsg") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"missing: {', '.join(missing)}; ./scripts/test installs them", pytrace=False)
    with running_sway() as running:
        yield running


def test_a_focused_foot_window_is_logged_within_two_seconds(sway: Sway, tmp_path: Path) -> None:
    sway.open_foot("notes", "other")
    env = isolated_env(tmp_path, sway.env)
    assert sensing.detect(env).name == "sway"
    daemon = NudgerDaemon(
        tmp_path, env, '[[blocklist]]\nname = "Alex"\nmatch = ["Alex Doe"]\n'
    ).start()
    daemon.wait_watching()
    sway.open_foot("Alex Doe - messages", "chat")
    sway.focus("chat")
    focused = time.monotonic()
    daemon.wait_for_visit("blocklist", "Alex", timeout=2.0)
    assert time.monotonic() - focused <= 2.0
    daemon.wait_for_visit("blocklist", "Alex", min_seconds=2, timeout=8)

    sway.focus("other")  # switching away ends the visit
    time.sleep(4)
    seconds = daemon.seconds_for("blocklist", "Alex")
    time.sleep(2)
    assert daemon.seconds_for("blocklist", "Alex") == seconds
    assert daemon.stop() == 0
    assert daemon.query("SELECT DISTINCT target FROM visits") == [("Alex",)]
    assert "window backend: sway" in daemon.log()


def test_a_title_change_in_the_focused_window_is_seen(sway: Sway, tmp_path: Path) -> None:
    env = isolated_env(tmp_path, sway.env)
    daemon = NudgerDaemon(
        tmp_path, env, '[[blocklist]]\nname = "Alex"\nmatch = ["Alex Doe"]\n'
    ).start()
    daemon.wait_watching()
    # The program inside foot renames its window after 4 s (OSC 2, as a shell prompt or a
    # browser tab switch would); sway reports it as a title event on the focused window.
    rename = 'sleep 4; printf "\\033]2;Alex Doe - chat\\007"; exec sleep 3600'
    sway.open_foot("plain terminal", "term", "sh", "-c", rename)
    sway.focus("term")
    time.sleep(2)
    assert daemon.query("SELECT count(*) FROM visits") == [(0,)]
    daemon.wait_for_visit("blocklist", "Alex", timeout=6)
    assert daemon.stop() == 0
