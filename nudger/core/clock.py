"""Rules about time itself: how long a target may go unseen and still be one visit, when the
person counts as away, and when the wall clock has jumped (a suspend, a resume, a clock change).

Pure: the caller reads the clocks and passes the readings in.
"""

from __future__ import annotations

from dataclasses import dataclass

# Wall time and monotonic time may drift apart by this much between two readings before it
# counts as a jump.
JUMP_TOLERANCE_SECONDS = 2.0


def pulse_for(interval_seconds: float) -> float:
    """How long a target may go unobserved and still be one visit, for observations made every
    `interval_seconds` (ActivityWatch's pulsetime): a missed or late reading is bridged, a
    suspend or a stopped daemon is not."""
    return interval_seconds * 1.5 + 1


def is_away(idle_seconds: float, threshold_seconds: float) -> bool:
    """No input for `threshold_seconds` (watch.idle_seconds) or more: nobody is looking."""
    return idle_seconds >= threshold_seconds


@dataclass(slots=True)
class ClockWatch:
    """Notices the wall clock jumping against the monotonic clock between two readings."""

    _last: tuple[float, float] | None = None

    def jump(self, wall: float, monotonic: float) -> float:
        """Seconds the wall clock jumped since the last reading (positive: forward), or 0."""
        last, self._last = self._last, (wall, monotonic)
        if last is None:
            return 0.0
        drift = (wall - last[0]) - (monotonic - last[1])
        return drift if abs(drift) > JUMP_TOLERANCE_SECONDS else 0.0
