"""Summaries over a real SQLite database with known visits: exact figures in text, JSON and HTML."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from rich.console import Console

from nudger.core.aliases import alias_label, blocklist_aliases
from nudger.core.days import LocalDays
from nudger.core.summary import Streak
from nudger.core.tracking import Tracker
from nudger.core.translate import ENGLISH
from nudger.core.types import Hit, Visit
from nudger.core.words import evening_sentence
from nudger.report import charts, html, json_report, text
from nudger.shell.history import FIRST_RUN_KEY, History
from nudger.store import Store

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
FOUR = dt.time(4, 0)


def at(text_time: str, tz: dt.tzinfo = BERLIN) -> float:
    return dt.datetime.fromisoformat(text_time).replace(tzinfo=tz).timestamp()


def site(target: str, start: float, seconds: float) -> Visit:
    return Visit("site", target, "title", "front", start, start + seconds)


def blocklist(target: str, start: float, seconds: float) -> Visit:
    return Visit("blocklist", target, "title", "front", start, start + seconds)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(tmp_path / "nudger.db")
    opened.set_meta(FIRST_RUN_KEY, str(at("2026-11-01 09:00")))
    return opened


def plain(renderable: object) -> str:
    console = Console(width=110, color_system=None, force_terminal=False)
    return text.render(renderable, console)  # type: ignore[arg-type]


def test_a_day_with_known_visits(store: Store) -> None:
    store.save_visits(
        [
            site("Instagram", at("2026-11-27 09:00"), 600),
            blocklist("Alex", at("2026-11-27 09:02"), 120),  # on Instagram: overlaps it
            site("Instagram", at("2026-11-27 21:00"), 300),
            site("Reddit", at("2026-11-27 22:00"), 1200),
            blocklist("Alex", at("2026-11-27 23:00"), 3),  # a glance
            site("Reddit", at("2026-11-26 20:00"), 3600),  # yesterday
        ]
    )
    store.add_nudge(
        at=at("2026-11-27 09:02:06"),
        kind="blocklist",
        target="Alex",
        reason="blocklist",
        message_id="be_kind.1",
        delivered=True,
        channel="dbus",
        notification_id=1,
    )
    store.update_nudge(1, heeded=True)
    days = LocalDays(BERLIN, FOUR)
    report = History(store, days).day(dt.date(2026, 11, 27))
    summary = report.summary

    assert summary.site_seconds == 600 + 300 + 1200
    assert summary.blocklist_seconds == 123
    assert summary.total_seconds == 600 + 300 + 1200 + 3  # the 120 s inside Instagram count once
    insta = summary.target("site", "Instagram")
    assert insta is not None and (insta.visits, insta.seconds, insta.longest_seconds) == (
        2,
        900,
        600,
    )
    alex = summary.target("blocklist", "Alex")
    assert alex is not None and (alex.visits, alex.seconds) == (2, 123)
    assert report.yesterday_site_seconds == 3600
    assert report.nudges.sent == 1 and report.nudges.heeded == 1
    assert report.streak.current == 0

    document = json_report.day_document(report, BERLIN)
    assert document["date"] == "2026-11-27"
    assert (document["total_seconds"], document["site_seconds"], document["blocklist_seconds"]) == (
        2103,
        2100,
        123,
    )
    by_name = {t["name"]: t for t in document["targets"]}
    assert by_name["Reddit"] == {
        "name": "Reddit",
        "kind": "site",
        "seconds": 1200,
        "visits": 1,
        "longest_seconds": 1200,
        "first_seen": "2026-11-27T22:00:00+01:00",
        "last_seen": "2026-11-27T22:20:00+01:00",
    }
    assert document["compared"]["yesterday_site_seconds"] == 3600
    assert document["nudges"] == {
        "sent": 1,
        "delivered": 1,
        "heeded": 1,
        "snoozed": 0,
        "pauses": 0,
        "stepped_away": 0,
    }
    json.dumps(document)

    shown = plain(text.day_view(ENGLISH, report, BERLIN, FOUR))
    assert "Friday 27 November 2026" in shown
    assert re.search(r"Reddit\s+site\s+20 min\s+1\s+20 min\s+22:00\s+22:20", shown), shown
    assert re.search(r"Instagram\s+site\s+15 min\s+2\s+10 min\s+09:00\s+21:05", shown), shown
    assert "Social sites 35 min" in shown and "Blocklist 2 min (2 visits)" in shown
    assert "25 min less than yesterday" in shown
    assert "Nudges: 1 sent, 1 heeded." in shown


def test_an_empty_day(store: Store) -> None:
    report = History(store, LocalDays(BERLIN, FOUR)).day(dt.date(2026, 11, 27))
    assert report.summary.targets == ()
    document = json_report.day_document(report, BERLIN)
    assert (document["total_seconds"], document["targets"], document["blocklist_visits"]) == (
        0,
        [],
        0,
    )
    shown = plain(text.day_view(ENGLISH, report, BERLIN, FOUR))
    assert "Nothing on social sites or blocklist pages today." in shown
    past = plain(text.day_view(ENGLISH, report, BERLIN, FOUR, dt.date(2026, 11, 28)))
    assert "Nothing on social sites or blocklist pages that day." in past
    assert report.streak.current == 27  # every day since 1 November, today included
    title, body = evening_sentence(ENGLISH, report)
    assert title == "Your day, gently summed up"
    assert (
        body
        == "No time on social sites today. No visits to the blocklist today: day 27. Clear days in the last 27: 27."
    )


def test_a_visit_across_the_day_boundary_is_shared_between_the_days(store: Store) -> None:
    store.save_visits([site("YouTube", at("2026-11-28 03:50"), 20 * 60)])  # until 04:10
    history = History(store, LocalDays(BERLIN, FOUR))
    before = history.day(dt.date(2026, 11, 27)).summary
    after = history.day(dt.date(2026, 11, 28)).summary
    assert before.site_seconds == 600 and after.site_seconds == 600
    assert before.target("site", "YouTube").visits == 1  # type: ignore[union-attr]
    assert after.target("site", "YouTube").visits == 0  # type: ignore[union-attr]  # time, not a new visit
    week = history.range(dt.date(2026, 11, 22), dt.date(2026, 11, 28))
    assert week.targets[0].seconds == 1200 and week.targets[0].visits == 1


@pytest.mark.parametrize(
    ("tz", "day", "start", "real_seconds", "day_hours"),
    [
        # Spring: 02:00 does not exist; 01:30 to 03:30 on the wall clock is one real hour.
        (BERLIN, dt.date(2026, 3, 28), "2026-03-29 01:30", 3600, 23),
        (NEW_YORK, dt.date(2026, 3, 7), "2026-03-08 01:30", 3600, 23),
        # Autumn: 02:00-03:00 happens twice; 01:30 to 03:30 on the wall clock is three real hours.
        (BERLIN, dt.date(2026, 10, 24), "2026-10-25 01:30", 3 * 3600, 25),
        (NEW_YORK, dt.date(2026, 10, 31), "2026-11-01 00:30", 3 * 3600, 25),
    ],
)
def test_daylight_saving_days(
    tmp_path: Path, tz: ZoneInfo, day: dt.date, start: str, real_seconds: int, day_hours: int
) -> None:
    store = Store.open(tmp_path / "nudger.db")
    begin = at(start, tz)
    store.save_visits([site("Reddit", begin, real_seconds)])
    days = LocalDays(tz, FOUR)
    report = History(store, days).day(day)
    assert days.bounds(day)[1] - days.bounds(day)[0] == day_hours * 3600
    assert report.summary.site_seconds == real_seconds
    document = json_report.day_document(report, tz)
    assert document["site_seconds"] == real_seconds
    hours = real_seconds // 3600
    assert f"{hours} h 00 min" in plain(text.day_view(ENGLISH, report, tz, FOUR))
    hourly = History(store, days).range(day, day).hours
    assert sum(h.site_seconds for h in hourly) == real_seconds


def test_streaks_broken_and_unbroken() -> None:
    first = dt.date(2026, 11, 1)
    slips = {dt.date(2026, 11, 5), dt.date(2026, 11, 20)}
    assert Streak.compute(dt.date(2026, 11, 27), first, slips) == Streak(7, 14, first, 25, 27, 0)
    assert Streak.compute(dt.date(2026, 11, 20), first, slips) == Streak(0, 14, first, 18, 20, 0)
    assert Streak.compute(dt.date(2026, 11, 4), first, slips) == Streak(4, 4, first, 4, 4, 0)
    assert Streak.compute(dt.date(2026, 10, 30), first, slips) == Streak(0, 0, first)


def test_hard_days_are_counted_over_the_last_seven() -> None:
    first = dt.date(2026, 10, 1)
    visits = {dt.date(2026, 11, 21): 5, dt.date(2026, 11, 25): 3, dt.date(2026, 11, 26): 1}
    visits[dt.date(2026, 11, 27)] = 4
    streak = Streak.compute(dt.date(2026, 11, 27), first, visits)
    assert streak.hard_last_7 == 3  # the 21st, 25th and 27th; one visit is not a hard day
    assert streak.clear_last_30 == 26 and streak.watched_last_30 == 30


def test_streak_from_the_database_and_in_every_output(store: Store) -> None:
    store.save_visits(
        [
            blocklist("Alex", at("2026-11-20 12:00"), 30),
            blocklist("Alex", at("2026-11-21 03:00"), 30),
        ]
    )
    days = LocalDays(BERLIN, FOUR)
    history = History(store, days)
    report = history.day(dt.date(2026, 11, 27))
    # 1-19 November clean (19 days), a slip on the 20th (03:00 on the 21st still counts as the
    # 20th), then the 21st to the 27th: 7 days.
    assert (report.streak.current, report.streak.best) == (7, 19)
    assert json_report.day_document(report, BERLIN)["streak"] == {
        "days_without_blocklist": 7,
        "best": 19,
        "tracked_since": "2026-11-01",
    }
    shown = plain(text.day_view(ENGLISH, report, BERLIN, FOUR))
    assert "No visits to the blocklist today: day 7. Clear days in the last 27: 26." in shown
    month = history.range(dt.date(2026, 10, 29), dt.date(2026, 11, 27))
    page = html.render(ENGLISH, report, month, dt.datetime(2026, 11, 27, 21, 0, tzinfo=BERLIN))
    assert re.search(r'<div class="figure streak"><b>7</b>days in a row', page)
    assert re.search(r'<div class="figure streak"><b>26</b>clear days in the last 27', page)
    broken = history.day(dt.date(2026, 11, 20))
    assert broken.streak.current == 0
    shown = plain(text.day_view(ENGLISH, broken, BERLIN, FOUR, dt.date(2026, 11, 20)))
    # After a visit: the clear days so far, never the best run next to a reset, no "fresh start".
    assert "Blocklist pages came up 2 times today. Clear days in the last 20: 19." in shown
    assert "best" not in shown.lower() and "fresh start" not in shown.lower()


def test_streak_calendar_greys_the_days_before_the_first_run(store: Store) -> None:
    store.save_visits([blocklist("Alex", at("2026-11-20 12:00"), 30)])
    month = History(store, LocalDays(BERLIN, FOUR)).range(
        dt.date(2026, 10, 29), dt.date(2026, 11, 27)
    )
    svg = charts.streak_calendar(ENGLISH, month)
    # 29-31 October came before the first run: unknown, not clean.
    assert svg.count(f"fill: {charts.UNWATCHED_COLOUR}") == 3
    assert svg.count(f"fill: {charts.BLOCKLIST_COLOUR}") == 1
    assert svg.count(f"fill: {charts.CLEAN_COLOUR}") == 26


def test_week_view_has_a_bar_per_day_and_totals(store: Store) -> None:
    for offset in range(7):
        store.save_visits([site("X", at(f"2026-11-{21 + offset} 12:00"), 60 * (offset + 1))])
    week = History(store, LocalDays(BERLIN, FOUR)).range(
        dt.date(2026, 11, 21), dt.date(2026, 11, 27)
    )
    shown = plain(text.range_view(ENGLISH, week, BERLIN))
    for offset in range(7):
        assert re.search(rf"{21 + offset} Nov\s+{offset + 1} min", shown), shown
    assert week.targets[0].seconds == 60 * 28
    document = json_report.range_document(week, BERLIN)
    assert [d["site_seconds"] for d in document["days"]] == [60 * (i + 1) for i in range(7)]
    assert document["site_seconds"] == 60 * 28


def test_aliases_replace_blocklist_names_everywhere(store: Store) -> None:
    store.save_visits(
        [
            blocklist("Alex", at("2026-11-27 10:00"), 60),
            blocklist("Sam", at("2026-11-27 11:00"), 60),
            blocklist("Old flame", at("2026-11-27 12:00"), 60),
            site("Instagram", at("2026-11-27 10:00"), 60),
        ]
    )
    rename = blocklist_aliases(["Sam", "Alex"], store.target_names("blocklist"))
    days = LocalDays(BERLIN, FOUR)
    history = History(store, days, rename)
    report = history.day(dt.date(2026, 11, 27))
    month = history.range(dt.date(2026, 10, 29), dt.date(2026, 11, 27))
    outputs = [
        plain(text.day_view(ENGLISH, report, BERLIN, FOUR)),
        plain(text.range_view(ENGLISH, month, BERLIN)),
        json_report.dumps(json_report.day_document(report, BERLIN)),
        json_report.dumps(json_report.range_document(month, BERLIN)),
        html.render(ENGLISH, report, month, dt.datetime(2026, 11, 27, 21, 0, tzinfo=BERLIN)),
    ]
    for output in outputs:
        for name in ("Alex", "Sam", "Old flame"):
            assert name not in output
        assert "Instagram" in output or "<svg" in output
    assert {t.name for t in report.summary.targets if t.kind == "blocklist"} == {
        "Person A",
        "Person B",
        "Person C",
    }
    assert report.summary.target("blocklist", "Person A") is not None  # Sam, first in the config
    assert alias_label(25) == "Person Z" and alias_label(26) == "Person AA"


def test_html_report_figures_and_privacy(store: Store) -> None:
    store.save_visits(
        [
            site("Instagram", at("2026-11-27 09:00"), 29 * 60),
            site("<script>", at("2026-11-26 09:00"), 60),
        ]
    )
    history = History(store, LocalDays(BERLIN, FOUR))
    report = history.day(dt.date(2026, 11, 27))
    month = history.range(dt.date(2026, 10, 29), dt.date(2026, 11, 27))
    page = html.render(ENGLISH, report, month, dt.datetime(2026, 11, 27, 21, 0, tzinfo=BERLIN))
    assert '<div class="figure "><b>29 min</b>on social sites today</div>' in page
    assert "29 October 2026 to 27 November 2026." in page
    assert page.count("<svg") == 4
    assert "<script" not in page.replace("&lt;script&gt;", "")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    # Nothing that a browser could fetch: no URLs in attributes or CSS.
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:|//)""", page, re.I)
    assert not re.search(r"url\(\s*['\"]?(?:https?:|//)", page, re.I)


def test_the_evening_sentence(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "nudger.db")
    store.set_meta(FIRST_RUN_KEY, str(at("2026-11-24 10:00")))
    store.save_visits(
        [
            site("Instagram", at("2026-11-27 18:00"), 32 * 60),
            site("Instagram", at("2026-11-26 18:00"), 44 * 60),
            blocklist("Alex", at("2026-11-23 18:00"), 60),
        ]
    )
    report = History(store, LocalDays(BERLIN, FOUR)).day(dt.date(2026, 11, 27))
    title, body = evening_sentence(ENGLISH, report)
    assert (
        body
        == "32 min on social sites today, 12 min less than yesterday. No visits to the blocklist today: day 4. Clear days in the last 5: 4."
    )
    assert "Alex" not in title + body


def test_a_past_day_is_told_in_the_past_tense(store: Store) -> None:
    store.save_visits([blocklist("Alex", at("2026-11-20 12:00"), 30)])
    history = History(store, LocalDays(BERLIN, FOUR))
    today = dt.date(2026, 11, 27)
    slip = plain(text.day_view(ENGLISH, history.day(dt.date(2026, 11, 20)), BERLIN, FOUR, today))
    assert "Blocklist pages came up once that day." in slip
    assert "today" not in slip.lower() and "Tomorrow" not in slip
    clear = plain(text.day_view(ENGLISH, history.day(dt.date(2026, 11, 19)), BERLIN, FOUR, today))
    assert "No visits to the blocklist that day: day 19 in a row." in clear
    assert "best" not in clear.lower()


def test_a_day_before_tracking_began_says_so(store: Store) -> None:
    history = History(store, LocalDays(BERLIN, FOUR))
    shown = plain(
        text.day_view(
            ENGLISH, history.day(dt.date(2026, 10, 1)), BERLIN, FOUR, dt.date(2026, 11, 27)
        )
    )
    assert "nudger was not watching yet that day; it began on 1 November 2026." in shown
    assert "Tomorrow" not in shown and "today" not in shown.lower()
    ahead = plain(
        text.day_view(
            ENGLISH, history.day(dt.date(2026, 12, 3)), BERLIN, FOUR, dt.date(2026, 11, 27)
        )
    )
    assert "This day has not come yet." in ahead


def test_the_week_marks_days_that_were_not_tracked(store: Store) -> None:
    store.save_visits([site("X", at("2026-11-02 12:00"), 120)])
    week = History(store, LocalDays(BERLIN, FOUR)).range(
        dt.date(2026, 10, 29), dt.date(2026, 11, 4)
    )
    shown = plain(text.range_view(ENGLISH, week, BERLIN, dt.date(2026, 11, 3)))
    rows = {
        line.split()[1] + " " + line.split()[2]: line
        for line in shown.splitlines()
        if " Oct" in line or " Nov " in line
    }
    for day in ("29 Oct", "30 Oct", "31 Oct"):
        assert "not tracked yet" in rows[day]
    assert "still to come" in rows["4 Nov"]
    assert "2 min" in rows["2 Nov"] and "not tracked" not in rows["1 Nov"]


def test_the_report_picks_its_units_from_the_data_and_names_the_month(store: Store) -> None:
    store.save_visits([site("Instagram", at("2026-11-27 09:00"), 38)])
    history = History(store, LocalDays(BERLIN, FOUR))
    month = history.range(dt.date(2026, 10, 29), dt.date(2026, 11, 27))
    daily = charts.daily_totals(ENGLISH, month)
    assert ">seconds<" in daily and ">minutes<" not in daily
    assert ">38<" in daily or ">38.0<" in daily
    assert "27 Nov" in daily and "31 Oct" in daily
    assert charts.unit_for(ENGLISH, 38).name == "seconds"
    assert charts.unit_for(ENGLISH, 25 * 60).name == "minutes"
    assert charts.unit_for(ENGLISH, 7 * 3600).name == "hours"
    for svg in (
        daily,
        charts.targets(ENGLISH, month),
        charts.hours_strip(ENGLISH, month),
        charts.streak_calendar(ENGLISH, month),
    ):
        assert "<script" not in svg and "http" not in svg.split("<defs>")[1]


def test_a_streak_of_zero_is_not_drawn_in_green(store: Store) -> None:
    store.save_visits([blocklist("Alex", at("2026-11-27 12:00"), 30)])
    history = History(store, LocalDays(BERLIN, FOUR))
    report = history.day(dt.date(2026, 11, 27))
    month = history.range(dt.date(2026, 10, 29), dt.date(2026, 11, 27))
    page = html.render(ENGLISH, report, month, dt.datetime(2026, 11, 27, 21, 0, tzinfo=BERLIN))
    assert re.search(r'<div class="figure "><b>0</b>days in a row', page)
    assert re.search(r'<div class="figure streak"><b>26</b>clear days in the last 27', page)


def test_a_visit_across_the_day_start_counts_on_the_day_it_began(store: Store) -> None:
    """03:50 to 04:10 on the ex's page: ten minutes on each day, one visit, on the first day;
    the next day's clear run is not broken by the tail."""
    days = LocalDays(BERLIN, FOUR)
    tracker = Tracker(pulse_seconds=2.5, idle_seconds=120, days=days)
    alex = Hit("blocklist", "Alex", "title")
    began = at("2026-11-27 03:50")  # the night of the 26th
    visits = []
    for second in range(0, 20 * 60 + 1):
        visits += tracker.observe(began + second, (alex,)).ended
    store.save_visits(visits + tracker.close_all())
    history = History(store, days)
    first, second = history.day(dt.date(2026, 11, 26)), history.day(dt.date(2026, 11, 27))
    assert first.summary.blocklist_visits == 1 and second.summary.blocklist_visits == 0
    assert first.summary.blocklist_seconds == pytest.approx(600)
    assert second.summary.blocklist_seconds == pytest.approx(600)
    assert second.streak.current == 1, "the tail of yesterday's visit is not a slip today"


def hard_days(store: Store, dates: list[str], visits: int = 3) -> None:
    store.save_visits(
        [
            blocklist("Alex", at(f"{date} {10 + hour:02d}:00"), 20)
            for date in dates
            for hour in range(visits)
        ]
    )


def test_after_a_hard_day_the_evening_is_kind_and_points_to_help(store: Store) -> None:
    store.set_meta(FIRST_RUN_KEY, str(at("2026-11-01 10:00")))
    hard_days(store, ["2026-11-27"])
    history = History(store, LocalDays(BERLIN, FOUR))
    report = history.day(dt.date(2026, 11, 27))
    _title, body = evening_sentence(ENGLISH, report)
    assert "fresh start" not in body.lower() and "best" not in body.lower()
    assert "resting tonight counts too" in body
    assert "Alex" not in body
    shown = plain(text.day_view(ENGLISH, report, BERLIN, FOUR))
    assert shown.rstrip().endswith("`nudger help-now` lists people who listen.")
    month = history.range(dt.date(2026, 10, 29), dt.date(2026, 11, 27))
    page = html.render(ENGLISH, report, month, dt.datetime(2026, 11, 27, 21, 0, tzinfo=BERLIN))
    assert "nudger help-now" in page


def test_when_hard_days_repeat_the_evening_suggests_talking_to_someone(store: Store) -> None:
    store.set_meta(FIRST_RUN_KEY, str(at("2026-11-01 10:00")))
    hard_days(store, ["2026-11-22", "2026-11-25"])
    history = History(store, LocalDays(BERLIN, FOUR))
    two = evening_sentence(ENGLISH, history.day(dt.date(2026, 11, 25)))[1]
    assert "someone you trust" not in two
    hard_days(store, ["2026-11-27"])
    three = evening_sentence(ENGLISH, history.day(dt.date(2026, 11, 27)))[1]
    assert "someone you trust, or a counsellor" in three and "nudger help-now" in three
    assert len(three) <= 228  # fits a notification on every backend


def test_a_clear_day_has_no_pointer_to_help(store: Store) -> None:
    store.set_meta(FIRST_RUN_KEY, str(at("2026-11-01 10:00")))
    report = History(store, LocalDays(BERLIN, FOUR)).day(dt.date(2026, 11, 27))
    assert "help-now" not in plain(text.day_view(ENGLISH, report, BERLIN, FOUR))


# -- what a second newcomer met (issue 24) -------------------------------------------------------


def test_the_report_marks_the_command_as_code_not_with_backticks(store: Store) -> None:
    hard_days(store, ["2026-11-27"])
    history = History(store, LocalDays(BERLIN, FOUR))
    report = history.day(dt.date(2026, 11, 27))
    month = history.range(dt.date(2026, 10, 29), dt.date(2026, 11, 27))
    page = html.render(ENGLISH, report, month, dt.datetime(2026, 11, 27, 21, 0, tzinfo=BERLIN))
    assert "<code>nudger help-now</code>" in page
    assert "`" not in page.split("<body>", 1)[1]


def test_a_day_before_nudger_watched_never_reads_as_clear(store: Store) -> None:
    # nudger began on 1 November; 31 October is a day it knows nothing about.
    report = History(store, LocalDays(BERLIN, FOUR)).day(dt.date(2026, 10, 31))
    shown = plain(text.day_view(ENGLISH, report, BERLIN, FOUR, today=dt.date(2026, 11, 27)))
    assert "not watching yet" in shown
    assert "Nothing on social sites" not in shown
    assert "Social sites" not in shown and "0 s" not in shown, "no zero table"


def test_no_clear_days_figure_after_a_single_watched_day(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "first.db")
    store.set_meta(FIRST_RUN_KEY, str(at("2026-11-27 09:00")))
    history = History(store, LocalDays(BERLIN, FOUR))
    report = history.day(dt.date(2026, 11, 27))
    month = history.range(dt.date(2026, 10, 29), dt.date(2026, 11, 27))
    page = html.render(ENGLISH, report, month, dt.datetime(2026, 11, 27, 21, 0, tzinfo=BERLIN))
    assert "clear days in the last" not in page


def test_the_longest_visit_reads_the_same_in_text_and_json(store: Store) -> None:
    store.save_visits([site("Instagram", at("2026-11-27 09:00"), 47.6)])
    report = History(store, LocalDays(BERLIN, FOUR)).day(dt.date(2026, 11, 27))
    shown = plain(text.day_view(ENGLISH, report, BERLIN, FOUR))
    document = json_report.day_document(report, BERLIN)
    [instagram] = [t for t in document["targets"] if t["name"] == "Instagram"]
    assert (instagram["seconds"], instagram["longest_seconds"]) == (47, 47)
    assert "47 s" in shown and "48 s" not in shown


def test_the_hours_chart_counts_a_blocklist_page_on_a_site_once(store: Store) -> None:
    # 3 min 37 s on the ex's Instagram profile: a site visit and a blocklist visit at once.
    store.save_visits(
        [
            site("Instagram", at("2026-11-27 13:05"), 217),
            blocklist("Alex", at("2026-11-27 13:05"), 217),
        ]
    )
    history = History(store, LocalDays(BERLIN, FOUR))
    month = history.range(dt.date(2026, 11, 27), dt.date(2026, 11, 27))
    assert month.hours[13].seconds == 217
    assert month.days[0].total_seconds == 217
    svg = charts.hours_strip(ENGLISH, month)
    assert "3.62" in svg and "7.23" not in svg  # minutes: the day's 217 s, not twice that


def test_piped_output_is_not_cut_at_eighty_columns(store: Store) -> None:
    apps = ["Discord", "Facebook", "Instagram", "WhatsApp"]
    store.save_visits(
        [
            Visit("site", app, "app", "running", at("2026-11-27 09:00"), at("2026-11-27 09:30"))
            for app in apps
        ]
    )
    report = History(store, LocalDays(BERLIN, FOUR)).day(dt.date(2026, 11, 27))
    # No console handed in: as `nudger summary | less` renders it (stdout is not a terminal).
    out = text.render(text.day_view(ENGLISH, report, BERLIN, FOUR))
    [running] = [line for line in out.splitlines() if line.startswith("Running")]
    assert running.endswith("WhatsApp 30 min"), out


def test_the_report_s_figures_say_one_visit_and_one_day_in_the_singular(store: Store) -> None:
    store.set_meta(FIRST_RUN_KEY, str(at("2026-11-25 08:00")))
    store.save_visits([blocklist("Alex", at("2026-11-27 09:00"), 60)])
    history = History(store, LocalDays(BERLIN, FOUR))
    report = history.day(dt.date(2026, 11, 27))
    month = history.range(dt.date(2026, 10, 29), dt.date(2026, 11, 27))
    page = html.render(ENGLISH, report, month, dt.datetime(2026, 11, 27, 21, 0, tzinfo=BERLIN))
    assert "<b>1</b>blocklist visit today</div>" in page
