"""Hyprland: the active window from the compositor's request socket ("j/activewindow").

Each request is one short connection to `.socket.sock`, answered with JSON; no process is
spawned per sample (hyprctl would cost milliseconds each time).
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from nudger.sensing.base import Reading, SensorUnavailable, Window
from nudger.sensing.wayland_idle import IdleWatch

Request = Callable[[str], bytes]


def socket_path(env: Mapping[str, str]) -> Path | None:
    signature = env.get("HYPRLAND_INSTANCE_SIGNATURE")
    if not signature:
        return None
    # Before Hyprland 0.40 the socket lived under /tmp; we only ever connect to it.
    candidates = [Path("/tmp/hypr") / signature / ".socket.sock"]  # noqa: S108
    if env.get("XDG_RUNTIME_DIR"):
        candidates.insert(0, Path(env["XDG_RUNTIME_DIR"]) / "hypr" / signature / ".socket.sock")
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


class HyprlandSensor:
    name = "hyprland"

    def __init__(self, request: Request) -> None:
        self._request = request
        self._idle: IdleWatch | None = None
        self.read()  # fail now, not at the first sample, when the socket is not there

    def attach_idle(self, idle: IdleWatch | None) -> None:
        self._idle = idle

    def read(self) -> Reading:
        try:
            window = parse_active_window(self._request("j/activewindow"))
        except (OSError, ValueError) as error:
            raise SensorUnavailable(f"cannot ask Hyprland for the active window: {error}") from None
        return Reading(window, self._idle.idle_seconds() if self._idle else 0.0)

    def close(self) -> None:
        if self._idle is not None:
            self._idle.close()
