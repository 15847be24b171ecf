"""The status icon on a real session bus, read by a test host that speaks the watcher's side of
the StatusNotifierItem protocol as a panel does (tests/desktop/tray_host.py)."""

from __future__ import annotations

import html
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desktop.rig import Desktop, wait_until
from tests.desktop.tray_host import TrayHost
from tests.nudger_process import NudgerDaemon, isolated_env, run_cli

pytestmark = pytest.mark.desktop

CONFIG = '[[blocklist]]\nname = "Alex"\nmatch = ["Alex Doe"]\n'
MENU = ("Pause 1 hour", "Today's summary", "Someone to talk to", "Settings")


@pytest.fixture
def host(desktop: Desktop) -> Iterator[TrayHost]:
    running = TrayHost(desktop.bus_address).start()
    yield running
    running.stop()


def _status(daemon: NudgerDaemon) -> str:
    return run_cli(daemon.env, "status").stdout


def _every_text(host: TrayHost) -> str:
    properties = host.properties()
    tooltip = properties["ToolTip"]
    return " ".join([properties["Title"], tooltip[0], tooltip[2], tooltip[3], *host.layout()])


def test_the_icon_registers_shows_its_menu_and_its_pause_pauses(
    desktop: Desktop, host: TrayHost, daemon_factory: object, tmp_path: Path
) -> None:
    daemon: NudgerDaemon = daemon_factory(desktop, CONFIG)  # type: ignore[operator]
    desktop.open_xterm("Alex Doe - profile")
    daemon.start()
    daemon.wait_watching(timeout=60)
    watching_at = time.monotonic()
    wait_until(lambda: host.registered, 60, "the icon to register with the watcher")
    # Registered no later than 2 s after the daemon began watching (it registers before).
    assert time.monotonic() - watching_at < 2, daemon.log()
    daemon.wait_for_visit("blocklist", "Alex", timeout=60)

    properties = host.properties()
    assert properties["IconName"] == "nudger-watching"
    assert properties["Menu"] == "/MenuBar"
    assert properties["ItemIsMenu"] is True
    sizes = [(width, height, len(data)) for width, height, data in properties["IconPixmap"]]
    assert (22, 22, 22 * 22 * 4) in sizes
    lines = host.layout()
    assert set(MENU) <= set(lines), lines
    today = [label for label in lines if label.startswith("Today so far")]
    assert len(today) == 1
    assert not host.enabled(lines[today[0]])
    # Never a name, a page or the topic: not in the title, the tooltip or the menu.
    assert "Alex" not in _every_text(host)
    assert "profile" not in _every_text(host)
    assert "paused" not in _status(daemon)

    clicked_at = time.monotonic()
    host.click(lines["Pause 1 hour"])
    wait_until(
        lambda: host.properties()["IconName"] == "nudger-paused", 30, "the icon to show paused"
    )
    changed_after = time.monotonic() - clicked_at
    assert "Nudges are paused until" in _status(daemon)
    assert "Resume" in host.layout()
    assert "nudger: paused" in _every_text(host)
    print(f"the icon changed {changed_after:.2f} s after the click")

    host.click(host.layout()["Resume"])
    wait_until(
        lambda: host.properties()["IconName"] == "nudger-watching", 30, "the icon to show watching"
    )
    assert "paused" not in _status(daemon)
    assert daemon.stop() == 0
    assert "status icon registered with the panel" in daemon.log()


def test_a_pause_from_the_terminal_shows_on_the_icon(
    desktop: Desktop, host: TrayHost, daemon_factory: object
) -> None:
    daemon: NudgerDaemon = daemon_factory(desktop)  # type: ignore[operator]
    daemon.start()
    wait_until(lambda: host.registered, 60, "the icon to register with the watcher")
    assert run_cli(daemon.env, "pause", "30m").returncode == 0
    wait_until(
        lambda: host.properties()["IconName"] == "nudger-paused", 30, "the icon to show paused"
    )
    assert daemon.stop() == 0


def test_the_icon_registers_with_a_watcher_that_comes_later(
    desktop: Desktop, daemon_factory: object
) -> None:
    daemon: NudgerDaemon = daemon_factory(desktop)  # type: ignore[operator]
    daemon.start()
    daemon.wait_watching(timeout=60)
    host = TrayHost(desktop.bus_address).start()
    try:
        wait_until(lambda: host.registered, 30, "the icon to register with a late watcher")
        assert host.properties()["IconName"] == "nudger-watching"
    finally:
        host.stop()
    assert daemon.stop() == 0


def test_the_icon_can_be_turned_off(desktop: Desktop, daemon_factory: object) -> None:
    daemon: NudgerDaemon = daemon_factory(desktop, "[ui]\nstatus_icon = false\n")  # type: ignore[operator]
    daemon.start()
    daemon.wait_watching(timeout=60)
    assert "StatusNotifierItem" not in _bus_names(desktop)
    assert daemon.stop() == 0


def _bus_names(desktop: Desktop) -> str:
    return subprocess.run(
        [
            "dbus-send",
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.ListNames",
        ],
        env=desktop.env,
        capture_output=True,
        text=True,
        timeout=10,
        check=True,
    ).stdout


def test_doctor_says_whether_a_tray_is_there_and_what_to_do_without_one(
    desktop: Desktop, tmp_path: Path
) -> None:
    env = isolated_env(tmp_path, desktop.env)
    without = run_cli(env, "doctor").stdout
    assert "no tray on this desktop" in without
    assert "gnome-shell-extension-appindicator" in without
    host = TrayHost(desktop.bus_address).start()
    try:
        with_host = run_cli(env, "doctor").stdout
    finally:
        host.stop()
    assert "your panel has a tray" in with_host
    assert "AppIndicator" not in with_host


def test_the_menu_opens_the_help_list_the_summary_and_the_settings(
    desktop: Desktop, host: TrayHost, daemon_factory: object, tmp_path: Path
) -> None:
    # The desktop's opener, replaced by one that writes down what it was asked to open: the
    # browser is not what is tested here, what nudger hands it is.
    tools = tmp_path / "tools"
    tools.mkdir()
    opened = tmp_path / "opened.txt"
    opener = tools / "xdg-open"
    opener.write_text(f'#!/bin/sh\necho "$1" >> {opened}\n', encoding="utf-8")
    opener.chmod(0o755)
    daemon: NudgerDaemon = daemon_factory(desktop)  # type: ignore[operator]
    daemon.env["PATH"] = f"{tools}:{daemon.env['PATH']}"
    daemon.start()
    wait_until(lambda: host.registered, 60, "the icon to register with the watcher")
    lines = host.layout()
    for label in ("Someone to talk to", "Today's summary", "Settings"):
        host.click(lines[label])
        wait_until(
            lambda label=label: (
                opened.exists()
                and len(opened.read_text().splitlines())
                == (("Someone to talk to", "Today's summary", "Settings").index(label) + 1)
            ),
            60,
            f"{label!r} to open something",
        )
    help_uri, report_uri, settings_uri = opened.read_text().splitlines()
    help_page = Path(help_uri.removeprefix("file://"))
    assert help_page.parent == daemon.data_dir / "reports"
    assert help_page.stat().st_mode & 0o077 == 0
    page = help_page.read_text(encoding="utf-8")
    listed = run_cli(daemon.env, "help-now").stdout.splitlines()
    assert listed
    assert all(html.escape(line) in page for line in listed if line)
    assert "default-src 'none'" in page  # nothing loaded from the network
    assert Path(report_uri.removeprefix("file://")).name.startswith("nudger-")
    assert Path(settings_uri.removeprefix("file://")) == daemon.config_path
    assert daemon.stop() == 0


def test_turning_the_icon_off_and_on_in_the_settings_takes_it_down_and_up(
    desktop: Desktop, host: TrayHost, daemon_factory: object
) -> None:
    daemon: NudgerDaemon = daemon_factory(desktop)  # type: ignore[operator]
    daemon.start()
    wait_until(lambda: host.registered, 60, "the icon to register with the watcher")

    def on_the_bus() -> bool:
        return "org.kde.StatusNotifierItem-" in _bus_names(desktop)

    assert on_the_bus()
    daemon.config_path.write_text("[ui]\nstatus_icon = false\n", encoding="utf-8")
    wait_until(lambda: not on_the_bus(), 30, "the icon to go")
    daemon.config_path.write_text("[ui]\nstatus_icon = true\n", encoding="utf-8")
    wait_until(on_the_bus, 30, "the icon to come back")
    wait_until(lambda: len(host.registered) == 2, 30, "the icon to register again")
    assert host.properties()["IconName"] == "nudger-watching"
    assert daemon.stop() == 0


def test_during_a_promise_the_icons_pause_waits_its_cool_off(
    desktop: Desktop, host: TrayHost, daemon_factory: object
) -> None:
    daemon: NudgerDaemon = daemon_factory(desktop, CONFIG)  # type: ignore[operator]
    daemon.start()
    wait_until(lambda: host.registered, 60, "the icon to register with the watcher")
    assert run_cli(daemon.env, "promise", "7d", "--cool-off", "1h").returncode == 0
    host.click(host.layout()["Pause 1 hour"])
    wait_until(
        lambda: "a pause of 1 h" in run_cli(daemon.env, "promise", "status").stdout,
        30,
        "the icon's pause to wait with the promise",
    )
    assert "paused" not in _status(daemon)
    assert host.properties()["IconName"] == "nudger-watching"
    assert daemon.stop() == 0
