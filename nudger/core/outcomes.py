"""What became of a nudge once sent: heeded or not, which button was pressed, and when to try
again one that could not be shown.

Pure: the shell hands in the notifier's feedback and the visits still open, and records what
comes out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from nudger.core.policy import Nudge
from nudger.core.types import Feedback, Hit, Kind, Outcome, Visit

# How long a nudge that could not be shown waits before it is tried again.
RETRY_UNDELIVERED_SECONDS = 15.0
# Buttons are pressed within minutes: only the latest notifications are remembered.
KEEP_NOTIFICATIONS = 50


# How long the "Snooze 1 h" button on a nudge pauses nudges.
SNOOZE_SECONDS = 3600

# Leaving is heeding only when it lasts: back on the page within this, the nudge went unheeded.
STAY_AWAY_SECONDS = 10 * 60


@dataclass
class _Awaiting:
    nudge_id: int
    kind: Kind
    target: str
    at: float
    left_at: float | None = None  # when the page was first seen gone, within the window
    answer: bool | None = None  # a button: stepping away (True) or a snooze (False)


class HeedWatch:
    """Whether a nudge was heeded: the person acted on it ("I'm stepping away"), or left that
    target within `within_seconds` and stayed away `stay_away_seconds`.

    A visit that ends on its own and comes back soon is not heeded: with glances of half a
    minute, "gone within two minutes" was true of every nudge and taught nothing. A snooze
    is an answer too: not this, not now."""

    def __init__(self, within_seconds: float, stay_away_seconds: float = STAY_AWAY_SECONDS) -> None:
        self.within_seconds = within_seconds
        self.stay_away_seconds = stay_away_seconds
        self._awaiting: list[_Awaiting] = []

    def watch(self, nudge_id: int, kind: Kind, target: str, at: float) -> None:
        self._awaiting.append(_Awaiting(nudge_id, kind, target, at))

    def answered(self, nudge_id: int, outcome: Outcome) -> None:
        """A button on the notification: stepping away heeds it, a snooze does not."""
        if outcome not in {"away", "snooze"}:
            return
        for item in self._awaiting:
            if item.nudge_id == nudge_id:
                item.answer = outcome == "away"

    def resolve(self, at: float, open_visits: Iterable[Visit]) -> list[tuple[int, bool]]:
        """(nudge id, heeded) for every nudge whose outcome is now known."""
        still_open = {(v.kind, v.target) for v in open_visits}
        decided: list[tuple[int, bool]] = []
        waiting: list[_Awaiting] = []
        for item in self._awaiting:
            verdict = self._verdict(item, at, (item.kind, item.target) in still_open)
            if verdict is None:
                waiting.append(item)
            else:
                decided.append((item.nudge_id, verdict))
        self._awaiting = waiting
        return decided

    def _verdict(self, item: _Awaiting, at: float, on_page: bool) -> bool | None:
        if item.answer is not None:
            return item.answer
        if item.left_at is None:
            if not on_page and at - item.at <= self.within_seconds:
                item.left_at = at
                return None
            return False if at - item.at >= self.within_seconds else None
        if on_page:
            return False  # back before the time away was up
        return True if at - item.left_at >= self.stay_away_seconds else None


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
            # Recorded and logged as the log says it: in English.
            problem = None if item.problem is None else str(item.problem)
            answers.append(Answer(row_id, item.outcome, problem))
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


def pause_owner(hits: Sequence[Hit]) -> tuple[Kind, str | None]:
    """Whose page the browser held back: the first rule its address belongs to. An address that
    matches no rule any more (the list changed since the browser was told) is still counted as
    a blocklist pause, never named: only blocklist pages are held back unless sites are too."""
    hit = hits[0] if hits else None
    return (hit.kind, hit.target) if hit is not None else ("blocklist", None)


def pause_heeded(answer: str) -> bool:
    """Stepping away is a pause heeded; going on is the person's own choice."""
    return answer == "away"
