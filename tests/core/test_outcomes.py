"""What became of a nudge: heeded, answered, or to be tried again."""

from __future__ import annotations

from nudger.core.outcomes import (
    KEEP_NOTIFICATIONS,
    RETRY_UNDELIVERED_SECONDS,
    Answer,
    Answers,
    HeedWatch,
    Undelivered,
    retry_verdict,
)
from nudger.core.policy import Nudge
from nudger.core.types import Feedback, Visit

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


def test_a_nudge_is_heeded_when_the_page_is_left_in_time() -> None:
    heed = HeedWatch(within_seconds=120)
    heed.watch(1, "blocklist", "Alex", at=100.0)
    heed.watch(2, "blocklist", "Alex", at=100.0)
    assert heed.resolve(150.0, [ALEX_OPEN]) == []
    assert heed.resolve(160.0, []) == [(1, True), (2, True)]
    heed.watch(3, "blocklist", "Alex", at=200.0)
    assert heed.resolve(320.0, [ALEX_OPEN]) == [(3, False)]
