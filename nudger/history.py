"""Reading summaries out of the store: fetch the rows for a day, hand them to the pure summary."""

from __future__ import annotations

import datetime as dt

from nudger.days import LocalDays
from nudger.store import Store
from nudger.summary import DaySummary, summarize_day


def day_summary(store: Store, days: LocalDays, day: dt.date) -> DaySummary:
    start, end = days.bounds(day)
    return summarize_day(day, start, end, store.visits_between(start, end))
