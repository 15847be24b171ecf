"""Where the D-Bus session bus is: shared by the edges that speak D-Bus (the GNOME and KDE
window backends, the Linux notifier), which do not import one another."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


def session_bus_address(env: Mapping[str, str] | None = None) -> str | None:
    """DBUS_SESSION_BUS_ADDRESS, or the standard per-user socket when only that exists."""
    env = os.environ if env is None else env
    address = env.get("DBUS_SESSION_BUS_ADDRESS")
    if address:
        return address
    runtime = env.get("XDG_RUNTIME_DIR") or f"/run/user/{os.getuid()}"
    socket = Path(runtime) / "bus"
    return f"unix:path={socket}" if socket.exists() else None
