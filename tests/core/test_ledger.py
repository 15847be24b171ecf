"""Today so far, as the policy sees it: the real DayLedger, fed visits the way the coach does."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from nudger.core.days import LocalDays
from nudger.core.ledger import DayLedger
from nudger.core.types import Visit

DAYS = LocalDays(ZoneInfo("Europe/Berlin"), dt.time(4, 0))
DAY = dt.date(2026, 11, 27)
START, END = DAYS.bounds(DAY)


def site(start: float, seconds: float, target: str = "Reddit", source: str = "front") -> Visit:
    return Visit("site", target, "title", source, start, start + seconds)  # type: ignore[arg-type]


def blocklist(start: float, seconds: float, *, continued: bool = False) -> Visit:
    return Visit("blocklist", "Alex", "title", "front", start, start + seconds, None, continued)


def test_site_time_is_the_union_of_visits_within_the_day() -> None:
    ledger = DayLedger()
    ledger.begin(DAY, (START, END), [site(START + 100, 600), site(START + 400, 600, "Instagram")])
    assert ledger.site_seconds([]) == pytest.approx(900)  # overlapping sites count once
    ledger.add([site(START + 5000, 60)])
    assert ledger.site_seconds([]) == pytest.approx(960)
    # A visit still going on counts as far as it has got, overlaps included once.
    assert ledger.site_seconds([site(START + 5030, 100)]) == pytest.approx(1030)


def test_only_the_part_of_a_visit_within_the_day_counts() -> None:
    ledger = DayLedger()
    ledger.begin(DAY, (START, END), [site(START - 300, 600), site(END - 100, 600)])
    assert ledger.site_seconds([]) == pytest.approx(400)


def test_blocklist_visits_are_counted_once_each_and_a_continuation_is_not_one() -> None:
    ledger = DayLedger()
    ledger.begin(DAY, (START, END), [blocklist(START, 30, continued=True)])
    assert ledger.blocklist_visits([]) == 0
    opened = blocklist(START + 1000, 5)
    assert ledger.blocklist_visits([opened]) == 1
    ledger.add([blocklist(START + 1000, 40)])  # the same visit, ended: not a second one
    assert ledger.blocklist_visits([]) == 1
    assert ledger.blocklist_visits([blocklist(START + 2000, 1)]) == 2


def test_apps_merely_running_do_not_count() -> None:
    ledger = DayLedger()
    ledger.begin(DAY, (START, END), [site(START + 10, 600, "Discord", source="running")])
    assert ledger.site_seconds([]) == 0
