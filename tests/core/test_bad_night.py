"""A bad night, and a policy that adapts: night texts, the night's cap, the support line once,
kinds that were heeded before, and gaps that grow when nudges are ignored."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import random
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from nudger.core.adapting import FLOOR, Learning, Tally, night_of
from nudger.core.messages import KINDS as KINDS_OF_MESSAGES
from nudger.core.messages import NOTIFICATION_BODY_LIMIT, Message, MessageBook
from nudger.core.policy import NIGHT_KINDS, Moment, Nudge, Policy, PolicyState
from nudger.core.types import NudgeRow, Visit
from nudger.settings.messages import builtin_book
from nudger.settings.models import NudgeSettings, QuietHours
from tests.core.test_policy import ALEX, DAYS, TZ, Second, away, every_moment, on

BOOK = builtin_book()


def per_kind(weights: dict[str, float]) -> dict[str, float]:
    """The chance of each kind, given the weights."""
    total = sum(weights.values())
    return {kind: weight / total for kind, weight in weights.items()}


LINE = "Sam: 555-0100"
NIGHT = QuietHours(start=dt.time(23, 0), end=dt.time(5, 0)).span()


def bad_night(
    line: str = LINE, number: str = "", **overrides: object
) -> list[tuple[Moment, Nudge]]:
    """A visit to the ex's page every 10 minutes, from 22:00 to 04:00."""
    start = dt.datetime(2026, 11, 27, 22, 0, tzinfo=TZ).timestamp()
    timeline = []
    for _ in range(36):
        timeline += on(ALEX, 40) + away(10 * 60 - 40)
    policy = Policy(
        NudgeSettings(**overrides).rules(),  # type: ignore[arg-type]
        BOOK,
        support_line=line,
        any_time_number=number,
        rng=random.Random(3),
    )
    return [(m, n) for m, n in every_moment(policy, timeline, start) if n is not None]


def is_night(moment: Moment) -> bool:
    return night_of(dt.datetime.combine(moment.local_date, moment.local_time), NIGHT) is not None


def test_a_bad_night_gets_night_texts_only_within_the_cap() -> None:
    sent = bad_night()
    at_night = [(m, n) for m, n in sent if is_night(m)]
    by_id = {m.id: m for m in BOOK.messages}
    assert 1 <= len(at_night) <= 3  # the cap
    for _moment, nudge in at_night:
        message = by_id[nudge.message_id]
        # No built-in text is tagged "any": at night, only texts written for the night.
        assert message.when == "night" and message.kind in NIGHT_KINDS, message.id
    titles = [n.title for n in [n for _, n in sent]]
    assert all(a != b for a, b in itertools.pairwise(titles))
    # The evening hour before the night still has its own nudges, with texts for the day.
    assert any(not is_night(m) for m, _ in sent)


def test_the_nights_nudges_are_spread_over_the_night_one_in_each_part() -> None:
    """Cap 3 over 23:00-05:00: one nudge in each two hours, so the small hours keep theirs."""
    at_night = [m for m, _ in bad_night() if is_night(m)]
    hours = [m.local_time.hour for m in at_night]
    assert len(at_night) == 3
    assert hours[0] == 23 and 1 <= hours[1] < 3 and 3 <= hours[2] < 5, hours


def test_the_own_line_shows_once_in_the_day_and_once_in_the_night_of_the_same_date() -> None:
    sent = bad_night()
    with_line = [(m, n) for m, n in sent if LINE in n.body]
    assert [is_night(m) for m, _ in with_line] == [False, True]
    assert len({m.day for m, _ in with_line}) == 1  # the same nudger day
    assert all(n.number for _, n in with_line)


def test_a_hard_night_without_an_own_line_carries_the_countrys_number_once() -> None:
    sent = bad_night(line="", number="116 123")
    carrying = [(m, n) for m, n in sent if "116 123" in n.body]
    assert len(carrying) == 1
    moment, nudge = carrying[0]
    assert is_night(moment) and nudge.number
    assert nudge.body.endswith("Someone to talk to, any time: 116 123")
    assert len(nudge.body) <= NOTIFICATION_BODY_LIMIT
    assert [n.number for _, n in sent].count(True) == 1


def test_where_no_number_is_known_a_hard_night_points_to_help_now() -> None:
    sent = bad_night(line="")
    pointing = [n for _, n in sent if "nudger help-now" in n.body]
    assert len(pointing) == 1 and not pointing[0].number
    assert not any(n.number for _, n in sent)


def test_a_night_cap_of_zero_keeps_the_night_silent() -> None:
    assert not any(is_night(m) for m, _ in bad_night(night_cap=0))


def test_in_quiet_hours_a_bad_night_gets_exactly_one_gentle_message() -> None:
    sent = bad_night(quiet_hours="23:00-07:00")
    assert sum(1 for m, _ in sent if is_night(m)) == 1


def quiet_night(timeline: list[Second]) -> list[tuple[Moment, Nudge]]:
    start = dt.datetime(2026, 11, 27, 23, 30, tzinfo=TZ).timestamp()
    policy = Policy(NudgeSettings(quiet_hours="23:00-07:00").rules(), BOOK, rng=random.Random(1))  # type: ignore[arg-type]
    return [(m, n) for m, n in every_moment(policy, timeline, start) if n is not None]


def test_in_quiet_hours_one_glance_is_let_be() -> None:
    assert quiet_night(on(ALEX, 60) + away(3600)) == []


def test_in_quiet_hours_the_care_message_comes_after_three_minutes_on_the_page() -> None:
    sent = quiet_night(on(ALEX, 10 * 60))
    assert len(sent) == 1
    moment, nudge = sent[0]
    assert 180 < moment.open_visits[0].seconds <= 182
    # The night's one message, after distress: it carries the way to someone to talk to.
    assert "nudger help-now" in nudge.body


def test_in_quiet_hours_the_care_message_comes_with_the_third_visit_in_half_an_hour() -> None:
    glance = on(ALEX, 30) + away(8 * 60)
    sent = quiet_night(glance * 6)
    assert len(sent) == 1
    third_visit_starts = 2 * (30 + 8 * 60)
    start = dt.datetime(2026, 11, 27, 23, 30, tzinfo=TZ).timestamp()
    assert third_visit_starts <= sent[0][0].at - start <= third_visit_starts + 30


def test_ignored_nudges_of_the_afternoon_do_not_stretch_the_night() -> None:
    """The ignored-in-a-row spacing starts again with the night (and with each day)."""
    evening = dt.datetime(2026, 11, 27, 22, 50, tzinfo=TZ)
    state = PolicyState(
        learning=Learning(ignored_in_a_row=6),  # eight times the gaps
        streak_of=("day", evening.date()),
        last_any=evening.timestamp(),
        last_blocklist=evening.timestamp(),
    )
    policy = Policy(NudgeSettings().rules(), BOOK, rng=random.Random(0), state=state)
    assert policy.decide(moment_at(10 * 60)) is not None  # 23:10, twenty minutes after
    assert policy.state.learning.ignored_in_a_row == 0


def test_a_restart_keeps_the_nights_part_spent() -> None:
    first = moment_at(0)
    row = NudgeRow(
        1, first.at, "blocklist", "Alex", "blocklist", "be_kind.night.1", True, None, None
    )
    state = PolicyState.rebuilt([row], DAYS, night=NIGHT, kind_of=BOOK.kind_of)
    policy = Policy(NudgeSettings().rules(), BOOK, rng=random.Random(0), state=state)
    assert policy.decide(moment_at(30 * 60)) is None  # 23:30: the first part had its nudge
    assert policy.decide(moment_at(2 * 3600 + 60)) is not None  # 01:01: the second part's


# -- the night's cap, as a property ---------------------------------------------------------

NIGHT_START = dt.datetime(2026, 11, 27, 23, 0, tzinfo=TZ)


def moment_at(offset_seconds: float, visit_seconds: float = 30) -> Moment:
    at = NIGHT_START.timestamp() + offset_seconds
    local = dt.datetime.fromtimestamp(at, TZ)
    visit = Visit("blocklist", "Alex", "title", "front", at - visit_seconds, at)
    return Moment(
        at=at,
        local_time=local.time(),
        day=DAYS.day_of(at),
        local_date=local.date(),
        idle=False,
        paused=False,
        open_visits=(visit,),
        site_seconds_today=0.0,
        blocklist_visits_today=1,
    )


@settings(max_examples=60, deadline=None)
@given(
    cap=st.integers(min_value=0, max_value=6),
    offsets=st.lists(st.floats(min_value=0, max_value=6 * 3600 - 1), min_size=1, max_size=80),
    min_gap=st.floats(min_value=0, max_value=20),
)
def test_no_night_holds_more_than_the_cap(cap: int, offsets: list[float], min_gap: float) -> None:
    policy = Policy(
        NudgeSettings(
            night_cap=cap, min_gap_minutes=min_gap, blocklist_repeat_minutes=0.05
        ).rules(),
        BOOK,
        rng=random.Random(0),
    )
    sent = [policy.decide(moment_at(offset)) for offset in sorted(offsets)]
    assert sum(1 for nudge in sent if nudge is not None) <= cap


# -- ignored nudges space out -------------------------------------------------------------


@given(st.integers(min_value=0, max_value=50))
def test_an_ignored_streak_never_shortens_the_gap(ignored: int) -> None:
    fewer, more = Learning(ignored_in_a_row=ignored), Learning(ignored_in_a_row=ignored + 1)
    assert more.spacing() >= fewer.spacing() >= 1.0


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=8))
def test_the_policy_waits_longer_after_ignored_nudges(ignored: int) -> None:
    """The next blocklist nudge comes no sooner than the gap times the spacing."""
    state = PolicyState(learning=Learning(ignored_in_a_row=ignored))
    policy = Policy(NudgeSettings(night=None).rules(), BOOK, rng=random.Random(0), state=state)
    first = policy.decide(moment_at(-12 * 3600))  # 11:00, daytime
    assert first is not None
    gap = NudgeSettings().blocklist_repeat_minutes * 60 * state.learning.spacing()
    assert policy.decide(moment_at(-12 * 3600 + gap - 1, visit_seconds=gap + 30)) is None
    assert policy.decide(moment_at(-12 * 3600 + gap + 1, visit_seconds=gap + 30)) is not None


def test_one_heeded_nudge_brings_the_usual_gaps_back() -> None:
    learning = Learning(ignored_in_a_row=6)
    assert learning.spacing() == 8.0
    learning.record("move", heeded=True)
    assert learning.spacing() == 1.0


# -- heeded kinds come first -------------------------------------------------------------------

tallies = st.dictionaries(
    st.sampled_from(KINDS_OF_MESSAGES),
    st.tuples(st.integers(0, 40), st.integers(0, 40)).map(lambda p: Tally(max(p), min(p))),
)


@given(tallies, st.sampled_from(KINDS_OF_MESSAGES))
def test_heeding_a_kind_more_makes_it_likelier_and_none_falls_below_the_floor(
    counts: dict[str, Tally], kind: str
) -> None:
    learning = Learning(tallies=dict(counts))  # type: ignore[arg-type]
    before = per_kind({k: learning.weight(k) for k in KINDS_OF_MESSAGES})
    for share in before.values():
        assert share >= FLOOR / len(KINDS_OF_MESSAGES)
    learning.record(kind, heeded=True)  # type: ignore[arg-type]
    after = per_kind({k: learning.weight(k) for k in KINDS_OF_MESSAGES})
    assert after[kind] >= before[kind]  # type: ignore[index]


def test_the_choice_follows_what_was_heeded_and_still_shows_every_kind() -> None:
    learning = Learning()
    for _ in range(20):
        learning.record("move", heeded=True)
        learning.record("journal", heeded=False)
    policy = Policy(
        NudgeSettings().rules(), BOOK, rng=random.Random(5), state=PolicyState(learning=learning)
    )
    kinds = ("move", "journal", "reach_out")
    chosen = Counter(policy.choose(kinds, 10).kind for _ in range(3000))
    assert chosen["move"] > chosen["reach_out"] > chosen["journal"] > 0


def test_what_was_heeded_is_rebuilt_from_the_record() -> None:
    rows = [
        NudgeRow(i, 1000.0 - i, "blocklist", "Alex", "blocklist", mid, True, None, heeded)
        for i, (mid, heeded) in enumerate(
            [("journal.1", False), ("journal.2", False), ("journal.3", False), ("move.1", True)]
        )
    ]
    state = PolicyState.rebuilt(rows, DAYS, kind_of=BOOK.kind_of)
    assert state.learning.ignored_in_a_row == 3
    assert state.learning.tallies["journal"].shown == 3
    assert state.learning.tallies["move"].heeded == 1


# -- every text fits every backend ------------------------------------------------------------


def test_a_hard_day_nudge_with_the_longest_support_line_fits_every_backend() -> None:
    line = "x" * 159 + "y"  # [support] line may be 160 characters
    for seed in range(40):
        policy = Policy(NudgeSettings().rules(), BOOK, support_line=line, rng=random.Random(seed))
        moment = moment_at(-12 * 3600)
        heavy = dataclasses.replace(moment, blocklist_visits_today=5)
        nudge = policy.decide(heavy)
        assert nudge is not None and nudge.body.endswith(line)
        assert len(nudge.body) <= NOTIFICATION_BODY_LIMIT


def test_a_book_of_ones_own_texts_keeps_the_night_for_night_texts_of_any_kind() -> None:
    """builtin = false with a night text of one kind only: at night that one, not a day text."""
    book = MessageBook(
        (
            Message("user.1", "move", "A walk?", "Maybe a walk around the block?", "day"),
            Message("user.2", "counsellor", "Rest now", "Maybe close your eyes a while?", "night"),
        ),
        (),
    )
    policy = Policy(NudgeSettings().rules(), book, rng=random.Random(0))
    assert policy.decide(moment_at(60)).message_id == "user.2"  # type: ignore[union-attr]
