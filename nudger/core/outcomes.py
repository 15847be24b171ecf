"""What became of a nudge once sent: heeded or not, which button was pressed, and when to try
again one that could not be shown.

Pure: the shell hands in the notifier's feedback and the visits still open, and records what
comes out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from nudger.core.policy import Nudge
from nudger.core.types import Feedback, Kind, Outcome, Visit

# How long a nudge that could not be shown waits before it is tried again.
RETRY_UNDELIVERED_SECONDS = 15.0
# Buttons are pressed within minutes: only the latest notifications are remembered.
KEEP_NOTIFICATIONS = 50


@dataclass
class _Awaiting:
    nudge_id: int
    kind: Kind
    target: str
    at: float


class HeedWatch:
    """Whether a nudge was heeded: the user left that target within `within_seconds`."""

    def __init__(self, within_seconds: float) -> None:
        self.within_seconds = within_seconds
        self._awaiting: list[_Awaiting] = []

    def watch(self, nudge_id: int, kind: Kind, target: str, at: float) -> None:
        self._awaiting.append(_Awaiting(nudge_id, kind, target, at))

    def resolve(self, at: float, open_visits: Iterable[Visit]) -> list[tuple[int, bool]]:
        """(nudge id, heeded) for every nudge whose outcome is now known."""
        still_open = {(v.kind, v.target) for v in open_visits}
        decided: list[tuple[int, bool]] = []
        waiting: list[_Awaiting] = []
        for item in self._awaiting:
            if (item.kind, item.target) not in still_open:
                decided.append((item.nudge_id, True))
            elif at - item.at >= self.within_seconds:
                decided.append((item.nudge_id, False))
            else:
                waiting.append(item)
        self._awaiting = waiting
        return decided


@dataclass(frozen=True, slots=True)
class Answer:
    """A button press (or a dismissal) to record on the nudge in row `row_id`."""

    row_id: int
    outcome: Outcome
    problem: str | None = None


class Answers:
    """Reads the notifier's feedback the way it is meant.

    Expiring is not an answer. A dismissal is recorded but can still be followed by a button.
    A failure reported after sending (Windows does this) is passed on: the nudge was not shown.
    The close that follows a button press must not overwrite the button. Feedback about a
    notification that is not ours (or from before a restart) is ignored.
    """

    def __init__(self) -> None:
        self._rows: dict[int, int] = {}
        self._answered: set[int] = set()

    def sent(self, notification_id: int, row_id: int) -> None:
        self._rows[notification_id] = row_id
        while len(self._rows) > KEEP_NOTIFICATIONS:
            self._answered.discard(self._rows.pop(next(iter(self._rows))))

    def read(self, feedback: Iterable[Feedback]) -> list[Answer]:
        answers: list[Answer] = []
        for item in feedback:
            row_id = self._rows.get(item.notification_id)
            if row_id is None or item.outcome in {"expired", "closed"}:
                continue
            if row_id in self._answered:
                continue
            if item.outcome != "dismissed":
                self._answered.add(row_id)
            answers.append(Answer(row_id, item.outcome, item.problem))
        return answers


@dataclass(slots=True)
class Undelivered:
    """A nudge that could not be shown (no notification server yet, say)."""

    nudge: Nudge
    row_id: int | None
    last_try: float


Verdict = Literal["drop", "wait", "retry"]


def retry_verdict(
    pending: Undelivered, at: float, open_visits: Iterable[Visit], may_speak: bool
) -> Verdict:
    """What to do with a nudge that could not be shown: drop it once the person has left the
    page (the moment passed; it stays recorded as undelivered), try again every
    RETRY_UNDELIVERED_SECONDS while they are still there and nudges may speak, else wait."""
    if not any(
        (v.kind, v.target) == (pending.nudge.kind, pending.nudge.target) for v in open_visits
    ):
        return "drop"
    if at - pending.last_try < RETRY_UNDELIVERED_SECONDS or not may_speak:
        return "wait"
    return "retry"
