"""The tracker: unit cases for each rule, and hypothesis properties over random sample streams."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nudger.core.days import LocalDays
from nudger.core.tracking import Tracker
from nudger.core.types import Hit, Visit

BERLIN = ZoneInfo("Europe/Berlin")
DAYS = LocalDays(BERLIN, dt.time(4, 0))
POLL = 1.0
PULSE = POLL * 1.5 + 1
IDLE = 120.0

INSTA = Hit("site", "Instagram", "title")
ALEX = Hit("blocklist", "Alex", "title")
REDDIT = Hit("site", "Reddit", "title")


def at(text: str) -> float:
    """Berlin wall time to Unix seconds."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=BERLIN).timestamp()


def tracker() -> Tracker:
    return Tracker(pulse_seconds=PULSE, idle_seconds=IDLE, days=DAYS)


def feed(track: Tracker, samples: list[tuple[float, tuple[Hit, ...], float]]) -> list[Visit]:
    visits: list[Visit] = []
    for when, hits, idle in samples:
        visits += track.observe(when, hits, idle).ended
    return visits + track.close_all()


def test_a_continuous_visit_is_one_row_from_first_to_last_sight() -> None:
    t0 = at("2026-11-27 20:00:00")
    visits = feed(tracker(), [(t0 + i, (INSTA,), 0.0) for i in range(10)])
    assert [(v.target, v.started_at, v.ended_at) for v in visits] == [("Instagram", t0, t0 + 9)]


def test_a_glance_is_a_visit_even_when_it_is_one_sample() -> None:
    t0 = at("2026-11-27 20:00:00")
    visits = feed(
        tracker(), [(t0, (), 0.0), (t0 + 1, (ALEX,), 0.0), (t0 + 2, (), 0.0), (t0 + 9, (), 0.0)]
    )
    assert len(visits) == 1
    assert visits[0].target == "Alex"
    # Seen by one sample between two that did not: from one midpoint to the next.
    assert (visits[0].started_at, visits[0].ended_at) == (t0 + 0.5, t0 + 1.5)


def test_an_observed_switch_away_ends_the_visit_between_the_two_samples() -> None:
    t0 = at("2026-11-27 20:00:00")
    samples = [
        (t0, (INSTA,), 0.0),
        (t0 + 1, (), 0.0),  # seen: something else in front
        (t0 + 2, (INSTA,), 0.0),
        (t0 + 3, (INSTA,), 0.0),
    ]
    visits = feed(tracker(), samples)
    # The midpoints: the switch away happened between t0 and t0 + 1, the switch back between
    # t0 + 1 and t0 + 2, and nothing says where.
    assert [(v.started_at, v.ended_at) for v in visits] == [(t0, t0 + 0.5), (t0 + 1.5, t0 + 3)]


def test_a_switch_to_another_target_hands_over_at_one_instant() -> None:
    t0 = at("2026-11-27 20:00:00")
    visits = feed(
        tracker(), [(t0, (INSTA,), 0.0), (t0 + 1, (REDDIT,), 0.0), (t0 + 2, (REDDIT,), 0.0)]
    )
    assert sorted((v.target, v.started_at, v.ended_at) for v in visits) == [
        ("Instagram", t0, t0 + 0.5),
        ("Reddit", t0 + 0.5, t0 + 2),
    ]


def test_an_event_ends_the_visit_at_the_moment_it_reports() -> None:
    track = tracker()
    t0 = at("2026-11-27 20:00:00")
    track.observe(t0, (INSTA,))
    away = track.observe(t0 + 0.8, (), exact=True)
    assert [(v.started_at, v.ended_at) for v in away.ended] == [(t0, t0 + 0.8)]
    back = track.observe(t0 + 0.9, (INSTA,), exact=True)
    assert [(v.started_at, v.ended_at) for v in back.started] == [(t0 + 0.9, t0 + 0.9)]


def test_an_unobserved_gap_shorter_than_the_pulse_is_bridged() -> None:
    t0 = at("2026-11-27 20:00:00")
    # A sample was missed (a busy machine): nothing said the page left, so it is one visit.
    visits = feed(tracker(), [(t0, (INSTA,), 0.0), (t0 + PULSE - 0.1, (INSTA,), 0.0)])
    assert [(v.started_at, v.ended_at) for v in visits] == [(t0, t0 + PULSE - 0.1)]


def test_switching_every_two_seconds_counts_the_true_share() -> None:
    """The case from the field: 16 s truly on a page out of 32, sampled every second."""
    t0 = at("2026-11-27 20:00:00")
    samples = []
    offset = 0.37  # the samples do not line up with the switches
    for i in range(32):
        moment = t0 + i + offset
        on_page = int((i + offset) // 2) % 2 == 0
        samples.append((moment, (INSTA,) if on_page else (), 0.0))
    visits = feed(tracker(), samples)
    total = sum(v.seconds for v in visits)
    assert 15.0 <= total <= 17.0, total
    assert len(visits) == 8


def test_a_gap_longer_than_the_pulse_ends_the_visit_where_it_was_last_seen() -> None:
    t0 = at("2026-11-27 20:00:00")
    samples = [(t0, (INSTA,), 0.0), (t0 + 1, (INSTA,), 0.0), (t0 + 1 + PULSE + 0.5, (INSTA,), 0.0)]
    visits = feed(tracker(), samples)
    assert [(v.started_at, v.ended_at) for v in visits] == [
        (t0, t0 + 1),
        (t0 + 1 + PULSE + 0.5, t0 + 1 + PULSE + 0.5),
    ]


def test_suspend_counts_nothing_for_the_time_asleep() -> None:
    t0 = at("2026-11-27 20:00:00")
    asleep = 3 * 3600
    samples = [(t0, (INSTA,), 0.0), (t0 + 1, (INSTA,), 0.0), (t0 + asleep, (INSTA,), 0.0)]
    visits = feed(tracker(), samples)
    assert sum(v.seconds for v in visits) == 1.0


def test_idle_ends_the_visit_when_input_stopped() -> None:
    t0 = at("2026-11-27 20:00:00")
    samples = [(t0 + i, (INSTA,), float(max(0, i - 10))) for i in range(0, 200)]
    visits = feed(tracker(), samples)
    # Input stopped at t0 + 10; idle crosses 120 s at t0 + 130, which ends the visit at t0 + 10.
    assert (visits[0].started_at, visits[0].ended_at) == (t0, t0 + 10)
    assert len(visits) == 1


def test_a_visit_that_began_after_input_stopped_is_dropped() -> None:
    t0 = at("2026-11-27 20:00:00")
    samples = [(t0, (), 50.0), (t0 + 1, (INSTA,), 51.0), (t0 + 80, (INSTA,), 130.0)]
    assert feed(tracker(), samples) == []


def test_a_visit_across_the_day_start_is_split_there() -> None:
    t0 = at("2026-11-28 03:59:58")
    visits = feed(tracker(), [(t0 + i, (INSTA,), 0.0) for i in range(5)])
    boundary = at("2026-11-28 04:00:00")
    assert [(v.started_at, v.ended_at) for v in visits] == [(t0, boundary), (boundary, t0 + 4)]
    assert DAYS.day_of(visits[0].started_at) == dt.date(2026, 11, 27)
    assert DAYS.day_of(visits[1].started_at) == dt.date(2026, 11, 28)


def test_the_split_second_half_is_not_reported_as_a_new_visit() -> None:
    track = tracker()
    t0 = at("2026-11-28 03:59:59")
    starts = [track.observe(t0 + i, (INSTA,)).started for i in range(3)]
    assert [len(s) for s in starts] == [1, 0, 0]


def test_the_clock_going_back_ends_visits_without_inventing_time() -> None:
    t0 = at("2026-11-27 20:00:00")
    samples = [
        (t0, (INSTA,), 0.0),
        (t0 + 1, (INSTA,), 0.0),
        (t0 - 3600, (INSTA,), 0.0),
        (t0 - 3599, (INSTA,), 0.0),
    ]
    visits = feed(tracker(), samples)
    assert sorted(v.seconds for v in visits) == [1.0, 1.0]


def test_site_and_blocklist_on_one_window_are_two_visits() -> None:
    t0 = at("2026-11-27 20:00:00")
    visits = feed(tracker(), [(t0 + i, (ALEX, INSTA), 0.0) for i in range(4)])
    assert sorted((v.kind, v.target, v.seconds) for v in visits) == [
        ("blocklist", "Alex", 3.0),
        ("site", "Instagram", 3.0),
    ]


def test_open_visits_show_the_visit_in_progress() -> None:
    track = tracker()
    t0 = at("2026-11-27 20:00:00")
    for i in range(3):
        track.observe(t0 + i, (INSTA,))
    [open_visit] = track.open_visits()
    assert (open_visit.started_at, open_visit.ended_at) == (t0, t0 + 2)


# -- properties ------------------------------------------------------------------------------

POOL = (INSTA, ALEX, REDDIT)


@dataclass(frozen=True)
class Sample:
    at: float
    hits: tuple[Hit, ...]
    idle: float


gaps = st.one_of(
    st.floats(0.2, 2.5),  # normal polling, with jitter
    st.floats(2.5, 60),  # a stall or a short stop
    st.floats(600, 30 * 3600),  # suspend or a stopped daemon
)
hit_sets = st.lists(st.sampled_from(POOL), max_size=3, unique=True).map(tuple)
# Start near the autumn daylight-saving change and the 04:00 day start, where bugs hide.
starts = st.floats(at("2026-10-24 03:00:00"), at("2026-10-25 05:00:00"))


@st.composite
def sample_streams(draw: st.DrawFn) -> list[Sample]:
    """Samples whose idle times agree with one another, as a real input counter's would."""
    now = draw(starts)
    last_input = now
    samples = []
    for _ in range(draw(st.integers(1, 80))):
        gap = draw(gaps)
        now += gap
        if draw(st.booleans()):  # some input since the last sample
            last_input = now - draw(st.floats(0, min(gap, 5)))
        samples.append(Sample(now, draw(hit_sets), now - last_input))
    return samples


def run(samples: list[Sample]) -> list[Visit]:
    return feed(tracker(), [(s.at, s.hits, s.idle) for s in samples])


@settings(max_examples=150, deadline=None)
@given(sample_streams())
def test_visits_of_one_target_never_overlap(samples: list[Sample]) -> None:
    by_target: dict[tuple[str, str], list[Visit]] = defaultdict(list)
    for visit in run(samples):
        assert visit.ended_at >= visit.started_at
        by_target[(visit.kind, visit.target)].append(visit)
    for visits in by_target.values():
        visits.sort(key=lambda v: v.started_at)
        for before, after in itertools.pairwise(visits):
            assert after.started_at >= before.ended_at


@settings(max_examples=150, deadline=None)
@given(sample_streams())
def test_no_day_holds_more_than_its_length(samples: list[Sample]) -> None:
    per_day: dict[tuple[str, dt.date], float] = defaultdict(float)
    for visit in run(samples):
        per_day[(visit.target, DAYS.day_of(visit.started_at))] += visit.seconds
    for (_, day), seconds in per_day.items():
        start, end = DAYS.bounds(day)
        assert seconds <= end - start  # 23, 24 or 25 hours


@settings(max_examples=150, deadline=None)
@given(sample_streams())
def test_idle_time_is_never_counted(samples: list[Sample]) -> None:
    visits = run(samples)
    for sample in samples:
        if sample.idle < IDLE:
            continue
        # Without input for `idle` seconds: up to IDLE of that still counts as reading, the rest
        # is away time, and no visit may reach into it. (Visits still open when idle is noticed
        # are cut back further, to the last input: see the unit test above.)
        away_from, away_to = sample.at - sample.idle + IDLE, sample.at
        for visit in visits:
            assert visit.ended_at <= away_from or visit.started_at >= away_to


@settings(max_examples=150, deadline=None)
@given(sample_streams())
def test_a_gap_longer_than_the_pulse_ends_a_visit(samples: list[Sample]) -> None:
    visits = run(samples)
    for before, after in itertools.pairwise(samples):
        if after.at - before.at <= PULSE:
            continue
        for visit in visits:
            assert not (visit.started_at < after.at and visit.ended_at > before.at), (
                "a visit spans a gap longer than the pulse"
            )


@settings(max_examples=150, deadline=None)
@given(sample_streams())
def test_every_visit_lies_within_one_day(samples: list[Sample]) -> None:
    for visit in run(samples):
        day_end = DAYS.end_of_day_containing(visit.started_at)
        assert visit.ended_at <= day_end


@settings(max_examples=150, deadline=None)
@given(sample_streams())
def test_counted_time_never_exceeds_observed_time(samples: list[Sample]) -> None:
    visits = run(samples)
    observed = samples[-1].at - samples[0].at
    for target in {v.target for v in visits}:
        assert sum(v.seconds for v in visits if v.target == target) <= observed + 1e-6


# -- properties of the observed-change rule ---------------------------------------------------

SITES = (INSTA, REDDIT)
# Mostly the rhythm of sampling and events, sometimes a stall or a suspend.
watched_gaps = st.one_of(
    st.floats(0.05, 2.5), st.floats(0.05, 2.5), st.floats(0.05, 2.5), st.floats(2.5, 60), gaps
)


@dataclass(frozen=True)
class Observation:
    at: float
    hits: tuple[Hit, ...]
    idle: float
    exact: bool  # an event (the desktop said when) rather than a sample


@st.composite
def observation_streams(
    draw: st.DrawFn, gap_sizes: st.SearchStrategy[float] = watched_gaps, away: bool = True
) -> list[Observation]:
    """Samples and events, with at most one target of each kind in front at a time (one window
    is one page: it can be a site and a blocklist page, never two sites)."""
    now = draw(starts)
    last_input = now
    stream = []
    for _ in range(draw(st.integers(1, 60))):
        gap = draw(gap_sizes)
        now += gap
        if not away or draw(st.booleans()):
            last_input = now - draw(st.floats(0, min(gap, 5)))
        site = draw(st.sampled_from((None, *SITES)))
        hits = tuple(h for h in (draw(st.sampled_from((None, ALEX))), site) if h is not None)
        stream.append(Observation(now, hits, now - last_input, draw(st.booleans())))
    return stream


def run_observations(stream: list[Observation]) -> list[Visit]:
    track = tracker()
    visits: list[Visit] = []
    for item in stream:
        visits += track.observe(item.at, item.hits, item.idle, exact=item.exact).ended
    return visits + track.close_all()


@settings(max_examples=200, deadline=None)
@given(observation_streams())
def test_a_target_never_gains_time_while_another_window_is_seen_in_front(
    stream: list[Observation],
) -> None:
    visits = run_observations(stream)
    for item in stream:
        shown = {(h.kind, h.target) for h in item.hits}
        for visit in visits:
            if (visit.kind, visit.target) in shown:
                continue
            assert not visit.started_at < item.at < visit.ended_at, (
                f"{visit.target} counted at {item.at - stream[0].at:.2f} s while not in front"
            )


@settings(max_examples=300, deadline=None)
@given(st.one_of(observation_streams(), observation_streams(st.floats(0.05, 2.5), away=False)))
def test_the_time_of_all_targets_of_a_kind_never_exceeds_the_observed_time(
    stream: list[Observation],
) -> None:
    visits = run_observations(stream)
    observed = stream[-1].at - stream[0].at
    for kind in ("site", "blocklist"):
        assert sum(v.seconds for v in visits if v.kind == kind) <= observed + 1e-6


@settings(max_examples=200, deadline=None)
@given(observation_streams())
def test_an_unobserved_gap_shorter_than_the_pulse_is_still_bridged(
    stream: list[Observation],
) -> None:
    visits = run_observations(stream)
    for index, (before, after) in enumerate(itertools.pairwise(stream)):
        if after.at - before.at > PULSE or before.idle >= IDLE or after.idle >= IDLE:
            continue
        # Idle noticed later cuts visits back to the last input, which may lie before `after`.
        if any(later.idle >= IDLE and later.at - later.idle < after.at for later in stream[index:]):
            continue
        for hit in set(before.hits) & set(after.hits):
            covered = sum(
                max(0.0, min(v.ended_at, after.at) - max(v.started_at, before.at))
                for v in visits
                if (v.kind, v.target) == (hit.kind, hit.target)
            )
            assert covered == pytest.approx(after.at - before.at, abs=1e-6), hit.target


# -- gaps the desktop vouches for (issue 24) -----------------------------------------------------


@st.composite
def vouched_stalls(draw: st.DrawFn) -> tuple[float, float, float, float]:
    """(seen for, stalled for, seen after, idle before the stall), gaps past the pulse."""
    before = draw(st.floats(0, 30))
    stall = draw(st.floats(PULSE + 0.01, 100))
    after = draw(st.floats(0, 30))
    idle_before = draw(st.floats(0, IDLE - stall - 0.01)) if stall < IDLE else 0.0
    return before, stall, after, idle_before


def stalled(
    before: float, stall: float, after: float, idle_before: float, followed_since: float | None
) -> list[Visit]:
    """Alex in front, sampled every second for `before`, then a stall, then every second for
    `after`; the stream is followed throughout except as `followed_since` says at the resume."""
    t0 = at("2026-11-27 20:00:00")
    track = tracker()
    visits: list[Visit] = []
    moments = [t0 + min(i, before) for i in range(int(before) + 2)]
    for moment in moments:
        visits += track.observe(moment, (ALEX,), idle_before, followed_since=t0 - 5).ended
    resumed = t0 + before + stall
    visits += track.observe(resumed, (ALEX,), 0.0, followed_since=followed_since).ended
    for i in range(1, int(after) + 2):
        moment = resumed + min(i, after)
        visits += track.observe(moment, (ALEX,), 0.0, followed_since=t0 - 5).ended
    return visits + track.close_all()


@given(vouched_stalls())
def test_a_stall_the_stream_vouches_for_is_time_on_the_window(
    stall: tuple[float, float, float, float],
) -> None:
    before, gap, after, idle_before = stall
    t0 = at("2026-11-27 20:00:00")
    visits = stalled(before, gap, after, idle_before, followed_since=t0 - 5)
    assert len(visits) == 1
    assert visits[0].seconds == pytest.approx(before + gap + after, abs=1e-6)


@given(vouched_stalls(), st.sampled_from(["none", "late"]))
def test_a_stall_nobody_vouches_for_counts_nothing(
    stall: tuple[float, float, float, float], why: str
) -> None:
    before, gap, after, idle_before = stall
    t0 = at("2026-11-27 20:00:00")
    # No stream, or one (re)joined only after the stall began: the gap is unknown.
    since = None if why == "none" else t0 + before + 0.5
    visits = stalled(before, gap, after, idle_before, followed_since=since)
    assert sum(v.seconds for v in visits) == pytest.approx(before + after, abs=1e-6)


def test_a_stall_long_enough_to_hide_an_absence_is_not_bridged() -> None:
    t0 = at("2026-11-27 20:00:00")
    track = tracker()
    track.observe(t0, (ALEX,), 100.0, followed_since=t0 - 5)
    # 100 s without input before, then 30 s unseen: the person may have been away from t0 + 20.
    track.observe(t0 + 30, (ALEX,), 0.0, followed_since=t0 - 5)
    visits = track.close_all()
    assert [v.seconds for v in visits] == [0.0]


def test_a_sample_showing_a_change_the_stream_missed_is_not_bridged() -> None:
    t0 = at("2026-11-27 20:00:00")
    track = tracker()
    track.observe(t0, (ALEX,), 0.0, followed_since=t0 - 5)
    ended = track.observe(t0 + 10, (INSTA,), 0.0, followed_since=t0 - 5).ended
    # Nothing says when in those 10 s Alex left: it ends where it was last seen.
    assert [(v.target, v.ended_at) for v in ended] == [("Alex", t0)]


def test_a_change_replayed_from_the_stream_ends_the_visit_at_that_change() -> None:
    t0 = at("2026-11-27 20:00:00")
    track = tracker()
    track.observe(t0, (ALEX,), 0.0, followed_since=t0 - 5)
    ended = track.observe(t0 + 6, (), 0.0, exact=True, followed_since=t0 - 5).ended
    assert [(v.target, v.ended_at) for v in ended] == [("Alex", t0 + 6)]
