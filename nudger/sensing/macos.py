"""macOS: the frontmost app from NSWorkspace, the front tab's title and address from the browser
(ScriptingBridge), other windows' titles through Accessibility, idle time from Quartz.

Changes are followed as they happen, so a glance between two samples counts: a thread with its
own run loop hears NSWorkspaceDidActivateApplicationNotification (another app came to the
front) and, where the Accessibility permission is given, an AXObserver on the front app hears
kAXFocusedWindowChangedNotification and kAXTitleChangedNotification (another window, or another
tab: a browser retitles its window). Each one makes the sensor read the front window once and
keep it as a Glance. Without the permission only app switches are heard; if nothing is heard at
all, sampling catches glances as before.

pyobjc is imported only on macOS. The calls into the OS sit behind `MacOS`, so the decisions made
here (which app is a browser, what to do when a permission is missing, what a notification
changes) are tested on Linux through a fake of that boundary.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from nudger.core.translate import N_, Said
from nudger.sensing.base import Reading, SensorUnavailable, Window
from nudger.sensing.listening import ChangeRecorder

log = logging.getLogger(__name__)

# Browsers whose front tab ScriptingBridge can read: bundle id -> how the tab is reached.
SAFARI_STYLE = {"com.apple.Safari", "com.apple.SafariTechnologyPreview"}
CHROMIUM_STYLE = {
    "com.google.Chrome",
    "com.google.Chrome.canary",
    "com.brave.Browser",
    "com.microsoft.edgemac",
    "company.thebrowser.Browser",  # Arc
    "org.chromium.Chromium",
    "com.vivaldi.Vivaldi",
}
PERMISSIONS_HELP = Said(
    N_(
        "macOS asks once for two permissions. Automation (System Settings > "
        "Privacy & Security > Automation) lets nudger read the front tab's "
        "title and address in Safari, Chrome, Brave, Edge and Arc. "
        "Accessibility (the same page > Accessibility) lets it read other "
        "apps' window titles. Without them nudger still sees which app is in "
        "front."
    )
)


class MacOS(Protocol):
    """The OS calls this backend makes."""

    def frontmost_app(self) -> tuple[str, str, int] | None:
        """(name, bundle id, pid) of the frontmost app, or None."""
        ...

    def browser_tab(self, bundle_id: str) -> tuple[str, str] | None:
        """(title, url) of the front tab, or None when not allowed or not available."""
        ...

    def window_title(self, pid: int) -> str | None:
        """The focused window's title through Accessibility, or None when not allowed."""
        ...

    def idle_seconds(self) -> float: ...

    def follow(self, changed: Callable[[], None]) -> Callable[[], None]:
        """Call `changed` (from any thread) whenever another app, window or tab may have come to
        the front. Returns what stops it."""
        ...


class MacSensor:
    name = "macos"

    def __init__(self, system: MacOS) -> None:
        self._system = system
        self._warned: set[str] = set()
        self._changes = ChangeRecorder(self._front_window_or_none)
        try:
            self._stop_following: Callable[[], None] | None = system.follow(self._changed)
        except Exception as error:  # noqa: BLE001 - pyobjc raises objc.error and friends
            log.info(N_("cannot follow app switches as they happen (%s); sampling only"), error)
            self._stop_following = None

    def _changed(self) -> None:
        self._changes.changed(time.time())

    def _front_window_or_none(self) -> Window | None:
        try:
            front = self._system.frontmost_app()
        except Exception:  # noqa: BLE001 - the sample that follows says what is wrong
            return None
        return self._window(front) if front is not None else None

    def read(self) -> Reading:
        try:
            front = self._system.frontmost_app()
            idle = self._system.idle_seconds()
        except Exception as error:  # noqa: BLE001 - pyobjc raises objc.error and friends
            raise SensorUnavailable(
                Said(N_("cannot ask macOS for the frontmost app: {error}"), {"error": error})
            ) from None
        glances = self._changes.take()
        if front is None:
            return Reading(None, idle, glances)
        return Reading(self._window(front), idle, glances)

    def _window(self, front: tuple[str, str, int]) -> Window:
        name, bundle_id, pid = front
        title, url = "", None
        if bundle_id in SAFARI_STYLE or bundle_id in CHROMIUM_STYLE:
            tab = self._system.browser_tab(bundle_id)
            if tab is None:
                self._warn_once(
                    "automation",
                    Said(
                        N_("cannot read the front tab of {name}: {permissions_help}"),
                        {"name": name, "permissions_help": PERMISSIONS_HELP},
                    ),
                )
            else:
                title, url = tab
        else:
            found = self._system.window_title(pid)
            if found is None:
                self._warn_once(
                    "accessibility",
                    Said(
                        N_("cannot read window titles: {permissions_help}"),
                        {"permissions_help": PERMISSIONS_HELP},
                    ),
                )
            title = found or ""
        return Window(app=name, title=title, pid=pid, wm_class=(bundle_id,), url=url)

    def _warn_once(self, key: str, message: Said) -> None:
        if key not in self._warned:
            self._warned.add(key)
            log.warning("%s", message)

    def close(self) -> None:
        if self._stop_following is not None:
            self._stop_following()
            self._stop_following = None


def open_sensor() -> MacSensor:
    if sys.platform == "darwin":
        return MacSensor(_PyObjCMac())
    raise SensorUnavailable(Said(N_("the macOS backend runs on macOS only")))


class _PyObjCMac:
    """The real calls, through pyobjc (AppKit, ScriptingBridge, ApplicationServices, Quartz)."""

    def __init__(self) -> None:
        import AppKit  # noqa: PLC0415 - macOS only
        import Quartz  # noqa: PLC0415
        import ScriptingBridge  # noqa: PLC0415

        self._appkit: Any = AppKit
        self._quartz: Any = Quartz
        self._bridge: Any = ScriptingBridge

    def frontmost_app(self) -> tuple[str, str, int] | None:
        app = self._appkit.NSWorkspace.sharedWorkspace().frontmostApplication()
        if app is None:
            return None
        return (
            str(app.localizedName() or ""),
            str(app.bundleIdentifier() or ""),
            int(app.processIdentifier()),
        )

    def browser_tab(self, bundle_id: str) -> tuple[str, str] | None:
        try:
            browser = self._bridge.SBApplication.applicationWithBundleIdentifier_(bundle_id)
            windows = browser.windows() if browser is not None else None
            if not windows:
                return None
            front = windows[0]
            tab = front.currentTab() if bundle_id in SAFARI_STYLE else front.activeTab()
            title = tab.name() if bundle_id in SAFARI_STYLE else tab.title()
            return str(title or ""), str(tab.URL() or "")
        except Exception:  # noqa: BLE001 - no Automation permission shows up as any error
            return None

    def window_title(self, pid: int) -> str | None:
        import ApplicationServices as ax  # noqa: PLC0415

        element = ax.AXUIElementCreateApplication(pid)
        error, window = ax.AXUIElementCopyAttributeValue(
            element, ax.kAXFocusedWindowAttribute, None
        )
        if error or window is None:
            return None
        error, title = ax.AXUIElementCopyAttributeValue(window, ax.kAXTitleAttribute, None)
        return None if error else str(title or "")

    def idle_seconds(self) -> float:
        quartz = self._quartz
        return float(
            quartz.CGEventSourceSecondsSinceLastEventType(
                quartz.kCGEventSourceStateCombinedSessionState, quartz.kCGAnyInputEventType
            )
        )

    def follow(self, changed: Callable[[], None]) -> Callable[[], None]:
        stopping = threading.Event()
        thread = threading.Thread(
            target=self._follow, args=(changed, stopping), name="nudger-macos-follow", daemon=True
        )
        thread.start()

        def stop() -> None:
            stopping.set()
            thread.join(timeout=2)

        return stop

    def _follow(self, changed: Callable[[], None], stopping: threading.Event) -> None:
        """The follower thread: its own run loop, on which both kinds of notification arrive."""
        import ApplicationServices as ax  # noqa: PLC0415 - macOS only
        import Foundation  # noqa: PLC0415

        loop = Foundation.NSRunLoop.currentRunLoop()
        titles = _TitleObserver(ax, changed)

        def on_activation(_note: Any) -> None:
            changed()
            front = self.frontmost_app()
            titles.watch(front[2] if front else None)

        center = self._appkit.NSWorkspace.sharedWorkspace().notificationCenter()
        token = center.addObserverForName_object_queue_usingBlock_(
            self._appkit.NSWorkspaceDidActivateApplicationNotification, None, None, on_activation
        )
        front = self.frontmost_app()
        titles.watch(front[2] if front else None)
        try:
            while not stopping.is_set():
                loop.runUntilDate_(Foundation.NSDate.dateWithTimeIntervalSinceNow_(0.25))
        finally:
            center.removeObserver_(token)
            titles.watch(None)


class _TitleObserver:
    """An AXObserver on the front app: another window focused, or the window retitled (a tab
    switch in a browser). Needs the Accessibility permission; without it, nothing is heard."""

    def __init__(self, ax: Any, changed: Callable[[], None]) -> None:
        self._ax = ax
        self._changed = changed
        self._observer: Any = None
        self._pid: int | None = None

    def watch(self, pid: int | None) -> None:
        if pid == self._pid:
            return
        ax = self._ax
        if self._observer is not None:
            with contextlib.suppress(Exception):
                ax.CFRunLoopRemoveSource(
                    ax.CFRunLoopGetCurrent(),
                    ax.AXObserverGetRunLoopSource(self._observer),
                    ax.kCFRunLoopDefaultMode,
                )
            self._observer = None
        self._pid = pid
        if pid is None:
            return
        try:
            error, observer = ax.AXObserverCreate(pid, self._callback, None)
            if error:
                return  # no Accessibility permission: app switches are still heard
            app = ax.AXUIElementCreateApplication(pid)
            for name in (ax.kAXFocusedWindowChangedNotification, ax.kAXTitleChangedNotification):
                ax.AXObserverAddNotification(observer, app, name, None)
            ax.CFRunLoopAddSource(
                ax.CFRunLoopGetCurrent(),
                ax.AXObserverGetRunLoopSource(observer),
                ax.kCFRunLoopDefaultMode,
            )
            self._observer = observer
        except Exception as error:  # noqa: BLE001 - pyobjc raises objc.error and friends
            log.debug("cannot follow window titles of pid %s: %s", pid, error)

    def _callback(self, _observer: Any, _element: Any, _notification: Any, _refcon: Any) -> None:
        self._changed()
