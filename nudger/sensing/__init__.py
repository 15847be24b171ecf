"""Reading the window in front. `detect()` picks one backend for this platform and session."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from nudger.sensing.base import Reading, Sensor, SensorUnavailable, Window

__all__ = ["Backend", "Reading", "Sensor", "SensorUnavailable", "Window", "detect"]


@dataclass(frozen=True)
class Backend:
    """The chosen backend: its name, why it was chosen, and how to open it (which may fail)."""

    name: str
    reason: str
    open: Callable[[], Sensor]


def detect(env: Mapping[str, str] | None = None, platform: str = sys.platform) -> Backend:
    """Choose the backend once, from the platform and the session's environment."""
    env = os.environ if env is None else env
    display = env.get("DISPLAY")

    def open_x11() -> Sensor:
        from nudger.sensing.x11 import X11Sensor  # noqa: PLC0415 - python-xlib exists on Linux only

        return X11Sensor(display)

    if display:
        return Backend("x11", f"DISPLAY={display}", open_x11)
    return Backend("x11", "no DISPLAY is set yet; waiting for an X session", open_x11)
