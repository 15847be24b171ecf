"""macOS: the frontmost app from NSWorkspace, the front tab's title and address from the browser
(ScriptingBridge), other windows' titles through Accessibility, idle time from Quartz.

pyobjc is imported only on macOS. The calls into the OS sit behind `MacOS`, so the decisions made
here (which app is a browser, what to do when a permission is missing) are tested on Linux
through a fake of that boundary.
"""

from __future__ import annotations

import logging
import sys
from typing import Any, Protocol

from nudger.sensing.base import Reading, SensorUnavailable, Window

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
PERMISSIONS_HELP = (
    "macOS asks once for two permissions. Automation (System Settings > Privacy & Security > "
    "Automation) lets nudger read the front tab's title and address in Safari, Chrome, Brave, "
    "Edge and Arc. Accessibility (the same page > Accessibility) lets it read other apps' window "
    "titles. Without them nudger still sees which app is in front."
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


class MacSensor:
    name = "macos"

    def __init__(self, system: MacOS) -> None:
        self._system = system
        self._warned: set[str] = set()

    def read(self) -> Reading:
        try:
            front = self._system.frontmost_app()
            idle = self._system.idle_seconds()
        except Exception as error:  # noqa: BLE001 - pyobjc raises objc.error and friends
            raise SensorUnavailable(f"cannot ask macOS for the frontmost app: {error}") from None
        if front is None:
            return Reading(None, idle)
        name, bundle_id, pid = front
        title, url = "", None
        if bundle_id in SAFARI_STYLE or bundle_id in CHROMIUM_STYLE:
            tab = self._system.browser_tab(bundle_id)
            if tab is None:
                self._warn_once(
                    "automation", f"cannot read the front tab of {name}: {PERMISSIONS_HELP}"
                )
            else:
                title, url = tab
        else:
            found = self._system.window_title(pid)
            if found is None:
                self._warn_once("accessibility", f"cannot read window titles: {PERMISSIONS_HELP}")
            title = found or ""
        return Reading(Window(app=name, title=title, pid=pid, wm_class=(bundle_id,), url=url), idle)

    def _warn_once(self, key: str, message: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            log.warning("%s", message)

    def close(self) -> None:
        """Nothing to release."""


def open_sensor() -> MacSensor:
    if sys.platform == "darwin":
        return MacSensor(_PyObjCMac())
    raise SensorUnavailable("the macOS backend runs on macOS only")


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
