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
        start = self.starts_at
        return dt.timedelta(hours=start.hour, minutes=start.minute, seconds=start.second)

    def day_of(self, at: float) -> dt.date:
        """The day of an instant (Unix seconds): the D with start_of(D) <= at < start_of(D + 1)."""
        local = dt.datetime.fromtimestamp(at, self.tz)
        # Wall-clock arithmetic first: 03:30 on the 5th belongs to the 4th when days start at
        # 04:00, whatever the UTC offset did in between. Then settle it against start_of(), so
        # that a day start inside a daylight-saving gap or overlap cannot make the two disagree
        # (or make time run back into yesterday).
        guess = (local.replace(tzinfo=None) - self._offset).date()
        if at < self.start_of(guess):
            return guess - dt.timedelta(days=1)
        if at >= self.start_of(guess + dt.timedelta(days=1)):
            return guess + dt.timedelta(days=1)
        return guess

    def start_of(self, day: dt.date) -> float:
        """The instant `day` begins."""
        # fold=0: when the start falls in a DST gap or overlap, take the earlier reading, the
        # same one day_of() assumes; otherwise the two could disagree about that instant.
        start = self.starts_at.replace(fold=0, tzinfo=None, microsecond=0)
        return dt.datetime.combine(day, start, tzinfo=self.tz).timestamp()

    def bounds(self, day: dt.date) -> tuple[float, float]:
        return self.start_of(day), self.start_of(day + dt.timedelta(days=1))

    def end_of_day_containing(self, at: float) -> float:
        return self.start_of(self.day_of(at) + dt.timedelta(days=1))
