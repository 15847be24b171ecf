"""Local days that start at `day_starts_at` (04:00 by default), in a real time zone.

A late night counts as the evening it belongs to. Days are 23, 24 or 25 hours long around
daylight-saving changes; zoneinfo does that arithmetic, and this module keeps it in one place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LocalDays:
    tz: dt.tzinfo
    starts_at: dt.time = dt.time(4, 0)

    @property
    def _offset(self) -> dt.timedelta:
        return dt.timedelta(hours=self.starts_at.hour, minutes=self.starts_at.minute)

    def day_of(self, at: float) -> dt.date:
        """The day an instant (Unix seconds) belongs to."""
        local = dt.datetime.fromtimestamp(at, self.tz)
        # Wall-clock arithmetic on purpose: 03:30 on the 5th belongs to the 4th when days start
        # at 04:00, whatever the UTC offset did in between.
        return (local.replace(tzinfo=None) - self._offset).date()

    def start_of(self, day: dt.date) -> float:
        """The instant `day` begins."""
        return dt.datetime.combine(day, self.starts_at, tzinfo=self.tz).timestamp()

    def bounds(self, day: dt.date) -> tuple[float, float]:
        return self.start_of(day), self.start_of(day + dt.timedelta(days=1))

    def end_of_day_containing(self, at: float) -> float:
        return self.start_of(self.day_of(at) + dt.timedelta(days=1))
