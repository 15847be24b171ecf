"""Reading summaries out of the store: fetch rows once for a range, then summarise (pure)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Protocol

from nudger.core.days import LocalDays
from nudger.core.feelings import Tendency, feeling_of, tendency
from nudger.core.guard import GuardNote, once_each
from nudger.core.summary import (
    DayIndex,
    DayReport,
    NudgeCounts,
    RangeSummary,
    Rename,
    Streak,
    combine_targets,
    hour_profile,
    keep_name,
    summarize_day,
)
from nudger.core.types import PAUSE_REASON, NudgeRow, Source, Visit

COMPARE_DAYS = 7
# The patterns in pauses, visits and taps are read over this many days up to the one shown.
PATTERN_DAYS = 30
FIRST_RUN_KEY = "first_run_at"


class HistorySource(Protocol):
    """What History reads: the store, or the store and the other devices' files together
    (shell.devices.AcrossDevices)."""

    def visits_between(
        self, start: float, end: float, source: Source | None = None
    ) -> list[Visit]: ...
    def visit_starts(self, kind: str, start: float, end: float) -> list[float]: ...
    def first_visit_at(self) -> float | None: ...
    def get_meta(self, key: str) -> str | None: ...
    def nudges_between(self, start: float, end: float) -> list[NudgeRow]: ...
    def guard_notes_between(self, start: float, end: float) -> list[GuardNote]: ...
    def plans(self) -> list[tuple[int, str]]: ...
    def feelings_between(self, start: float, end: float) -> list[tuple[float, str]]: ...


class History:
    def __init__(self, store: HistorySource, days: LocalDays, rename: Rename = keep_name) -> None:
        self.store = store
        self.days = days
        self.rename = rename

    def tracked_since(self) -> dt.date | None:
        """The first day nudger was watching: its first run, or the first visit if earlier."""
        stamps = [self.store.first_visit_at()]
        first_run = self.store.get_meta(FIRST_RUN_KEY)
        if first_run is not None:
            stamps.append(float(first_run))
        known = [s for s in stamps if s is not None]
        return self.days.day_of(min(known)) if known else None

    def _visits_by_day(
        self, first: dt.date, last: dt.date
    ) -> tuple[DayIndex, dict[dt.date, list[Visit]]]:
        index = DayIndex(self.days, first, last)
        by_day: dict[dt.date, list[Visit]] = {
            first + dt.timedelta(days=i): [] for i in range((last - first).days + 1)
        }
        range_start, range_end = index.starts[0], index.starts[-1]
        for visit in self.store.visits_between(range_start, range_end):
            day = index.day_of(max(visit.started_at, range_start))
            # Visits stay within one day when the tracker wrote them; rows from elsewhere may
            # not, so a visit is given to every day it touches.
            while day is not None and day <= last:
                by_day[day].append(visit)
                if visit.ended_at <= index.bounds(day)[1]:
                    break
                day += dt.timedelta(days=1)
        return index, by_day

    def streak(self, day: dt.date) -> Streak:
        since = self.tracked_since()
        if since is None or day < since:
            return Streak(0, 0, since)
        index = DayIndex(self.days, since, day)
        starts = self.store.visit_starts("blocklist", index.starts[0], index.starts[-1])
        visits = Counter(d for d in (index.day_of(s) for s in starts) if d is not None)
        return Streak.compute(day, since, visits)

    def day(self, day: dt.date) -> DayReport:
        first = day - dt.timedelta(days=COMPARE_DAYS)
        index, by_day = self._visits_by_day(first, day)
        summaries = {
            d: summarize_day(d, *index.bounds(d), visits, self.rename)
            for d, visits in by_day.items()
        }
        since = self.tracked_since()
        before = [summaries[day - dt.timedelta(days=i)] for i in range(1, COMPARE_DAYS + 1)]
        tracked_before = [s for s in before if since is not None and s.date >= since]
        yesterday = summaries[day - dt.timedelta(days=1)]
        return DayReport(
            summary=summaries[day],
            yesterday_site_seconds=yesterday.site_seconds if yesterday in tracked_before else None,
            average_site_seconds=(
                sum(s.site_seconds for s in tracked_before) / len(tracked_before)
                if tracked_before
                else None
            ),
            nudges=NudgeCounts.of(self.store.nudges_between(*index.bounds(day))),
            streak=self.streak(day),
            guard=tuple(once_each(self.store.guard_notes_between(*index.bounds(day)))),
            plans=self.plans(),
            tendency=self.tendency(index.bounds(day)[1]),
        )

    def range(self, first: dt.date, last: dt.date) -> RangeSummary:
        index, by_day = self._visits_by_day(first, last)
        summaries = tuple(
            summarize_day(d, *index.bounds(d), visits, self.rename) for d, visits in by_day.items()
        )
        start, end = index.starts[0], index.starts[-1]
        # A visit across a boundary sits in two days' lists; count its hours once.
        distinct = {
            (v.kind, v.target, v.source, v.started_at): v for vs in by_day.values() for v in vs
        }
        return RangeSummary(
            days=summaries,
            targets=combine_targets(summaries),
            hours=hour_profile(distinct.values(), self.days.tz, start, end),
            nudges=NudgeCounts.of(self.store.nudges_between(start, end)),
            streak=self.streak(last),
            guard=tuple(once_each(self.store.guard_notes_between(start, end))),
            plans=self.plans(),
            tendency=self.tendency(end, start),
        )

    def plans(self) -> tuple[str, ...]:
        """The person's if-then plans, in their words, oldest first."""
        return tuple(text for _id, text in self.store.plans())

    def tendency(self, end: float, start: float | None = None) -> Tendency | None:
        """When the pauses and the visits to blocklist pages gathered in [start, end) (by
        default the PATTERN_DAYS before `end`), and the feeling the taps showed with them."""
        begin = end - PATTERN_DAYS * 86400.0 if start is None else start
        pauses = [
            row.at for row in self.store.nudges_between(begin, end) if row.reason == PAUSE_REASON
        ]
        visits = self.store.visit_starts("blocklist", begin, end)
        taps = [
            (at, feeling)
            for at, answer in self.store.feelings_between(begin, end)
            if (feeling := feeling_of(answer)) is not None
        ]
        return tendency([*pauses, *visits], taps, self.days.tz)
