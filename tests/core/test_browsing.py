"""What the browser companion says, joined to what the desktop says (core/browsing.py), and what
the joined reading then matches, counts and records."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from nudger.core.browsing import TabReport, belongs_to, with_tabs
from nudger.core.days import LocalDays
from nudger.core.matching import Matcher
from nudger.core.policy import PolicyState
from nudger.core.summary import NudgeCounts
from nudger.core.tracking import Tracker
from nudger.core.translate import ENGLISH
from nudger.core.types import Glance, NudgeRow, Reading, Rule, Window
from nudger.core.words import pause_sentence

T0 = 1_800_000_000.0
CHROMIUM = Window(app="chromium", title="Instagram - Chromium", pid=4242)
TERMINAL = Window(app="xterm", title="~", pid=77)
ALEX = Rule("blocklist", "Alex", ("instagram.com/alexdoe",))
INSTAGRAM = Rule("site", "Instagram", ("Instagram",), apps=())
MATCHER = Matcher([ALEX, INSTAGRAM], browsers=["chromium", "firefox-esr"])


def report(
    at: float, url: str, *, focused: bool = True, idle_since: float | None = None
) -> TabReport:
    return TabReport(at, 4242, "chromium", focused, url, "Instagram", idle_since=idle_since)


def test_a_browser_window_in_front_takes_its_active_address() -> None:
    reading = Reading(CHROMIUM, 0.0)
    before = {4242: report(T0 - 5, "https://www.instagram.com/alexdoe/")}
    joined = with_tabs(reading, before, [], front=CHROMIUM, now=T0)
    assert joined is not None and joined.window is not None
    assert joined.window.url == "https://www.instagram.com/alexdoe/"
    # The title alone says only "Instagram"; the address says whose page it is.
    assert [h.target for h in MATCHER.match(joined.window)] == ["Alex", "Instagram"]
    assert MATCHER.match(joined.window)[0].signal == "url"
    assert [h.target for h in MATCHER.match(CHROMIUM)] == ["Instagram"]


def test_another_programs_window_takes_no_address() -> None:
    before = {4242: report(T0 - 5, "https://www.instagram.com/alexdoe/")}
    joined = with_tabs(Reading(TERMINAL, 0.0), before, [], front=TERMINAL, now=T0)
    assert joined is not None and joined.window == TERMINAL


def test_an_address_change_while_the_browser_is_in_front_is_a_glance_at_its_moment() -> None:
    before = {4242: report(T0 - 5, "https://www.instagram.com/")}
    reports = [report(T0 + 0.4, "https://www.instagram.com/alexdoe/")]
    joined = with_tabs(Reading(CHROMIUM, 0.0), before, reports, front=CHROMIUM, now=T0 + 1)
    assert joined is not None
    assert [(g.at, g.window.url if g.window else None) for g in joined.glances] == [
        (T0 + 0.4, "https://www.instagram.com/alexdoe/")
    ]


def test_a_report_from_a_browser_behind_another_window_is_no_glance() -> None:
    reports = [report(T0 + 0.4, "https://www.instagram.com/alexdoe/", focused=False)]
    joined = with_tabs(Reading(TERMINAL, 0.0), {}, reports, front=TERMINAL, now=T0 + 1)
    assert joined is not None and joined.glances == ()


def test_sensed_glances_and_reports_are_replayed_in_time_order() -> None:
    glances = (Glance(T0 + 0.2, CHROMIUM), Glance(T0 + 0.8, TERMINAL))
    reports = [report(T0 + 0.5, "https://www.instagram.com/alexdoe/")]
    before = {4242: report(T0 - 9, "https://example.org/")}
    joined = with_tabs(Reading(TERMINAL, 0.0, glances), before, reports, front=TERMINAL, now=T0 + 1)
    assert joined is not None
    seen = [(g.at, g.window.app if g.window else None, g.window.url if g.window else None)
            for g in joined.glances]  # fmt: skip
    assert seen == [
        (T0 + 0.2, "chromium", "https://example.org/"),
        (T0 + 0.5, "chromium", "https://www.instagram.com/alexdoe/"),
        (T0 + 0.8, "xterm", None),
    ]


def test_without_a_window_sensor_the_focused_browser_is_in_front() -> None:
    reports = [report(T0 + 0.3, "https://www.instagram.com/alexdoe/")]
    joined = with_tabs(None, {}, reports, front=None, now=T0 + 1)
    assert joined is not None and joined.window is not None
    assert joined.window.url == "https://www.instagram.com/alexdoe/"
    assert joined.idle_seconds == 0.0
    assert MATCHER.match(joined.window)[0].target == "Alex"

    # Once the browser says it lost the focus, nothing is in front.
    later = [report(T0 + 2.0, "https://www.instagram.com/alexdoe/", focused=False)]
    gone = with_tabs(None, {4242: reports[0]}, later, front=joined.window, now=T0 + 3)
    assert gone is not None and gone.window is None


def test_without_a_window_sensor_idleness_comes_from_the_browser() -> None:
    idle = [report(T0, "https://www.instagram.com/", idle_since=T0)]
    joined = with_tabs(None, {}, idle, front=None, now=T0 + 30)
    assert joined is not None
    # The browser says "idle" once input stopped 60 s before: 30 s later, it is 90 s.
    assert joined.idle_seconds == 90.0


def test_without_a_window_sensor_and_no_browser_there_is_no_reading() -> None:
    assert with_tabs(None, {}, [], front=None, now=T0) is None


def test_a_window_without_a_process_id_is_matched_by_name() -> None:
    nameless = Window(app="Chromium", title="Instagram")
    assert belongs_to(nameless, report(T0, "https://x.org/"))
    assert not belongs_to(Window(app="xterm", title="~"), report(T0, "https://x.org/"))
    assert not belongs_to(Window(app="chromium", title="", pid=1), report(T0, "https://x.org/"))


def test_the_joined_reading_counts_exactly_through_the_real_tracker() -> None:
    """An address that changes at +2.5 s splits the time exactly there."""
    days = LocalDays(ZoneInfo("UTC"), dt.time(4, 0))
    tracker = Tracker(pulse_seconds=2.5, idle_seconds=120, days=days)
    before = {4242: report(T0 - 1, "https://www.instagram.com/")}
    front: Window | None = None
    ended = []
    for second in range(0, 6):
        at = T0 + second
        reports = [report(T0 + 2.5, "https://www.instagram.com/alexdoe/")] if second == 3 else []
        joined = with_tabs(Reading(CHROMIUM, 0.0), before, reports, front=front, now=at)
        assert joined is not None
        for glance in joined.glances:
            ended += tracker.observe(glance.at, MATCHER.match(glance.window), 0.0, exact=True).ended
        ended += tracker.observe(at, MATCHER.match(joined.window), 0.0).ended
        for r in reports:
            before[r.browser_pid] = r
        front = CHROMIUM  # as the sensor gave it, without an address
    visits = [v for v in ended + tracker.close_all() if v.kind == "blocklist"]
    assert [(v.started_at - T0, v.ended_at - T0) for v in visits] == [(2.5, 5.0)]


def test_pauses_are_counted_apart_from_notifications() -> None:
    def row(reason: str, action: str | None, heeded: bool | None) -> NudgeRow:
        return NudgeRow(1, T0, "blocklist", "Alex", reason, "m", True, action, heeded)

    counts = NudgeCounts.of(
        [
            row("blocklist", None, True),
            row("pause", "away", True),
            row("pause", "go_on", False),
            row("pause", "away", True),
        ]
    )
    assert (counts.sent, counts.heeded, counts.pauses, counts.stepped_away) == (1, 1, 3, 2)
    assert pause_sentence(ENGLISH, counts) == (
        "In the browser, pages were held back for a breath 3 times. You stepped away 2 times."
    )
    once = NudgeCounts.of([row("pause", "go_on", False)])
    assert pause_sentence(ENGLISH, once) == "In the browser, a page was held back for a breath."


def test_a_pause_is_remembered_as_a_nudge_but_not_as_a_text_shown() -> None:
    days = LocalDays(ZoneInfo("UTC"), dt.time(4, 0))
    recent = [
        NudgeRow(2, T0 + 60, "blocklist", "Alex", "pause", "pause", True, "go_on", False),
        NudgeRow(1, T0, "blocklist", "Alex", "blocklist", "be-kind-1", True, None, None),
    ]
    state = PolicyState.rebuilt(recent, days)
    assert state.last_blocklist == T0 + 60 and state.last_any == T0 + 60
    assert list(state.recent_messages) == ["be-kind-1"]
