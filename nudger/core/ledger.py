"""Today so far, kept in memory for the policy: time on social sites and visits to the blocklist.

The shell seeds it from the store when a day begins and feeds it the visits each sample
finishes, so deciding on a nudge never waits on a query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from nudger.core.summary import union_seconds
from nudger.core.types import Visit


class DayLedger:
    """Today's site time (as a union of visits) and blocklist visit count, kept in memory.

    Seeded from the store when the day begins, then fed the visits each sample finishes,
    so the policy never waits on a query.
    """

    def __init__(self) -> None:
        self.day: dt.date | None = None
        self._bounds = (0.0, 0.0)
        self._site_spans: list[tuple[float, float]] = []
        self._closed_site_seconds = 0.0
        self._blocklist_starts: set[tuple[str, float]] = set()

    def begin(self, day: dt.date, bounds: tuple[float, float], stored: Sequence[Visit]) -> None:
        self.day, self._bounds = day, bounds
        self._site_spans = []
        self._blocklist_starts = set()
        self.add(stored)

    def add(self, visits: Sequence[Visit]) -> None:
        start, end = self._bounds
        for visit in visits:
            if visit.source != "front":
                continue
            if visit.kind == "blocklist" and visit.continued:
                continue  # the same visit, begun yesterday: not one more today
            if visit.kind == "blocklist" and start <= visit.started_at < end:
                self._blocklist_starts.add((visit.target, visit.started_at))
            elif visit.kind == "site":
                lo, hi = max(visit.started_at, start), min(visit.ended_at, end)
                if hi > lo:
                    self._site_spans.append((lo, hi))
        self._closed_site_seconds = union_seconds(self._site_spans)

    def site_seconds(self, open_visits: Sequence[Visit]) -> float:
        start, end = self._bounds
        live = [
            (max(v.started_at, start), min(v.ended_at, end))
            for v in open_visits
            if v.kind == "site" and v.ended_at > start
        ]
        if not live:
            return self._closed_site_seconds
        return union_seconds(self._site_spans + live)

    def blocklist_visits(self, open_visits: Sequence[Visit]) -> int:
        return len(self._blocklist_keys(open_visits))

    def blocklist_starts(self, open_visits: Sequence[Visit]) -> tuple[float, ...]:
        """When each of today's blocklist visits began, oldest first: the night's count and
        a burst of visits are read from these."""
        return tuple(sorted(at for _target, at in self._blocklist_keys(open_visits)))

    def _blocklist_keys(self, open_visits: Sequence[Visit]) -> set[tuple[str, float]]:
        start, end = self._bounds
        live = {
            (v.target, v.started_at)
            for v in open_visits
            if v.kind == "blocklist" and start <= v.started_at < end and not v.continued
        }
        return self._blocklist_starts | live
