"""The macOS, Windows, Hyprland, GNOME and KDE backends, through fakes at their OS-call boundary.

These platforms cannot run here, so each test replaces only the outermost call into the OS (the
pyobjc calls, user32, Hyprland's socket, the D-Bus method call) with a fake that answers as the
real one does, and checks the backend's own parsing and decisions.
"""

from __future__ import annotations

import importlib
import json
import os
import socket
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nudger.sensing.base import SensorUnavailable
from nudger.sensing.dbus_calls import CallFailed
from nudger.sensing.gnome import EXTENSION_URL, GnomeSensor, parse_focused
from nudger.sensing.hyprland import HyprlandSensor, parse_active_window
from nudger.sensing.kde import (
    BRIDGE_INTERFACE,
    FocusReport,
    KdeSensor,
    focus_report,
    script_source,
    window_from_report,
)
from nudger.sensing.macos import MacSensor
from nudger.sensing.windows import EVENT_OBJECT_NAMECHANGE, EVENT_SYSTEM_FOREGROUND, WindowsSensor
from tests.desktop.rig import wait_until


@pytest.mark.parametrize(
    "module",
    [
        "nudger.sensing.macos",
        "nudger.sensing.windows",
        "nudger.sensing.hyprland",
        "nudger.sensing.gnome",
        "nudger.sensing.kde",
        "nudger.sensing.sway",
        "nudger.autostart.windows",
        "nudger.autostart.launchd",
    ],
)
def test_every_backend_imports_cleanly_on_linux(module: str) -> None:
    importlib.import_module(module)


# -- macOS ------------------------------------------------------------------------------------


class FakeMacOS:
    """Answers like NSWorkspace, ScriptingBridge, Accessibility and Quartz would."""

    def __init__(
        self,
        front: tuple[str, str, int] | None,
        tab: tuple[str, str] | None = None,
        title: str | None = None,
        idle: float = 3.0,
    ) -> None:
        self.front, self.tab, self.title, self.idle = front, tab, title, idle
        self.asked_tab_of: list[str] = []
        self.notify: Callable[[], None] | None = None
        self.stopped = False

    def frontmost_app(self) -> tuple[str, str, int] | None:
        return self.front

    def browser_tab(self, bundle_id: str) -> tuple[str, str] | None:
        self.asked_tab_of.append(bundle_id)
        return self.tab

    def window_title(self, pid: int) -> str | None:
        return self.title

    def idle_seconds(self) -> float:
        return self.idle

    def follow(self, changed: Callable[[], None]) -> Callable[[], None]:
        self.notify = changed

        def stop() -> None:
            self.stopped = True

        return stop


@pytest.mark.parametrize(
    "bundle",
    [
        "com.apple.Safari",
        "com.google.Chrome",
        "com.brave.Browser",
        "com.microsoft.edgemac",
        "company.thebrowser.Browser",
    ],
)
def test_macos_reads_the_front_tab_and_its_address_through_a_fake_macos(bundle: str) -> None:
    system = FakeMacOS(
        ("Browser", bundle, 321), tab=("Login • Instagram", "https://www.instagram.com/alexdoe/")
    )
    reading = MacSensor(system).read()
    assert system.asked_tab_of == [bundle]
    assert reading.window is not None
    assert reading.window.url == "https://www.instagram.com/alexdoe/"
    assert reading.window.title == "Login • Instagram"
    assert reading.window.wm_class == (bundle,)
    assert reading.idle_seconds == 3.0


def test_macos_other_apps_use_accessibility_through_a_fake_macos(
    caplog: pytest.LogCaptureFixture,
) -> None:
    system = FakeMacOS(("Messages", "com.apple.MobileSMS", 99), title="Alex Doe")
    reading = MacSensor(system).read()
    assert system.asked_tab_of == []
    assert (
        reading.window is not None
        and reading.window.title == "Alex Doe"
        and reading.window.url is None
    )
    denied = MacSensor(FakeMacOS(("Messages", "com.apple.MobileSMS", 99), title=None))
    denied.read()
    denied.read()
    warnings = [r for r in caplog.records if "Accessibility" in r.getMessage()]
    assert len(warnings) == 1, "the permission hint is said once, not every second"


def test_macos_without_automation_permission_still_knows_the_app_through_a_fake_macos() -> None:
    reading = MacSensor(FakeMacOS(("Safari", "com.apple.Safari", 5), tab=None)).read()
    assert (
        reading.window is not None and reading.window.app == "Safari" and reading.window.title == ""
    )


def test_macos_nothing_in_front_through_a_fake_macos() -> None:
    assert MacSensor(FakeMacOS(None)).read().window is None


# -- Windows ----------------------------------------------------------------------------------


class FakeUser32:
    def __init__(
        self, hwnd: int, title: str = "", pid: int = 0, window_class: str = "", idle_ms: int = 0
    ) -> None:
        self.hwnd, self.title, self.pid, self.class_name, self.idle_ms = (
            hwnd,
            title,
            pid,
            window_class,
            idle_ms,
        )
        self.hook: Callable[[int, int, int, int], None] | None = None
        self.unhooked = False
        self.titles_read = 0

    def foreground_window(self) -> int:
        return self.hwnd

    def window_title(self, hwnd: int) -> str:
        assert hwnd == self.hwnd
        self.titles_read += 1
        return self.title

    def follow(self, heard: Callable[[int, int, int, int], None]) -> Callable[[], None]:
        self.hook = heard

        def unhook() -> None:
            self.unhooked = True

        return unhook

    def window_class(self, hwnd: int) -> str:
        return self.class_name

    def window_pid(self, hwnd: int) -> int:
        return self.pid

    def idle_milliseconds(self) -> int:
        return self.idle_ms


def test_windows_foreground_window_through_a_fake_user32() -> None:
    reading = WindowsSensor(
        FakeUser32(0x1234, "Home / X - Google Chrome", os.getpid(), "Chrome_WidgetWin_1", 4500)
    ).read()
    assert reading.window is not None
    assert reading.window.title == "Home / X - Google Chrome"
    assert reading.window.pid == os.getpid()
    assert reading.window.app  # psutil named the real process behind that pid
    assert reading.window.wm_class == ("Chrome_WidgetWin_1",)
    assert reading.idle_seconds == 4.5


def test_windows_no_foreground_window_through_a_fake_user32() -> None:
    reading = WindowsSensor(FakeUser32(0, idle_ms=10)).read()
    assert reading.window is None and reading.idle_seconds == 0.01


def test_windows_a_vanished_process_falls_back_to_the_class_through_a_fake_user32() -> None:
    reading = WindowsSensor(FakeUser32(7, "WhatsApp", 999_999_999, "ApplicationFrameWindow")).read()
    assert reading.window is not None and reading.window.app == "ApplicationFrameWindow"


# -- Hyprland ---------------------------------------------------------------------------------

HYPR_ACTIVE = {
    "address": "0x55d6f2a0",
    "mapped": True,
    "workspace": {"id": 1, "name": "1"},
    "class": "firefox",
    "title": "r/BreakUps — Mozilla Firefox",
    "initialClass": "firefox",
    "initialTitle": "Mozilla Firefox",
    "pid": 4242,
    "xwayland": False,
}


def test_hyprland_active_window_through_a_fake_socket() -> None:
    asked: list[str] = []

    def fake_socket(command: str) -> bytes:
        asked.append(command)
        return json.dumps(HYPR_ACTIVE).encode()

    sensor = HyprlandSensor(fake_socket)
    reading = sensor.read()
    assert asked == ["j/activewindow", "j/activewindow"]  # one check at start, one per sample
    assert reading.window is not None
    assert (reading.window.app, reading.window.title, reading.window.pid) == (
        "firefox",
        "r/BreakUps — Mozilla Firefox",
        4242,
    )


def test_hyprland_parsing_through_a_fake_socket() -> None:
    assert parse_active_window(b"{}") is None
    assert parse_active_window(b"") is None
    window = parse_active_window(json.dumps({**HYPR_ACTIVE, "pid": -1}).encode())
    assert window is not None and window.pid is None


def test_hyprland_gone_through_a_fake_socket() -> None:
    def refused(_command: str) -> bytes:
        raise ConnectionRefusedError("Connection refused")

    with pytest.raises(SensorUnavailable, match="Hyprland"):
        HyprlandSensor(refused)


# -- GNOME ------------------------------------------------------------------------------------


class FakeGnomeBus:
    """Answers the two calls the GNOME backend makes, like GNOME Shell and Mutter would."""

    def __init__(
        self, focused: dict[str, Any] | None, extension: bool = True, idle_ms: int = 1500
    ) -> None:
        self.focused, self.extension, self.idle_ms = focused, extension, idle_ms
        self.calls: list[tuple[str, str, str, str]] = []

    def __call__(
        self,
        bus_name: str,
        path: str,
        interface: str,
        method: str,
        *,
        signature: str | None = None,
        body: tuple[Any, ...] = (),
    ) -> tuple[Any, ...]:
        self.calls.append((bus_name, path, interface, method))
        if method == "Get":
            if not self.extension:
                raise CallFailed("No such object path", "org.freedesktop.DBus.Error.UnknownObject")
            return (json.dumps(self.focused) if self.focused else "{}",)
        if method == "GetIdletime":
            return (self.idle_ms,)
        raise CallFailed("unknown", "org.freedesktop.DBus.Error.UnknownMethod")


def test_gnome_focused_window_through_a_fake_dbus() -> None:
    bus = FakeGnomeBus(
        {
            "title": "(3) Facebook — Mozilla Firefox",
            "wm_class": "firefox",
            "wm_class_instance": "Navigator",
            "pid": 0,
        }
    )
    reading = GnomeSensor(bus).read()
    assert reading.window is not None
    assert reading.window.title == "(3) Facebook — Mozilla Firefox"
    assert reading.window.app == "firefox" and reading.window.wm_class == ("Navigator", "firefox")
    assert reading.idle_seconds == 1.5
    assert (
        "org.gnome.Shell",
        "/org/gnome/shell/extensions/FocusedWindow",
        "org.gnome.shell.extensions.FocusedWindow",
        "Get",
    ) in bus.calls


def test_gnome_without_the_extension_says_what_to_install_through_a_fake_dbus() -> None:
    with pytest.raises(SensorUnavailable) as caught:
        GnomeSensor(FakeGnomeBus(None, extension=False))
    assert EXTENSION_URL in str(caught.value) and "Focused Window D-Bus" in str(caught.value)


def test_gnome_nothing_focused_through_a_fake_dbus() -> None:
    assert parse_focused("{}") is None
    assert GnomeSensor(FakeGnomeBus(None)).read().window is None


# -- KDE --------------------------------------------------------------------------------------


class FakeKWin:
    """KWin's scripting interface, as far as the backend uses it."""

    def __init__(self, script_path: str = "/Scripting/Script7") -> None:
        self.loaded: list[tuple[str, str]] = []
        self.unloaded: list[str] = []
        self.ran: list[str] = []
        self._script_path = script_path  # where this KWin version puts script 7

    def __call__(
        self,
        bus_name: str,
        path: str,
        interface: str,
        method: str,
        *,
        signature: str | None = None,
        body: tuple[Any, ...] = (),
    ) -> tuple[Any, ...]:
        if method == "unloadScript":
            self.unloaded.append(body[0])
            return (True,)
        if method == "loadScript":
            self.loaded.append((body[0], body[1]))
            return (7,)
        if method == "run":
            if path != self._script_path:
                raise CallFailed("No such object path", "org.freedesktop.DBus.Error.UnknownObject")
            self.ran.append(path)
            return ()
        if method == "GetSessionIdleTime":
            return (2500,)
        raise CallFailed("unknown", "org.freedesktop.DBus.Error.UnknownMethod")


class FakeBridge:
    service = "app.nudger.KWinBridge.p1"

    def __init__(self) -> None:
        self.pending: list[FocusReport] = []
        self.closed = False

    def reports(self) -> list[FocusReport]:
        found, self.pending = self.pending, []
        return found

    def close(self) -> None:
        self.closed = True


@pytest.mark.parametrize("run_path", ["/Scripting/Script7", "/7"], ids=["plasma6", "plasma5"])
def test_kde_loads_its_script_and_follows_reports_through_a_fake_kwin(run_path: str) -> None:
    kwin, bridge = FakeKWin(run_path), FakeBridge()
    sensor = KdeSensor(kwin, bridge)  # type: ignore[arg-type]
    [(script_path, plugin)] = kwin.loaded
    assert plugin == "nudger-active-window"
    assert kwin.ran == [run_path]
    script = Path(script_path).read_text(encoding="utf-8")
    assert bridge.service in script and BRIDGE_INTERFACE in script
    assert "workspace.windowActivated || workspace.clientActivated" in script

    assert sensor.read().window is None
    bridge.pending = [
        FocusReport("Alex Doe — Signal", "signal", 77, 1000.0),
        FocusReport("r/BreakUps - Reddit — Mozilla Firefox", "firefox", 78, 1000.4),
    ]
    reading = sensor.read()
    assert (
        reading.window is not None and reading.window.app == "firefox" and reading.window.pid == 78
    )
    assert reading.idle_seconds == 2.5
    # Both changes are glances at the moments KWin reported them: the chat was in front for
    # 0.4 s between two samples, and counts.
    assert [(g.at, g.window.app if g.window else None) for g in reading.glances] == [
        (1000.0, "signal"),
        (1000.4, "firefox"),
    ]
    bridge.pending = [FocusReport("", "", 0, 1001.0)]
    assert sensor.read().window is None
    sensor.close()
    assert "nudger-active-window" in kwin.unloaded and bridge.closed


def test_kde_script_text_is_well_formed() -> None:
    text = script_source("app.nudger.KWinBridge.p42")
    assert text.count("{") == text.count("}") and text.count("(") == text.count(")")
    assert window_from_report("", "", 0) is None


def test_kde_a_report_carries_the_moment_kwin_sent_it_through_a_fake_kwin() -> None:
    # KWin's Date.now() is in milliseconds, and may come as a double; pid too.
    report = focus_report(
        ("Alex Doe — Signal", "signal", 77.0, 1_700_000_000_250.0), 1_700_000_001.0
    )
    assert report == FocusReport("Alex Doe — Signal", "signal", 77, 1_700_000_000.25)
    # An older script without a time: the moment it arrived. A time from the future: no later.
    assert focus_report(("t", "c", 1), 5.0).at == 5.0
    assert focus_report(("t", "c", 1, 9_000_000.0), 5.0).at == 5.0
    assert "Date.now()" in script_source("app.nudger.KWinBridge.p1")


# -- events between samples: macOS, Windows, Hyprland ------------------------------------------


def test_macos_an_app_switch_between_samples_is_a_glance_through_a_fake_macos() -> None:
    system = FakeMacOS(("Notes", "com.apple.Notes", 5), title="Shopping list")
    sensor = MacSensor(system)
    sensor.read()
    assert system.notify is not None, "the sensor follows app switches"

    system.front, system.title = ("Messages", "com.apple.MobileSMS", 9), "Alex Doe"
    before = time.time()
    system.notify()  # NSWorkspaceDidActivateApplicationNotification
    time.sleep(0.06)
    system.front, system.title = ("Notes", "com.apple.Notes", 5), "Shopping list"
    system.notify()
    reading = sensor.read()
    assert [g.window.title if g.window else None for g in reading.glances] == [
        "Alex Doe",
        "Shopping list",
    ]
    assert before <= reading.glances[0].at < reading.glances[1].at <= time.time()
    assert sensor.read().glances == (), "each glance is handed over once"
    sensor.close()
    assert system.stopped


def test_macos_a_tab_switch_in_the_browser_is_a_glance_through_a_fake_macos() -> None:
    system = FakeMacOS(("Chrome", "com.google.Chrome", 3), tab=("Recipes", "https://food.example/"))
    sensor = MacSensor(system)
    system.tab = ("Alex Doe (@alexdoe)", "https://www.instagram.com/alexdoe/")
    assert system.notify is not None
    system.notify()  # kAXTitleChangedNotification on the browser's window
    [glance] = sensor.read().glances
    assert glance.window is not None and glance.window.url == "https://www.instagram.com/alexdoe/"


def test_windows_a_foreground_switch_between_samples_is_a_glance_through_a_fake_user32() -> None:
    user32 = FakeUser32(0x10, "notes.txt - Notepad", 0, "Notepad")
    sensor = WindowsSensor(user32)
    sensor.read()
    assert user32.hook is not None

    user32.hwnd, user32.title, user32.class_name = 0x20, "Alex Doe - WhatsApp", "WhatsApp"
    user32.hook(EVENT_SYSTEM_FOREGROUND, 0x20, 0, 0)
    time.sleep(0.06)
    user32.title = "Chats - WhatsApp"
    user32.hook(EVENT_OBJECT_NAMECHANGE, 0x20, 0, 0)  # the foreground window retitled
    reading = sensor.read()
    assert [g.window.title if g.window else None for g in reading.glances] == [
        "Alex Doe - WhatsApp",
        "Chats - WhatsApp",
    ]
    sensor.close()
    assert user32.unhooked


def test_windows_name_changes_elsewhere_are_not_read_through_a_fake_user32() -> None:
    user32 = FakeUser32(0x10, "notes.txt - Notepad", 0, "Notepad")
    sensor = WindowsSensor(user32)
    sensor.read()
    assert user32.hook is not None
    read_before = user32.titles_read
    user32.hook(EVENT_OBJECT_NAMECHANGE, 0x99, 0, 0)  # another window's title
    user32.hook(EVENT_OBJECT_NAMECHANGE, 0x10, -4, 3)  # a list item inside the foreground window
    assert user32.titles_read == read_before
    assert sensor.read().glances == ()


def test_windows_a_flood_of_events_is_read_a_bounded_number_of_times_through_a_fake_user32() -> (
    None
):
    user32 = FakeUser32(0x10, "counter 0", 0, "Notepad")
    sensor = WindowsSensor(user32)
    sensor.read()
    assert user32.hook is not None
    read_before = user32.titles_read
    started = time.monotonic()
    for index in range(20_000):
        user32.title = f"counter {index}"
        user32.hook(EVENT_OBJECT_NAMECHANGE, 0x10, 0, 0)
    elapsed = time.monotonic() - started
    assert user32.titles_read - read_before <= elapsed / 0.05 + 2
    assert len(sensor.read().glances) <= elapsed / 0.05 + 2


class FakeHyprland:
    """Hyprland's two sockets: requests answered from `active`, and a real socket pair for the
    event stream, written by the test the way Hyprland writes it."""

    def __init__(self, active: dict[str, Any]) -> None:
        self.active = active
        self.requests = 0
        self.events, self.hyprland_end = socket.socketpair()

    def request(self, command: str) -> bytes:
        assert command == "j/activewindow"
        self.requests += 1
        return json.dumps(self.active).encode()

    def emit(self, *lines: str) -> None:
        self.hyprland_end.sendall("".join(f"{line}\n" for line in lines).encode())


def test_hyprland_follows_focus_and_title_events_through_a_fake_socket() -> None:
    hypr = FakeHyprland(HYPR_ACTIVE)
    sensor = HyprlandSensor(hypr.request, hypr.events)
    try:
        sensor.read()
        asked = hypr.requests
        chat = {**HYPR_ACTIVE, "address": "0x77", "class": "signal", "title": "Alex Doe", "pid": 7}
        hypr.active = chat
        before = time.time()
        hypr.emit("activewindow>>signal,Alex Doe", "activewindowv2>>77")
        wait_until(lambda: hypr.requests >= asked + 1, 5, "the listener to ask for the window")
        hypr.active = {**chat, "title": "Chats"}
        hypr.emit("windowtitlev2>>77,Chats")  # the window in front retitled
        wait_until(lambda: hypr.requests >= asked + 2, 5, "the title event to be followed")
        hypr.emit("windowtitle>>0x999", "workspace>>2")  # another window: no question asked
        time.sleep(0.2)
        assert hypr.requests == asked + 2
        reading = sensor.read()
        assert [g.window.title if g.window else None for g in reading.glances] == [
            "Alex Doe",
            "Chats",
        ]
        assert before <= reading.glances[0].at <= reading.glances[1].at
    finally:
        sensor.close()
        hypr.hyprland_end.close()


def test_hyprland_closing_its_event_socket_leaves_sampling_working_through_a_fake_socket() -> None:
    hypr = FakeHyprland(HYPR_ACTIVE)
    sensor = HyprlandSensor(hypr.request, hypr.events)
    hypr.hyprland_end.close()
    time.sleep(0.2)
    reading = sensor.read()
    assert reading.window is not None and reading.window.title == "r/BreakUps — Mozilla Firefox"
    sensor.close()
