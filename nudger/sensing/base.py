"""What every sensor backend reports, and the small protocol each one implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from nudger.core.types import Window

__all__ = ["Glance", "Reading", "Sensor", "SensorUnavailable", "Window"]


@dataclass(frozen=True, slots=True)
class Glance:
    """A change of what was in front, caught as it happened, between two readings.

    `window` was in front from `at` (wall-clock seconds) until the next glance, or until the
    reading that carries it. Backends that can follow changes as they happen report these, so a
    tab that was in front for less than one sample still counts.
    """

    at: float
    window: Window | None


@dataclass(frozen=True, slots=True)
class Reading:
    """One look at the desktop. `window` is None when nothing is in front (a normal state).

    `glances` are the changes since the previous reading, oldest first (empty for backends that
    only poll); `window` is what is in front now.
    """

    window: Window | None
    idle_seconds: float
    glances: tuple[Glance, ...] = ()


class SensorUnavailable(Exception):
    """The backend cannot read the desktop right now (no display, lost connection, ...).

    The message says why, in words a user can act on; the daemon logs it and retries.
    """


class Sensor(Protocol):
    """A backend that reads the window in front. Created by `sensing.detect()`."""

    name: str

    def read(self) -> Reading:
        """Read the window in front and the idle time; raise SensorUnavailable when cut off."""
        ...

    def close(self) -> None: ...
