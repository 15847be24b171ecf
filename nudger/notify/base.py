"""What every notifier takes and reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from nudger.core.types import Action, Feedback, Outcome

__all__ = ["ACTIONS", "Action", "Delivery", "Feedback", "Notification", "Notifier", "Outcome"]

# The two buttons on every nudge: one way to rest from nudges, one way to say "no, I'll stop".
ACTIONS: tuple[tuple[Action, str], ...] = (("snooze", "Snooze 1 h"), ("away", "I'm stepping away"))
# For notifiers without buttons, the body says how to snooze instead.
SNOOZE_HINT = "To snooze: nudger pause 1h"


@dataclass(frozen=True, slots=True)
class Notification:
    title: str
    body: str
    expire_seconds: float
    with_actions: bool = True


@dataclass(frozen=True, slots=True)
class Delivery:
    delivered: bool
    channel: str
    notification_id: int | None = None
    problem: str | None = None


class Notifier(Protocol):
    name: str

    def send(self, notification: Notification) -> Delivery: ...

    def feedback(self) -> list[Feedback]:
        """Button presses and closings since the last call. Never blocks."""
        ...

    def close(self) -> None: ...
