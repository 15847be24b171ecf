"""Hyprland: the active window from the compositor's request socket ("j/activewindow"), kept
exact by its event socket.

Each request is one short connection to `.socket.sock`, answered with JSON; no process is
spawned per sample (hyprctl would cost milliseconds each time). Hyprland holds its request
socket synchronously, so a connection is never kept open.

A listener thread reads `.socket2.sock`, where Hyprland writes `EVENT>>DATA` lines as things
happen. A focus change (`activewindow>>`, `activewindowv2>>`) or a title change of the window in
front (`windowtitle>>`, `windowtitlev2>>`) makes it ask for the active window once and keep the
change as a Glance with the moment the event arrived, so a glance between two samples counts.
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from nudger.core.translate import N_, Said
from nudger.framing import Lines, LineTooLong
from nudger.sensing.base import Reading, SensorUnavailable, Window
from nudger.sensing.listening import GlanceBuffer, Wakeup
from nudger.sensing.wayland_idle import IdleWatch

log = logging.getLogger(__name__)

Request = Callable[[str], bytes]
# Events that may change what is in front. The title events name a window by its address.
FOCUS_EVENTS = frozenset({"activewindow", "activewindowv2"})
TITLE_EVENTS = frozenset({"windowtitle", "windowtitlev2"})
# A line longer than this is not an event Hyprland sends: the stream is not what we think.
_MAX_LINE = 64 * 1024


def socket_path(env: Mapping[str, str], name: str = ".socket.sock") -> Path | None:
    """Where Hyprland's request socket (or, with name=".socket2.sock", its event socket) is."""
    signature = env.get("HYPRLAND_INSTANCE_SIGNATURE")
    if not signature:
        return None
    # Before Hyprland 0.40 the socket lived under /tmp; we only ever connect to it.
    candidates = [Path("/tmp/hypr") / signature / name]  # noqa: S108
    if env.get("XDG_RUNTIME_DIR"):
        candidates.insert(0, Path(env["XDG_RUNTIME_DIR"]) / "hypr" / signature / name)
    return next((path for path in candidates if path.exists()), candidates[0])


def socket_request(path: Path) -> Request:
    def request(command: str) -> bytes:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(2)
            connection.connect(str(path))
            connection.sendall(command.encode())
            chunks = []
            while chunk := connection.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks)

    return request


def parse_active_window(reply: bytes) -> Window | None:
    """The JSON of `j/activewindow`: `{}` when nothing has the focus."""
    data: Any = json.loads(reply or b"{}")
    if not isinstance(data, dict) or not data.get("address"):
        return None
    wm_class = tuple(str(v) for v in (data.get("initialClass"), data.get("class")) if v)
    pid = data.get("pid")
    return Window(
        app=str(data.get("class") or data.get("initialClass") or ""),
        title=str(data.get("title") or ""),
        pid=int(pid) if isinstance(pid, int) and pid > 0 else None,
        wm_class=wm_class,
    )


def parse_event(line: bytes) -> tuple[str, str]:
    """`activewindowv2>>55d6f2a0` -> ("activewindowv2", "55d6f2a0")."""
    name, _sep, data = line.decode("utf-8", "replace").partition(">>")
    return name.strip(), data


def event_address(name: str, data: str) -> str | None:
    """The window address a title event is about ("0x" added: that is how requests write it)."""
    if name not in TITLE_EVENTS:
        return None
    address = data.split(",", 1)[0].strip()
    return address if address.startswith("0x") else f"0x{address}"


class HyprlandSensor:
    name = "hyprland"

    def __init__(self, request: Request, events: socket.socket | None = None) -> None:
        self._request = request
        self._idle: IdleWatch | None = None
        self._glances = GlanceBuffer()
        self._front: Window | None = None
        self._address: str | None = None
        self.read()  # fail now, not at the first sample, when the socket is not there
        self._events = events
        self._event_lines = Lines(_MAX_LINE)
        self._wakeup = Wakeup()
        self._listener: threading.Thread | None = None
        if events is not None:
            self._front, self._address = self._active()
            self._listener = threading.Thread(
                target=self._listen, name="nudger-hyprland", daemon=True
            )
            self._listener.start()

    def attach_idle(self, idle: IdleWatch | None) -> None:
        self._idle = idle

    def read(self) -> Reading:
        try:
            window, _pid = self._active()
        except (OSError, ValueError) as error:
            raise SensorUnavailable(
                Said(N_("cannot ask Hyprland for the active window: {error}"), {"error": error})
            ) from None
        glances = self._glances.take()
        return Reading(window, self._idle.idle_seconds() if self._idle else 0.0, glances)

    def _active(self) -> tuple[Window | None, str | None]:
        reply = self._request("j/activewindow")
        data: Any = json.loads(reply or b"{}")
        address = data.get("address") if isinstance(data, dict) else None
        return parse_active_window(reply), str(address) if address else None

    def _listen(self) -> None:
        assert self._events is not None
        try:
            self._wakeup.follow(self._events.fileno(), self._on_events)
        except (OSError, ValueError) as error:
            # The sampler carries on without glances; a lost request socket is said there.
            log.info(N_("stopped following Hyprland's events (%s); sampling goes on"), error)

    def _on_events(self, at: float) -> None:
        assert self._events is not None
        chunk = self._events.recv(65536)
        if not chunk:
            raise ConnectionError("Hyprland closed its event socket")
        self._event_lines.feed(chunk)
        try:
            lines = self._event_lines.take()
        except LineTooLong:
            raise ValueError(
                Said(N_("Hyprland's event socket sent a line too long to be an event"))
            ) from None
        if any(self._may_change_front(*parse_event(line)) for line in lines):
            self._record(at)

    def _may_change_front(self, name: str, data: str) -> bool:
        if name in FOCUS_EVENTS:
            return True
        address = event_address(name, data)
        return address is not None and address == self._address

    def _record(self, at: float) -> None:
        """Ask once for the active window after a burst of events, and keep it if it changed."""
        window, self._address = self._active()
        if window != self._front:
            self._front = window
            self._glances.add(at, window)

    def close(self) -> None:
        if self._listener is not None:
            self._wakeup.stop(self._listener)
        if self._events is not None:
            with contextlib.suppress(OSError):
                self._events.close()
        if self._idle is not None:
            self._idle.close()


def event_socket(path: Path | None) -> socket.socket | None:
    """A connection to Hyprland's event socket, or None (then sampling alone carries on)."""
    if path is None:
        return None
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(str(path))
    except OSError as error:
        connection.close()
        log.info(N_("cannot follow Hyprland's events at %s (%s); sampling only"), path, error)
        return None
    return connection
