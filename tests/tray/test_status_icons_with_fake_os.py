"""The macOS and Windows status icons, through fakes at the OS boundary (AppKit and user32 cannot
run on this Linux machine). Everything above the boundary is real: the menu, the icons' images,
the ids, the commands, and the signal thread that macOS needs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nudger.tray import choose_status_icon
from nudger.tray.base import Command, TrayState, view_of
from nudger.tray.macos import ACCESSORY, MacStatusItem
from nudger.tray.pictures import pixmaps
from nudger.tray.sni import StatusNotifierItem
from nudger.tray.windows import TIP_LIMIT, NotificationAreaIcon

# -- Windows: a fake notification area --------------------------------------------------------


class FakeArea:
    def __init__(self) -> None:
        self.clicked: Callable[[], None] | None = None
        self.icons: list[tuple[int, bytes, str]] = []
        self.menus: list[list[tuple[int, str, bool]]] = []
        self.choice = 0
        self.closed = False

    def start(self, clicked: Callable[[], None]) -> None:
        self.clicked = clicked

    def set_icon(self, size: int, argb: bytes, tip: str) -> None:
        self.icons.append((size, argb, tip))

    def pop_menu(self, lines: list[tuple[int, str, bool]]) -> int:
        self.menus.append(lines)
        return self.choice

    def close(self) -> None:
        self.closed = True


def _pixmap(mode: str, size: int) -> bytes:
    return next(data for w, _h, data in pixmaps(mode) if w == size)  # type: ignore[arg-type]


def test_windows_shows_the_state_as_icon_and_tooltip() -> None:
    area = FakeArea()
    icon = NotificationAreaIcon(area)
    icon.start(lambda command: None)
    assert area.icons == [(32, _pixmap("watching", 32), "nudger: watching")]
    icon.show(view_of(TrayState("watching", 60, 1)))  # only the menu changed: no new icon
    assert len(area.icons) == 1
    icon.show(view_of(TrayState("paused")))
    assert area.icons[-1] == (32, _pixmap("paused", 32), "nudger: paused")
    assert all(len(tip) <= TIP_LIMIT for _s, _a, tip in area.icons)
    icon.close()
    assert area.closed


def test_windows_menu_click_comes_back_as_a_command() -> None:
    area = FakeArea()
    commands: list[Command] = []
    icon = NotificationAreaIcon(area)
    icon.start(commands.append)
    assert area.clicked is not None
    area.choice = 3  # the line "Pause 1 hour"
    area.clicked()
    assert commands == ["pause"]
    (lines,) = area.menus
    labels = {label: (item_id, enabled) for item_id, label, enabled in lines}
    assert labels["Pause 1 hour"] == (3, True)
    assert labels["Today so far: no time on social sites"][1] is False
    assert (2, "", False) in lines  # the separator
    area.choice = 0  # the menu closed without a choice
    area.clicked()
    assert commands == ["pause"]


# -- macOS: a fake AppKit and AppHelper -------------------------------------------------------


class FakeObject:
    def __init__(self, **attributes: Any) -> None:
        self.__dict__.update(attributes)
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    @classmethod
    def alloc(cls) -> FakeObject:
        return cls()

    def init(self) -> FakeObject:
        return self

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("__"):
            raise AttributeError(name)

        def record(*args: Any) -> None:
            self.calls.append((name, args))

        return record


class FakeMenuItem(FakeObject):
    def initWithTitle_action_keyEquivalent_(
        self, title: str, action: str, key: str
    ) -> FakeMenuItem:
        self.title, self.action = title, action
        return self

    @classmethod
    def separatorItem(cls) -> FakeMenuItem:
        item = cls()
        item.title = "-"
        return item


class FakeMenu(FakeObject):
    def addItem_(self, item: FakeMenuItem) -> None:
        self.__dict__.setdefault("items", []).append(item)


class FakeImage(FakeObject):
    def initWithContentsOfFile_(self, path: str) -> FakeImage:
        self.path = path
        return self


class FakeStatusItem(FakeObject):
    def __init__(self) -> None:
        super().__init__()
        self.the_button = FakeObject()

    def button(self) -> FakeObject:
        return self.the_button

    def setMenu_(self, menu: FakeMenu) -> None:
        self.menu = menu


class FakeBar(FakeObject):
    def statusItemWithLength_(self, length: int) -> FakeStatusItem:
        self.item = FakeStatusItem()
        return self.item


def _fake_appkit() -> tuple[types.ModuleType, FakeBar, FakeObject]:
    """A stand-in AppKit module (a module, as the real one is: nudger caches per module)."""
    bar, application = FakeBar(), FakeObject()
    appkit = types.ModuleType("AppKit")
    appkit.NSStatusBar = types.SimpleNamespace(systemStatusBar=lambda: bar)  # type: ignore[attr-defined]
    appkit.NSVariableStatusItemLength = -1  # type: ignore[attr-defined]
    appkit.NSImage = FakeImage  # type: ignore[attr-defined]
    appkit.NSMenu = FakeMenu  # type: ignore[attr-defined]
    appkit.NSMenuItem = FakeMenuItem  # type: ignore[attr-defined]
    appkit.NSObject = FakeObject  # type: ignore[attr-defined]
    appkit.NSApplication = types.SimpleNamespace(sharedApplication=lambda: application)  # type: ignore[attr-defined]
    return appkit, bar, application


class FakeAppHelper:
    """callAfter queues for 'the main thread'; the test runs the queue, as AppKit's loop would."""

    def __init__(self) -> None:
        self.queued: list[tuple[Callable[..., Any], tuple[Any, ...]]] = []
        self.stopped = threading.Event()
        self.loop_options: dict[str, Any] = {}

    def callAfter(self, call: Callable[..., Any], *args: Any) -> None:
        self.queued.append((call, args))

    def run_main_thread(self) -> None:
        while self.queued:
            call, args = self.queued.pop(0)
            call(*args)

    def runEventLoop(self, **options: Any) -> None:
        self.loop_options = options
        self.stopped.wait(30)

    def stopEventLoop(self) -> None:
        self.stopped.set()


def _mac() -> tuple[MacStatusItem, FakeBar, FakeAppHelper, list[Command], FakeObject]:
    appkit, bar, application = _fake_appkit()
    helper = FakeAppHelper()
    commands: list[Command] = []
    icon = MacStatusItem(appkit, helper)  # type: ignore[arg-type]
    icon.start(commands.append)
    return icon, bar, helper, commands, application


def test_macos_puts_up_the_item_only_on_the_main_thread() -> None:
    _icon, bar, helper, _commands, _app = _mac()
    assert "item" not in vars(bar), "nothing of AppKit is touched off the main thread"
    helper.run_main_thread()
    button = bar.item.the_button
    images = [args[0] for name, args in button.calls if name == "setImage_"]
    assert images[-1].path.endswith("nudger-watching.png")
    assert ("setToolTip_", ("nudger: watching",)) in button.calls
    titles = [item.title for item in bar.item.menu.items]
    assert titles[0] == "Today so far: no time on social sites"
    assert titles[1] == "-"
    assert "Pause 1 hour" in titles
    assert ("setEnabled_", (False,)) in bar.item.menu.items[0].calls


def test_macos_menu_click_comes_back_as_a_command_and_a_pause_shows() -> None:
    icon, bar, helper, commands, _app = _mac()
    helper.run_main_thread()
    pause = next(item for item in bar.item.menu.items if item.title == "Pause 1 hour")
    target = next(args[0] for name, args in pause.calls if name == "setTarget_")
    tag = next(args[0] for name, args in pause.calls if name == "setTag_")
    target.clicked_(types.SimpleNamespace(tag=lambda: tag))
    assert commands == ["pause"]
    icon.show(view_of(TrayState("paused")))
    helper.run_main_thread()
    assert [item.title for item in bar.item.menu.items][2] == "Resume"
    images = [args[0] for name, args in bar.item.the_button.calls if name == "setImage_"]
    assert images[-1].path.endswith("nudger-paused.png")


def test_macos_runs_appkit_on_the_main_thread_until_stopped() -> None:
    icon, _bar, helper, _commands, application = _mac()
    running = threading.Thread(target=icon.run_main_loop)
    running.start()
    icon.stop_main_loop()
    helper.run_main_thread()
    running.join(10)
    assert not running.is_alive()
    assert ("setActivationPolicy_", (ACCESSORY,)) in application.calls
    assert helper.loop_options == {"installInterrupt": False}


def test_linux_chooses_the_status_notifier_item() -> None:
    assert isinstance(choose_status_icon("linux"), StatusNotifierItem)


# -- the signal thread macOS needs ------------------------------------------------------------

SIGNAL_THREAD = textwrap.dedent(
    """
    import sys, threading
    from nudger.shell.signals import STOP, WAKE, SignalInbox

    inbox = SignalInbox()
    adopted, stop = threading.Event(), threading.Event()
    seen = []

    def take():
        inbox.adopt()
        adopted.set()
        while True:
            signum = inbox.next()
            if signum in WAKE:
                seen.extend(inbox.posted())
                print("posted", seen, flush=True)
                continue
            if signum in STOP:
                print("stop on", threading.current_thread().name, flush=True)
                stop.set()
                return

    threading.Thread(target=take, name="signals").start()
    adopted.wait()
    print("ready", flush=True)
    threading.Thread(target=lambda: inbox.post("pause")).start()
    stop.wait()  # the main thread stands for AppKit's run loop: it never takes a signal
    print("main done", flush=True)
    """
)


def test_on_a_signal_thread_posts_and_sigterm_arrive_while_the_main_thread_runs_a_loop(
    tmp_path: Path,
) -> None:
    script = tmp_path / "signal_thread.py"
    script.write_text(SIGNAL_THREAD, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, str(script)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    assert process.stdout.readline().strip() == "posted ['pause']"
    process.send_signal(signal.SIGTERM)
    out, _err = process.communicate(timeout=30)
    assert process.returncode == 0
    assert out.splitlines() == ["stop on signals", "main done"]
