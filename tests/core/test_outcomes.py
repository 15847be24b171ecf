"""What became of a nudge: heeded, answered, or to be tried again."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from nudger.core.outcomes import (
    KEEP_NOTIFICATIONS,
    RETRY_UNDELIVERED_SECONDS,
    STAY_AWAY_SECONDS,
    Answer,
    Answers,
    HeedWatch,
    Undelivered,
    pause_heeded,
    pause_owner,
    retry_verdict,
)
from nudger.core.policy import Nudge
from nudger.core.types import Feedback, Hit, Outcome, Visit

ALEX_OPEN = Visit("blocklist", "Alex", "title", "front", 100.0, 130.0)


def nudge(at: float = 100.0) -> Nudge:
    return Nudge(at, "blocklist", "Alex", "blocklist", "be_kind.1", "A pause?", "Breathe.")


def test_a_button_is_an_answer_and_the_close_after_it_does_not_overwrite_it() -> None:
    answers = Answers()
    answers.sent(notification_id=7, row_id=1)
    read = answers.read([Feedback(7, "snooze"), Feedback(7, "closed"), Feedback(7, "away")])
    assert read == [Answer(1, "snooze")]


def test_expiring_is_not_an_answer_and_a_dismissal_can_still_be_followed_by_a_button() -> None:
    answers = Answers()
    answers.sent(notification_id=7, row_id=1)
    assert answers.read([Feedback(7, "expired")]) == []
    assert answers.read([Feedback(7, "dismissed"), Feedback(7, "away")]) == [
        Answer(1, "dismissed"),
        Answer(1, "away"),
    ]


def test_feedback_about_other_notifications_is_ignored_and_old_ones_are_forgotten() -> None:
    answers = Answers()
    assert answers.read([Feedback(99, "snooze")]) == []
    for number in range(KEEP_NOTIFICATIONS + 1):
        answers.sent(notification_id=number, row_id=number)
    assert answers.read([Feedback(0, "away")]) == []  # the oldest one, forgotten
    assert answers.read([Feedback(KEEP_NOTIFICATIONS, "away")]) == [
        Answer(KEEP_NOTIFICATIONS, "away")
    ]


def test_an_unshown_nudge_is_tried_again_while_the_page_is_open_and_dropped_after() -> None:
    pending = Undelivered(nudge(), row_id=1, last_try=100.0)
    assert retry_verdict(pending, 105.0, [ALEX_OPEN], may_speak=True) == "wait"
    later = 100.0 + RETRY_UNDELIVERED_SECONDS
    assert retry_verdict(pending, later, [ALEX_OPEN], may_speak=True) == "retry"
    assert retry_verdict(pending, later, [ALEX_OPEN], may_speak=False) == "wait"
    assert retry_verdict(pending, later, [], may_speak=True) == "drop"


def test_a_nudge_is_heeded_when_the_page_is_left_in_time_and_stays_closed() -> None:
    heed = HeedWatch(within_seconds=120)
    heed.watch(1, "blocklist", "Alex", at=100.0)
    heed.watch(2, "blocklist", "Alex", at=100.0)
    assert heed.resolve(150.0, [ALEX_OPEN]) == []
    assert heed.resolve(160.0, []) == []  # left: heeded once ten minutes pass without it
    assert heed.resolve(160.0 + STAY_AWAY_SECONDS - 1, []) == []
    assert heed.resolve(160.0 + STAY_AWAY_SECONDS, []) == [(1, True), (2, True)]
    heed.watch(3, "blocklist", "Alex", at=200.0)
    assert heed.resolve(320.0, [ALEX_OPEN]) == [(3, False)]


def test_a_glance_that_ends_on_its_own_and_comes_back_is_not_heeded() -> None:
    heed = HeedWatch(within_seconds=120)
    heed.watch(1, "blocklist", "Alex", at=100.0)
    assert heed.resolve(130.0, []) == []  # the 30-second glance ended
    assert heed.resolve(460.0, [ALEX_OPEN]) == [(1, False)]  # back six minutes later


def test_a_button_decides_at_once_stepping_away_heeds_and_a_snooze_does_not() -> None:
    heed = HeedWatch(within_seconds=120)
    heed.watch(1, "blocklist", "Alex", at=100.0)
    heed.watch(2, "blocklist", "Alex", at=100.0)
    heed.answered(1, "away")
    heed.answered(2, "snooze")
    heed.answered(2, "dismissed")  # not an answer about the suggestion
    assert heed.resolve(105.0, [ALEX_OPEN]) == [(1, True), (2, False)]


# -- heeded, as a property: against a plain reading of the rule --------------------------------

WITHIN = 120
# A timeline after the nudge: alternating stretches on the page and away from it, seconds each.
stretches = st.lists(st.integers(min_value=1, max_value=900), min_size=1, max_size=6)


def on_page(timeline: list[int], second: int) -> bool:
    """Whether the page is open `second` seconds after the nudge (it was open at the nudge)."""
    elapsed = 0
    for index, length in enumerate(timeline):
        elapsed += length
        if second < elapsed:
            return index % 2 == 0
    return (len(timeline) - 1) % 2 == 0  # the last stretch goes on


def expected(timeline: list[int], horizon: int) -> bool | None:
    """The rule as written: left within the window, and not back for ten minutes."""
    left = next((s for s in range(1, horizon) if not on_page(timeline, s)), None)
    if left is None or left > WITHIN:
        return False
    back = any(on_page(timeline, s) for s in range(left, left + STAY_AWAY_SECONDS))
    return not back


def replayed(timeline: list[int], horizon: int, button: tuple[int, Outcome] | None) -> bool:
    heed = HeedWatch(within_seconds=WITHIN)
    heed.watch(1, "blocklist", "Alex", at=0.0)
    for second in range(1, horizon):
        if button is not None and button[0] == second:
            heed.answered(1, button[1])
        visits = [Visit("blocklist", "Alex", "title", "front", 0.0, float(second))]
        decided = heed.resolve(float(second), visits if on_page(timeline, second) else [])
        if decided:
            return decided[0][1]
    raise AssertionError("no verdict in time")


HORIZON = WITHIN + STAY_AWAY_SECONDS + 2


@settings(max_examples=150, deadline=None)
@given(stretches)
def test_heeded_means_left_in_time_and_stayed_away(timeline: list[int]) -> None:
    assert replayed(timeline, HORIZON, None) is expected(timeline, HORIZON)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(min_value=1, max_value=WITHIN), st.integers(min_value=1, max_value=599), stretches
)
def test_a_visit_that_ends_and_comes_back_within_ten_minutes_is_never_heeded(
    glance: int, away_for: int, rest: list[int]
) -> None:
    """Glances of any length, back before ten minutes: the visit ended on its own."""
    assert replayed([glance, away_for, *rest], HORIZON, None) is False


@settings(max_examples=100, deadline=None)
@given(stretches, st.integers(min_value=1, max_value=WITHIN), st.sampled_from(["away", "snooze"]))
def test_a_button_is_the_answer_whatever_the_page_does(
    timeline: list[int], when: int, outcome: Outcome
) -> None:
    """Pressed before the page says anything, the button decides: stepping away heeds."""
    first_sign = next((s for s in range(1, when) if not on_page(timeline, s)), None)
    verdict = replayed(timeline, HORIZON, (when, outcome))
    if first_sign is None:  # nothing was known before the press
        assert verdict is (outcome == "away")


def test_a_pause_belongs_to_the_first_rule_and_an_unknown_address_to_no_one() -> None:
    hits = [Hit("blocklist", "Alex", "url"), Hit("site", "Instagram", "url")]
    assert pause_owner(hits) == ("blocklist", "Alex")
    assert pause_owner([]) == ("blocklist", None)
    assert pause_heeded("away") and not pause_heeded("go_on")
