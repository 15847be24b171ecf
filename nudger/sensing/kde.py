"""KDE Plasma on Wayland: a small KWin script reports the active window to us over D-Bus.

KWin shares the window in front only with its own scripts. We load one (through KWin's
org.kde.kwin.Scripting interface) that calls a method on a bus name of ours whenever the active
window or its caption changes, with the moment it happened (KWin's `Date.now()`, the same wall
clock as ours). Each report becomes a Glance, so a window or tab in front between two samples
counts. Plasma 6 and Plasma 5 name things differently; the script handles both. Idle time comes
from org.freedesktop.ScreenSaver, which KWin provides.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from jeepney import MessageType, new_error, new_method_return
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from jeepney.low_level import HeaderFields

from nudger.core.translate import N_, Said
from nudger.sensing.base import Glance, Reading, SensorUnavailable, Window
from nudger.sensing.dbus_calls import Caller, CallFailed
from nudger.session_bus import session_bus_address

KWIN = "org.kde.KWin"
SCRIPTING_INTERFACE = "org.kde.kwin.Scripting"
SCRIPT_INTERFACE = "org.kde.kwin.Script"
PLUGIN = "nudger-active-window"
BRIDGE_PATH = "/app/nudger/KWinBridge"
BRIDGE_INTERFACE = "app.nudger.KWinBridge"
SCREENSAVER = "org.freedesktop.ScreenSaver"
_DO_NOT_QUEUE = 4
_PRIMARY_OWNER = 1


def script_source(service: str) -> str:
    """The KWin script: report the active window now and on every change."""
    return f"""
function report(w) {{
    if (!w) {{
        callDBus("{service}", "{BRIDGE_PATH}", "{BRIDGE_INTERFACE}", "Focus", "", "", 0,
                 Date.now());
        return;
    }}
    callDBus("{service}", "{BRIDGE_PATH}", "{BRIDGE_INTERFACE}", "Focus",
             String(w.caption), String(w.resourceClass), w.pid || 0, Date.now());
}}
function active() {{ return workspace.activeWindow || workspace.activeClient; }}
var activated = workspace.windowActivated || workspace.clientActivated;
activated.connect(function (w) {{
    report(w);
    if (w && !w.nudgerWatching) {{
        w.nudgerWatching = true;
        w.captionChanged.connect(function () {{ if (w === active()) report(w); }});
    }}
}});
report(active());
"""


def focus_report(body: tuple[object, ...], received_at: float) -> FocusReport:
    """A Focus call's arguments. An older script sends no time: then the moment it arrived."""
    caption, resource_class, pid, *rest = body
    at = received_at
    if rest and isinstance(rest[0], int | float) and rest[0] > 0:
        at = min(float(rest[0]) / 1000.0, received_at)  # ms; never later than it arrived
    try:
        number = int(float(str(pid)))  # a JavaScript number may come as a double
    except ValueError:
        number = 0
    return FocusReport(str(caption), str(resource_class), number, at)


def window_from_report(caption: str, resource_class: str, pid: int) -> Window | None:
    if not caption and not resource_class:
        return None
    return Window(
        app=resource_class,
        title=caption,
        pid=pid if pid > 0 else None,
        wm_class=(resource_class,) if resource_class else (),
    )


@dataclass(frozen=True, slots=True)
class FocusReport:
    """One call from the script: what came to the front (or got a new caption), and when."""

    caption: str
    resource_class: str
    pid: int
    at: float


class KWinBridge:
    """Our end of the script's callDBus: a bus name that takes Focus(caption, class, pid, ms)."""

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        address = session_bus_address(env)
        if address is None:
            raise SensorUnavailable(Said(N_("no D-Bus session bus, so KWin cannot be asked")))
        self.service = f"app.nudger.KWinBridge.p{os.getpid()}"
        try:
            self._connection: DBusConnection = open_dbus_connection(bus=address)
            reply = self._connection.send_and_get_reply(
                message_bus.RequestName(self.service, _DO_NOT_QUEUE), timeout=2
            )
        except (OSError, ConnectionError, TimeoutError) as error:
            raise SensorUnavailable(
                Said(N_("cannot reach the session bus: {error}"), {"error": error})
            ) from None
        if reply.body[0] != _PRIMARY_OWNER:
            raise SensorUnavailable(
                Said(N_("the bus name {service} is taken"), {"service": self.service})
            )

    def reports(self) -> list[FocusReport]:
        """Focus reports received since the last call, oldest first. Never blocks."""
        found: list[FocusReport] = []
        while True:
            try:
                message = self._connection.receive(timeout=0)
            except TimeoutError:
                return found
            except (OSError, ConnectionError) as error:
                raise SensorUnavailable(
                    Said(N_("lost the session bus: {error}"), {"error": error})
                ) from None
            if message.header.message_type != MessageType.method_call:
                continue
            fields = message.header.fields
            if (
                fields.get(HeaderFields.member) == "Focus"
                and fields.get(HeaderFields.interface) == BRIDGE_INTERFACE
            ):
                found.append(focus_report(message.body, time.time()))
                self._connection.send(new_method_return(message))
            else:
                self._connection.send(
                    new_error(message, "org.freedesktop.DBus.Error.UnknownMethod")
                )

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._connection.close()


class KdeSensor:
    name = "kde"

    def __init__(self, call: Caller, bridge: KWinBridge) -> None:
        self._call = call
        self._bridge = bridge
        self._window: Window | None = None
        self._idle_known = True
        handle, name = tempfile.mkstemp(prefix="nudger-kwin-", suffix=".js")
        self._script = Path(name)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(script_source(bridge.service))
        try:
            self._load_script()
        except CallFailed as error:
            self.close()
            raise SensorUnavailable(
                Said(
                    N_("cannot load the small KWin script that reports the active window: {error}"),
                    {"error": error},
                )
            ) from None

    def _load_script(self) -> None:
        with contextlib.suppress(CallFailed):  # left over from a crash: replace it
            self._unload()
        (script_id,) = self._call(
            KWIN,
            "/Scripting",
            SCRIPTING_INTERFACE,
            "loadScript",
            signature="ss",
            body=(str(self._script), PLUGIN),
        )
        try:  # Plasma 6 (and late 5) put each script under /Scripting/Script<id>; older, /<id>
            self._call(KWIN, f"/Scripting/Script{script_id}", SCRIPT_INTERFACE, "run")
        except CallFailed:
            self._call(KWIN, f"/{script_id}", SCRIPT_INTERFACE, "run")

    def _unload(self) -> None:
        self._call(
            KWIN, "/Scripting", SCRIPTING_INTERFACE, "unloadScript", signature="s", body=(PLUGIN,)
        )

    def read(self) -> Reading:
        glances = []
        for report in self._bridge.reports():
            window = window_from_report(report.caption, report.resource_class, report.pid)
            if window != self._window:
                glances.append(Glance(report.at, window))
            self._window = window
        return Reading(self._window, self._idle_seconds(), tuple(glances))

    def _idle_seconds(self) -> float:
        if not self._idle_known:
            return 0.0
        try:
            (value,) = self._call(SCREENSAVER, "/ScreenSaver", SCREENSAVER, "GetSessionIdleTime")
        except CallFailed:
            self._idle_known = False
            return 0.0
        return float(value) / 1000.0  # KDE answers in milliseconds

    def close(self) -> None:
        with contextlib.suppress(CallFailed):
            self._unload()
        self._bridge.close()
        with contextlib.suppress(OSError):
            self._script.unlink()
