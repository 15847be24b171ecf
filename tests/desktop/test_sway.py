"""Wayland, for real: headless sway, a foot terminal, the daemon over sway's IPC socket."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from nudger import sensing
from nudger.sensing.sway import SwaySensor
from nudger.sensing.wayland_idle import IdleWatch
from nudger.settings.catalogue import all_rules
from nudger.settings.loader import load
from nudger.shell.watcher import Watcher
from nudger.store import Store
from tests.desktop.rig import wait_until
from tests.desktop.sway_rig import Sway, running_sway
from tests.nudger_process import NudgerDaemon, isolated_env, run_cli

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
    daemon.wait_for_visit("blocklist", "Alex", timeout=30)
    daemon.wait_for_visit("blocklist", "Alex", min_seconds=2, timeout=30)

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
    daemon.wait_for_visit("blocklist", "Alex", timeout=30)
    assert daemon.stop() == 0


def test_idle_time_on_sway_comes_from_swayidle(sway: Sway) -> None:
    sensor = SwaySensor(sway.socket)
    idle = IdleWatch.start(2, sway.env)
    assert idle is not None, "swayidle is installed by scripts/test"
    sensor.attach_idle(idle)
    try:
        assert sensor.read().idle_seconds == 0.0
        # Headless sway has no input devices, so nobody touches anything: idle after 2 s.
        wait_until(lambda: sensor.read().idle_seconds >= 2.0, 30, "swayidle to report idle")
        assert sensor.read().idle_seconds < 30
    finally:
        sensor.close()


def test_doctor_on_sway(sway: Sway, tmp_path: Path) -> None:
    result = run_cli(isolated_env(tmp_path, sway.env), "doctor")
    assert "Session: wayland" in result.stdout
    assert "Window backend: sway" in result.stdout
    assert "working:" in result.stdout and "not working" not in result.stdout


def test_a_glance_between_two_samples_is_a_visit_on_sway(sway: Sway, tmp_path: Path) -> None:
    sway.open_foot("notes", "other")
    sway.open_foot("Alex Doe - messages", "chat")
    sway.focus("other")
    config = tmp_path / "config.toml"
    config.write_text('[[blocklist]]\nname = "Alex"\nmatch = ["Alex Doe"]\n', encoding="utf-8")
    store = Store.open(tmp_path / "data" / "nudger.db")
    settings = load(config, env={}).settings
    watcher = Watcher(settings, sensing.detect(sway.env), store, rules=all_rules(settings))
    try:
        first = watcher.tick()
        assert first.reading is not None and first.reading.window is not None
        assert first.reading.window.title == "notes"

        sway.focus("chat")
        time.sleep(0.5)
        sway.focus("other")
        time.sleep(0.3)
        sample = watcher.tick()
        assert sample.hits == (), "no sample ever saw the chat in front"
        assert sample.reading is not None
        assert [g.window.title for g in sample.reading.glances if g.window] == [
            "Alex Doe - messages",
            "notes",
        ]
        assert watcher.stop()
        [visit] = [v for v in store.visits_between(0, time.time() + 60) if v.target == "Alex"]
        assert 0.3 <= visit.seconds <= 1.5, visit.seconds
    finally:
        watcher.stop()
        store.close()
