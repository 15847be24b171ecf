"""Turning observations into visits: one visit per continuous stretch on a target.

Pure: time comes in with each observation, nothing is read from the clock or written anywhere.

An observation says what was in front at one instant. It is either a *sample* (the sampler
looked) or an *event* (the desktop said focus or a title changed, and when).

- **An observed change ends a visit at the moment of the change.** When an observation shows that
  a target is no longer in front, its visit ends, and what came instead begins, at one instant:
  - for an event, the event's own time: the desktop said when it happened;
  - for a sample, the midpoint between the previous observation and this one. The change
    happened somewhere in that interval and nothing says where, so the midpoint is the estimate
    with the smallest worst-case error (half an interval) and no bias: over many switches the
    time given to one window and taken from the next cancel out. Ending at the last sighting
    (as before) undercounts every visit by half an interval on average, and ending at the new
    sample overcounts by as much; for someone flicking between two windows both errors add up
    to the whole time away.
- **The pulse only bridges time in which nothing was observed.** Two observations further apart
  than `pulse_seconds` (poll * 1.5 + 1: a suspend, a stalled or stopped daemon) leave the time
  between them unknown: every visit ends where it was last seen, and nothing is counted for the
  gap. Closer together, a target seen in both is one visit, whatever happened unobserved between.
- **Unless the desktop vouches for the gap.** A backend that follows the desktop's event stream
  says since when it has followed it without a break (`followed_since`). A daemon that was
  stopped or starved then still knows every change in the gap (replayed as exact observations),
  and a gap with no change in it is time on what stayed in front, provided the person cannot have
  gone away unseen in it (see `core.clock.gap_is_vouched`). A sample that shows a change the
  stream did not report is not vouched for: the pulse rule stands.
- Idle past `idle_seconds` ends every visit at the moment input stopped. The observation after
  the person comes back starts afresh: nobody was looking while they were away.
- A visit that runs past the start of a new day is split there; the second part is marked as
  a continuation, so the visit counts on the day it began and its time on each day it touched.
- The clock going backwards, or the caller saying time was not watched, ends every visit where it
  was last seen, so time that was not observed is never counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from nudger.core.clock import gap_is_vouched, is_away
from nudger.core.days import LocalDays
from nudger.core.types import Hit, Kind, Source, Visit


@dataclass(frozen=True, slots=True)
class Step:
    """What one observation changed: visits that ended, and visits that began."""

    ended: tuple[Visit, ...] = ()
    started: tuple[Visit, ...] = ()


@dataclass(slots=True)
class _OpenVisit:
    hit: Hit
    started_at: float
    last_seen: float
    title: str | None
    day_end: float  # computed once per visit: zoneinfo arithmetic is too dear for every sample
    continued: bool = False

    def ended(self, at: float, source: Source) -> Visit:
        return Visit(
            self.hit.kind,
            self.hit.target,
            self.hit.signal,
            source,
            self.started_at,
            at,
            self.title,
            self.continued,
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
        # The last observation with someone there: what a change is measured from.
        self._last_watched: float | None = None
        self._last_idle = 0.0  # the idle time reported with it

    def observe(
        self,
        at: float,
        hits: Iterable[Hit],
        idle_seconds: float = 0.0,
        title: str | None = None,
        *,
        exact: bool = False,
        followed_since: float | None = None,
    ) -> Step:
        """Feed one observation taken at `at` (Unix seconds): `hits` were in front then.

        `exact` says that what is in front became so at `at` (a focus or title event), rather
        than at some moment since the previous observation (a sample). `followed_since` is when
        the backend's event stream was last (re)joined, if it follows one and delivered all of
        it up to `at`.
        """
        ended: list[Visit] = []
        if self._last_at is not None and at < self._last_at:
            ended += self.interrupt()
        self._last_at = at

        if is_away(idle_seconds, self.idle_seconds):
            ended += self._end_for_idle(input_stopped=at - idle_seconds)
            self._last_watched = None
            return Step(tuple(ended))

        present = tuple(hits)
        previous, idle_before = self._last_watched, self._last_idle
        self._last_watched, self._last_idle = at, idle_seconds
        if previous is None or not self._bridged(
            previous, at, present, idle_before, exact=exact, followed_since=followed_since
        ):
            # Nothing was observed in between: what was open ends where it was last seen.
            ended += self.interrupt()
            self._last_watched = at
            changed_at = at
        else:
            changed_at = at if exact else (previous + at) / 2

        started: list[Visit] = []
        seen: set[tuple[Kind, str]] = set()
        for hit in present:
            key = (hit.kind, hit.target)
            if key in seen:
                continue
            seen.add(key)
            visit = self._open.get(key)
            if visit is None:
                visit = self._open[key] = self._begin(hit, changed_at, title)
                started.append(visit.ended(changed_at, self.source))
            ended += self._extend(key, visit, at, title)
        for key, visit in list(self._open.items()):
            if key not in seen:
                ended += self._finish(key, visit, changed_at)
        return Step(tuple(ended), tuple(started))

    def _bridged(
        self,
        previous: float,
        at: float,
        hits: tuple[Hit, ...],
        idle_before: float,
        *,
        exact: bool,
        followed_since: float | None,
    ) -> bool:
        """The time since `previous` counts as watched: within the pulse, or vouched for."""
        if at - previous <= self.pulse_seconds:
            return True
        vouched = gap_is_vouched(
            previous=previous,
            at=at,
            followed_since=followed_since,
            idle_before=idle_before,
            idle_threshold=self.idle_seconds,
        )
        # A sample that shows a change the stream never reported: the stream missed something,
        # and nothing says when in the gap it happened.
        unchanged = exact or {(h.kind, h.target) for h in hits} == set(self._open)
        return vouched and unchanged

    def _extend(
        self, key: tuple[Kind, str], visit: _OpenVisit, at: float, title: str | None
    ) -> list[Visit]:
        """The visit was in front at `at`: carry it on, splitting it at any day boundary."""
        ended: list[Visit] = []
        while at >= visit.day_end:
            ended.append(visit.ended(visit.day_end, self.source))
            visit = self._open[key] = self._begin(
                visit.hit, visit.day_end, title or visit.title, continued=True
            )
        visit.last_seen = max(visit.last_seen, at)
        if title is not None:
            visit.title = title
        return ended

    def _finish(self, key: tuple[Kind, str], visit: _OpenVisit, end: float) -> list[Visit]:
        """End an open visit at `end`, which may lie past a day boundary (a midpoint can)."""
        ended = self._extend(key, visit, end, None) if end >= visit.day_end else []
        last = self._open.pop(key)
        ended.append(last.ended(end, self.source))
        return ended

    def _begin(
        self, hit: Hit, start: float, title: str | None, *, continued: bool = False
    ) -> _OpenVisit:
        return _OpenVisit(
            hit, start, start, title, self.days.end_of_day_containing(start), continued
        )

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
        self._last_watched = None
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
