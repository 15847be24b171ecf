"""Turning samples into visits: one visit per continuous stretch on a target.

Pure: time comes in with each sample, nothing is read from the clock or written anywhere.

- A visit goes on while its target is seen again within `pulse_seconds` (poll * 1.5 + 1).
  A longer gap (suspend, a stopped daemon, switching away) ends it when it was last seen.
- Idle past `idle_seconds` ends every visit at the moment input stopped.
- A visit that runs past the start of a new day is split there.
- The clock going backwards, or the caller saying time jumped, ends every visit where it was
  last seen, so time that was not observed is never counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from nudger.days import LocalDays
from nudger.matching import Hit, Kind, Signal

Source = Literal["front", "running"]


@dataclass(frozen=True, slots=True)
class Visit:
    kind: Kind
    target: str
    signal: Signal
    source: Source
    started_at: float
    ended_at: float
    title: str | None = None

    @property
    def seconds(self) -> float:
        return self.ended_at - self.started_at


@dataclass(frozen=True, slots=True)
class Step:
    """What one sample changed: visits that ended, and visits that began."""

    ended: tuple[Visit, ...] = ()
    started: tuple[Visit, ...] = ()


@dataclass(slots=True)
class _OpenVisit:
    hit: Hit
    started_at: float
    last_seen: float
    title: str | None
    day_end: float  # computed once per visit: zoneinfo arithmetic is too dear for every sample

    def ended(self, at: float, source: Source) -> Visit:
        return Visit(
            self.hit.kind, self.hit.target, self.hit.signal, source, self.started_at, at, self.title
        )


class Tracker:
    def __init__(
        self,
        *,
        pulse_seconds: float,
        idle_seconds: float,
        days: LocalDays,
        source: Source = "front",
    ) -> None:
        self.pulse_seconds = pulse_seconds
        self.idle_seconds = idle_seconds
        self.days = days
        self.source: Source = source
        self._open: dict[tuple[Kind, str], _OpenVisit] = {}
        self._last_at: float | None = None

    def observe(
        self,
        at: float,
        hits: Iterable[Hit],
        idle_seconds: float = 0.0,
        title: str | None = None,
    ) -> Step:
        """Feed one sample taken at `at` (Unix seconds)."""
        ended: list[Visit] = []
        if self._last_at is not None and at < self._last_at:
            ended += self.interrupt()
        self._last_at = at

        if idle_seconds >= self.idle_seconds:
            ended += self._end_for_idle(input_stopped=at - idle_seconds)
            return Step(tuple(ended))

        started: list[Visit] = []
        seen: set[tuple[Kind, str]] = set()
        for hit in hits:
            key = (hit.kind, hit.target)
            seen.add(key)
            finished, fresh = self._see(key, hit, at, title)
            ended += finished
            started += fresh
        for key, visit in list(self._open.items()):
            if key not in seen and at - visit.last_seen > self.pulse_seconds:
                ended.append(visit.ended(visit.last_seen, self.source))
                del self._open[key]
        return Step(tuple(ended), tuple(started))

    def _see(
        self, key: tuple[Kind, str], hit: Hit, at: float, title: str | None
    ) -> tuple[list[Visit], list[Visit]]:
        """Extend, split or start the visit for one hit. Returns (ended, started)."""
        visit = self._open.get(key)
        if visit is None or at - visit.last_seen > self.pulse_seconds:
            ended = [visit.ended(visit.last_seen, self.source)] if visit else []
            fresh = self._open[key] = self._begin(hit, at, at, title)
            return ended, [fresh.ended(at, self.source)]
        if at >= visit.day_end:
            # Split at the day boundary so each day holds only its own time. The second half
            # is the same stretch of attention, so it is not reported as a new start.
            self._open[key] = self._begin(visit.hit, visit.day_end, at, title or visit.title)
            return [visit.ended(visit.day_end, self.source)], []
        visit.last_seen = at
        if title is not None:
            visit.title = title
        return [], []

    def _begin(self, hit: Hit, start: float, seen: float, title: str | None) -> _OpenVisit:
        return _OpenVisit(hit, start, seen, title, self.days.end_of_day_containing(start))

    def _end_for_idle(self, input_stopped: float) -> list[Visit]:
        ended: list[Visit] = []
        for visit in self._open.values():
            end = min(visit.last_seen, input_stopped)
            # A visit that began after input had already stopped had nobody in front of it.
            if end >= visit.started_at:
                ended.append(visit.ended(end, self.source))
        self._open.clear()
        return ended

    def interrupt(self) -> list[Visit]:
        """End every open visit where it was last seen (a time jump, suspend, or lost display)."""
        ended = [visit.ended(visit.last_seen, self.source) for visit in self._open.values()]
        self._open.clear()
        return ended

    def close_all(self) -> list[Visit]:
        """End everything at shutdown. Same as an interruption: nothing after the last sample."""
        return self.interrupt()

    def open_visits(self) -> list[Visit]:
        """The visits still going on, as they would be stored right now."""
        return [visit.ended(visit.last_seen, self.source) for visit in self._open.values()]

    def reconfigure(self, *, pulse_seconds: float, idle_seconds: float, days: LocalDays) -> None:
        """Apply new settings without losing the visits in progress."""
        self.pulse_seconds = pulse_seconds
        self.idle_seconds = idle_seconds
        if days != self.days:
            self.days = days
            for visit in self._open.values():
                visit.day_end = days.end_of_day_containing(visit.started_at)
