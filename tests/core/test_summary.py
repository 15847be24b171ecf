"""The summary's sums: each moment counted once, whatever else it belongs to."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from nudger.core.summary import hardest_hours, hour_profile, summarize_day
from nudger.core.types import Visit

LONDON = ZoneInfo("Europe/London")
NOON = dt.datetime(2026, 12, 3, 13, 0, tzinfo=LONDON).timestamp()
DAY = (NOON - 13 * 3600, NOON + 11 * 3600)


def visit(kind: str, target: str, start: float, end: float) -> Visit:
    return Visit(kind, target, "title", "front", start, end)  # type: ignore[arg-type]


def test_a_blocklist_page_on_a_social_site_counts_once_in_the_hour() -> None:
    # The ex's profile on Instagram: one window, a site visit and a blocklist visit at once.
    both = [
        visit("site", "Instagram", NOON + 60, NOON + 277),
        visit("blocklist", "Alex", NOON + 60, NOON + 277),
    ]
    hours = hour_profile(both, LONDON, *DAY)
    assert hours[13].seconds == 217
    assert (hours[13].site_seconds, hours[13].blocklist_seconds) == (217, 217)
    assert summarize_day(dt.date(2026, 12, 3), *DAY, both).total_seconds == 217


spans = st.lists(
    st.tuples(
        st.sampled_from(["site", "blocklist"]),
        st.floats(0, 20 * 3600),
        st.floats(0, 3600),
    ),
    max_size=12,
)


@given(spans)
def test_the_hours_add_up_to_the_day_and_never_more(drawn: list[tuple[str, float, float]]) -> None:
    visits = [
        visit(kind, f"{kind}-{i % 2}", DAY[0] + at, DAY[0] + at + length)
        for i, (kind, at, length) in enumerate(drawn)
    ]
    hours = hour_profile(visits, LONDON, *DAY)
    day = summarize_day(dt.date(2026, 12, 3), *DAY, visits)
    assert abs(sum(h.seconds for h in hours) - day.total_seconds) < 1e-6
    for share in hours:
        assert share.seconds <= 3600 + 1e-6
        assert max(share.site_seconds, share.blocklist_seconds) <= share.seconds + 1e-6


def test_the_hardest_hours_are_the_fullest_most_first_and_never_an_empty_one() -> None:
    visits = [
        visit("site", "Reddit", NOON + 9 * 3600, NOON + 9 * 3600 + 600),  # 22:00, 10 min
        visit("site", "Reddit", NOON, NOON + 120),  # 13:00, 2 min
    ]
    hours = hour_profile(visits, LONDON, *DAY)
    assert hardest_hours(hours) == (22, 13)
    assert hardest_hours(hour_profile([], LONDON, *DAY)) == ()
