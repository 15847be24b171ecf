"""Day summaries, computed from visit rows. Pure: the caller fetches the rows and the day bounds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nudger.matching import Kind
from nudger.tracking import Visit


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

    def target(self, kind: Kind, name: str) -> TargetTotal | None:
        return next((t for t in self.targets if t.kind == kind and t.name == name), None)


def clip(visit: Visit, start: float, end: float) -> tuple[float, float] | None:
    """The part of a visit inside [start, end), or None."""
    lo, hi = max(visit.started_at, start), min(visit.ended_at, end)
    if hi < lo or (hi == lo and not start <= visit.started_at < end):
        return None
    return lo, hi


def union_seconds(spans: Iterable[tuple[float, float]]) -> float:
    total = 0.0
    current_start: float | None = None
    current_end = 0.0
    for lo, hi in sorted(spans):
        if current_start is None or lo > current_end:
            if current_start is not None:
                total += current_end - current_start
            current_start, current_end = lo, hi
        else:
            current_end = max(current_end, hi)
    if current_start is not None:
        total += current_end - current_start
    return total


def summarize_day(day: dt.date, start: float, end: float, visits: Sequence[Visit]) -> DaySummary:
    """Totals for the day [start, end). Only visits that were in front count here."""
    per_target: dict[tuple[Kind, str], list[tuple[Visit, float, float]]] = {}
    for visit in visits:
        if visit.source != "front":
            continue
        span = clip(visit, start, end)
        if span is not None:
            per_target.setdefault((visit.kind, visit.target), []).append((visit, *span))

    targets = []
    for (kind, name), parts in per_target.items():
        targets.append(
            TargetTotal(
                name=name,
                kind=kind,
                seconds=sum(hi - lo for _, lo, hi in parts),
                # A visit counts on the day it began; its tail after the boundary is time only.
                visits=sum(1 for visit, _, _ in parts if start <= visit.started_at < end),
                longest_seconds=max(hi - lo for _, lo, hi in parts),
                first_seen=min(lo for _, lo, _ in parts),
                last_seen=max(hi for _, _, hi in parts),
            )
        )
    targets.sort(key=lambda t: (t.kind != "blocklist", -t.seconds, t.name))

    def union_of(kind: Kind | None) -> float:
        return union_seconds(
            (lo, hi)
            for (k, _), parts in per_target.items()
            if kind is None or k == kind
            for _, lo, hi in parts
        )

    return DaySummary(
        date=day,
        start=start,
        end=end,
        targets=tuple(targets),
        total_seconds=union_of(None),
        site_seconds=union_of("site"),
        blocklist_seconds=union_of("blocklist"),
    )
