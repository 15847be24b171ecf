"""What every sensor backend reports, and the small protocol each one implements."""

from __future__ import annotations

from typing import Protocol

from nudger.core.types import Glance, Reading, Window
from nudger.errors import Saying

__all__ = ["Glance", "Reading", "Sensor", "SensorUnavailable", "Window"]


class SensorUnavailable(Saying):
    """The backend cannot read the desktop right now (no display, lost connection, ...).

    The message says why, in words a user can act on (a Said: English in the daemon's log,
    the person's language where `doctor` shows it); the daemon logs it and retries.
    """


class Sensor(Protocol):
    """A backend that reads the window in front. Created by `sensing.detect()`."""

    name: str

    def read(self) -> Reading:
        """Read the window in front and the idle time; raise SensorUnavailable when cut off."""
        ...

    def close(self) -> None: ...
