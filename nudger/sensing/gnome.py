"""GNOME on Wayland: the focused window from the "Focused Window D-Bus" Shell extension.

GNOME gives no program the window in front on Wayland. The extension
focused-window-dbus@flexagoon.com (https://extensions.gnome.org/extension/5592/) adds one D-Bus
method that returns it as JSON. Idle time comes from Mutter's IdleMonitor.
"""

from __future__ import annotations

import json
from typing import Any

from nudger.core.translate import N_, Said
from nudger.sensing.base import Reading, SensorUnavailable, Window
from nudger.sensing.dbus_calls import Caller, CallFailed
from nudger.sensing.processes import process_name

SHELL = "org.gnome.Shell"
EXTENSION_PATH = "/org/gnome/shell/extensions/FocusedWindow"
EXTENSION_INTERFACE = "org.gnome.shell.extensions.FocusedWindow"
EXTENSION_URL = "https://extensions.gnome.org/extension/5592/focused-window-d-bus/"
INSTALL_HINT = Said(
    N_(
        'GNOME needs the Shell extension "Focused Window D-Bus" to tell which '
        "window is in front: install it from {extension_url} (or "
        "`gnome-extensions install` it) and turn it on, then nudger picks it "
        "up by itself"
    ),
    {"extension_url": EXTENSION_URL},
)
MUTTER = "org.gnome.Mutter.IdleMonitor"
IDLE_PATH = "/org/gnome/Mutter/IdleMonitor/Core"
_MISSING = {
    "org.freedesktop.DBus.Error.UnknownObject",
    "org.freedesktop.DBus.Error.UnknownMethod",
    "org.freedesktop.DBus.Error.UnknownInterface",
}


def parse_focused(reply: str) -> Window | None:
    """The extension's JSON ("{}" when nothing has the focus)."""
    data: Any = json.loads(reply or "{}")
    if not isinstance(data, dict) or "title" not in data:
        return None
    pid = data.get("pid") if isinstance(data.get("pid"), int) and data["pid"] > 0 else None
    wm_class = tuple(str(v) for v in (data.get("wm_class_instance"), data.get("wm_class")) if v)
    app = (process_name(pid) if pid else None) or str(data.get("wm_class") or "")
    return Window(app=app, title=str(data.get("title") or ""), pid=pid, wm_class=wm_class)


class GnomeSensor:
    name = "gnome"

    def __init__(self, call: Caller) -> None:
        self._call = call
        self._idle_known = True
        self.read()  # say now (and in `nudger doctor`) when the extension is missing

    def read(self) -> Reading:
        try:
            (reply,) = self._call(SHELL, EXTENSION_PATH, EXTENSION_INTERFACE, "Get")
            window = parse_focused(str(reply))
        except CallFailed as error:
            if error.name in _MISSING:
                raise SensorUnavailable(INSTALL_HINT) from None
            raise SensorUnavailable(
                Said(
                    N_("cannot ask GNOME Shell for the window in front: {error}"), {"error": error}
                )
            ) from None
        except ValueError as error:
            raise SensorUnavailable(
                Said(N_("the extension answered something unreadable: {error}"), {"error": error})
            ) from None
        return Reading(window, self._idle_seconds())

    def _idle_seconds(self) -> float:
        if not self._idle_known:
            return 0.0
        try:
            (milliseconds,) = self._call(MUTTER, IDLE_PATH, MUTTER, "GetIdletime")
        except CallFailed:
            self._idle_known = False  # an older or unusual GNOME: count without idle, ask no more
            return 0.0
        return float(milliseconds) / 1000.0

    def close(self) -> None:
        closer = getattr(self._call, "close", None)
        if callable(closer):
            closer()
