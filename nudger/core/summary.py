"""Summaries computed from visit and nudge rows. Pure: the caller fetches rows and day bounds.

- `summarize_day`: per-target time, visits, longest visit, first and last seen.
- `Streak`: days in a row without a visit to a blocklist page, and the best run so far.
- `hour_profile`: when in the day the time goes, for the risky-hours strip.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from nudger.core.days import LocalDays
from nudger.core.feelings import Tendency
from nudger.core.guard import GuardNote
from nudger.core.types import PAUSE_REASON, Kind, NudgeRow, Visit

Rename = Callable[[Kind, str], str]
# From this many blocklist visits in a day, the day is a hard one: nudges turn gentler and the
# summary points to `nudger help-now`.
HARD_DAY_VISITS = 3


def keep_name(_kind: Kind, name: str) -> str:
    return name


@dataclass(frozen=True, slots=True)
class TargetTotal:
    name: str
    kind: Kind
    seconds: float
    visits: int
    longest_seconds: float
    first_seen: float | None
    last_seen: float | None


@dataclass(frozen=True, slots=True)
class DaySummary:
    date: dt.date
    start: float
    end: float
    targets: tuple[TargetTotal, ...]
    # Time with any target in front. A window can be both a site and a blocklist page, so this
    # is the union of visits, not the sum of the targets.
    total_seconds: float
    site_seconds: float
    blocklist_seconds: float
    # Social apps that were running while nothing could be read in front (a weaker signal).
    running: tuple[TargetTotal, ...] = ()

    def target(self, kind: Kind, name: str) -> TargetTotal | None:
        return next((t for t in self.targets if t.kind == kind and t.name == name), None)

    @property
    def blocklist_visits(self) -> int:
        return sum(t.visits for t in self.targets if t.kind == "blocklist")


@dataclass(frozen=True, slots=True)
class NudgeCounts:
    """Notifications sent and heeded, and, apart from them, the browser's pauses before a page
    and how often the person stepped away."""

    sent: int
    delivered: int
    heeded: int
    snoozed: int
    pauses: int = 0
    stepped_away: int = 0

    @classmethod
    def of(cls, rows: Iterable[NudgeRow]) -> NudgeCounts:
        rows = list(rows)
        notes = [r for r in rows if r.reason != PAUSE_REASON]
        pauses = [r for r in rows if r.reason == PAUSE_REASON]
        return cls(
            sent=len(notes),
            delivered=sum(1 for r in notes if r.delivered),
            heeded=sum(1 for r in notes if r.heeded),
            snoozed=sum(1 for r in notes if r.action == "snooze"),
            pauses=len(pauses),
            stepped_away=sum(1 for r in pauses if r.heeded),
        )


@dataclass(frozen=True, slots=True)
class Streak:
    """Days in a row, up to and including the day shown, without a blocklist visit; and the
    forgiving view beside it: clear days among the last 30 watched, and the hard days (three
    visits or more) among the last 7."""

    current: int
    best: int
    tracked_since: dt.date | None
    clear_last_30: int = 0
    watched_last_30: int = 0
    hard_last_7: int = 0

    @classmethod
    def compute(
        cls,
        day: dt.date,
        first_day: dt.date | None,
        blocklist_days: Mapping[dt.date, int] | Collection[dt.date],
    ) -> Streak:
        """`blocklist_days`: the days with visits, or the number of visits on each."""
        visits = (
            blocklist_days
            if isinstance(blocklist_days, Mapping)
            else dict.fromkeys(blocklist_days, 1)
        )
        if first_day is None or day < first_day:
            return cls(0, 0, first_day)
        best = run = 0
        current_day = first_day
        while current_day <= day:
            run = 0 if visits.get(current_day, 0) else run + 1
            best = max(best, run)
            current_day += dt.timedelta(days=1)
        recent = [day - dt.timedelta(days=i) for i in range(30)]
        watched = [d for d in recent if d >= first_day]
        return cls(
            current=run,
            best=best,
            tracked_since=first_day,
            clear_last_30=sum(1 for d in watched if not visits.get(d, 0)),
            watched_last_30=len(watched),
            hard_last_7=sum(1 for d in watched[:7] if visits.get(d, 0) >= HARD_DAY_VISITS),
        )


@dataclass(frozen=True, slots=True)
class DayReport:
    """One day with its context: compared with yesterday and the week before, nudges, streak."""

    summary: DaySummary
    yesterday_site_seconds: float | None
    average_site_seconds: float | None  # over the 7 days before, where any were tracked
    nudges: NudgeCounts
    streak: Streak
    # Unguarded time that day (core.guard), each stretch once, and the person's if-then plans.
    guard: tuple[GuardNote, ...] = ()
    plans: tuple[str, ...] = ()
    # When the pauses and visits of the last weeks gathered, and the feeling with them.
    tendency: Tendency | None = None


@dataclass(frozen=True, slots=True)
class RangeSummary:
    """Several days: one summary per day, and per-target totals over all of them."""

    days: tuple[DaySummary, ...]
    targets: tuple[TargetTotal, ...]
    hours: tuple[HourShare, ...]
    nudges: NudgeCounts
    streak: Streak
    guard: tuple[GuardNote, ...] = ()
    plans: tuple[str, ...] = ()
    # When the pauses and visits of the last weeks gathered, and the feeling with them.
    tendency: Tendency | None = None

    @property
    def first(self) -> dt.date:
        return self.days[0].date

    @property
    def last(self) -> dt.date:
        return self.days[-1].date


@dataclass(frozen=True, slots=True)
class HourShare:
    """Time in one local hour of the day, each moment counted once per field: a blocklist page
    on a social site is in both `site_seconds` and `blocklist_seconds`, but only once in
    `seconds`."""

    hour: int  # local hour of the day, 0-23
    site_seconds: float
    blocklist_seconds: float
    seconds: float


def clip(visit: Visit, start: float, end: float) -> tuple[float, float] | None:
    """The part of a visit inside [start, end), or None."""
    lo, hi = max(visit.started_at, start), min(visit.ended_at, end)
    if hi < lo or (hi == lo and not start <= visit.started_at < end):
        return None
    return lo, hi


def merged_spans(spans: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """The spans merged where they overlap or touch: each moment in exactly one of them."""
    merged: list[tuple[float, float]] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def union_seconds(spans: Iterable[tuple[float, float]]) -> float:
    return sum(hi - lo for lo, hi in merged_spans(spans))


def _totals(
    parts_by_target: dict[tuple[Kind, str], list[tuple[Visit, float, float]]],
    start: float,
    end: float,
    rename: Rename,
) -> list[TargetTotal]:
    totals = [
        TargetTotal(
            name=rename(kind, name),
            kind=kind,
            seconds=sum(hi - lo for _, lo, hi in parts),
            visits=sum(1 for visit, _, _ in parts if _began_within(visit, start, end)),
            longest_seconds=max(hi - lo for _, lo, hi in parts),
            first_seen=min(lo for _, lo, _ in parts),
            last_seen=max(hi for _, _, hi in parts),
        )
        for (kind, name), parts in parts_by_target.items()
    ]
    totals.sort(key=lambda t: (t.kind != "blocklist", -t.seconds, t.name))
    return totals


def summarize_day(
    day: dt.date, start: float, end: float, visits: Sequence[Visit], rename: Rename = keep_name
) -> DaySummary:
    """Totals for the day [start, end)."""
    front: dict[tuple[Kind, str], list[tuple[Visit, float, float]]] = {}
    running: dict[tuple[Kind, str], list[tuple[Visit, float, float]]] = {}
    for visit in visits:
        span = clip(visit, start, end)
        if span is not None:
            bucket = front if visit.source == "front" else running
            bucket.setdefault((visit.kind, visit.target), []).append((visit, *span))

    def union_of(kind: Kind | None) -> float:
        return union_seconds(
            (lo, hi)
            for (k, _), parts in front.items()
            if kind is None or k == kind
            for _, lo, hi in parts
        )

    return DaySummary(
        date=day,
        start=start,
        end=end,
        targets=tuple(_totals(front, start, end, rename)),
        total_seconds=union_of(None),
        site_seconds=union_of("site"),
        blocklist_seconds=union_of("blocklist"),
        running=tuple(_totals(running, start, end, rename)),
    )


def combine_targets(days: Iterable[DaySummary]) -> tuple[TargetTotal, ...]:
    """Per-target totals over several days."""
    merged: dict[tuple[Kind, str], TargetTotal] = {}
    for summary in days:
        for t in summary.targets:
            seen = merged.get((t.kind, t.name))
            if seen is None:
                merged[(t.kind, t.name)] = t
                continue
            merged[(t.kind, t.name)] = TargetTotal(
                name=t.name,
                kind=t.kind,
                seconds=seen.seconds + t.seconds,
                visits=seen.visits + t.visits,
                longest_seconds=max(seen.longest_seconds, t.longest_seconds),
                first_seen=_min(seen.first_seen, t.first_seen),
                last_seen=_max(seen.last_seen, t.last_seen),
            )
    return tuple(sorted(merged.values(), key=lambda t: (t.kind != "blocklist", -t.seconds, t.name)))


def hour_profile(
    visits: Iterable[Visit], tz: dt.tzinfo, start: float, end: float
) -> tuple[HourShare, ...]:
    """Seconds per local hour of the day (0-23) within [start, end), each moment counted once."""
    spans: dict[Kind, list[tuple[float, float]]] = {"site": [], "blocklist": []}
    for visit in visits:
        moment, stop = max(visit.started_at, start), min(visit.ended_at, end)
        if visit.source == "front" and stop > moment:
            spans[visit.kind].append((moment, stop))
    site = _per_hour(merged_spans(spans["site"]), tz)
    blocklist = _per_hour(merged_spans(spans["blocklist"]), tz)
    either = _per_hour(merged_spans(spans["site"] + spans["blocklist"]), tz)
    return tuple(HourShare(h, site[h], blocklist[h], either[h]) for h in range(24))


def hardest_hours(hours: Sequence[HourShare], count: int = 3) -> tuple[int, ...]:
    """The hours of the day with the most time, most first: where a plan helps most."""
    ranked = sorted((h for h in hours if h.seconds > 0), key=lambda h: (-h.seconds, h.hour))
    return tuple(h.hour for h in ranked[:count])


def _per_hour(spans: Iterable[tuple[float, float]], tz: dt.tzinfo) -> list[float]:
    """Seconds of disjoint spans per local hour of the day."""
    bucket = [0.0] * 24
    for begin, stop in spans:
        moment = begin
        while moment < stop:
            local = dt.datetime.fromtimestamp(moment, tz)
            # Real seconds to the next change of the wall-clock hour. Around a DST change the
            # hour after 01:59:59 may be 03:00, but the next change is still this far away.
            into_hour = local.minute * 60 + local.second + local.microsecond / 1e6
            step_end = min(stop, moment + 3600 - into_hour)
            bucket[local.hour] += step_end - moment
            moment = step_end
    return bucket


class DayIndex:
    """Maps instants to local days fast (bisect over precomputed boundaries)."""

    def __init__(self, days: LocalDays, first: dt.date, last: dt.date) -> None:
        self.first = first
        count = (last - first).days + 1
        self.starts = [days.start_of(first + dt.timedelta(days=i)) for i in range(count + 1)]

    def day_of(self, at: float) -> dt.date | None:
        index = bisect.bisect_right(self.starts, at) - 1
        if index < 0 or index >= len(self.starts) - 1:
            return None
        return self.first + dt.timedelta(days=index)

    def bounds(self, day: dt.date) -> tuple[float, float]:
        index = (day - self.first).days
        return self.starts[index], self.starts[index + 1]


def _began_within(visit: Visit, start: float, end: float) -> bool:
    """A visit counts on the day it began; a continuation past a day start is time only."""
    return start <= visit.started_at < end and not visit.continued


def _min(a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else min(a, b)


def _max(a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else max(a, b)
