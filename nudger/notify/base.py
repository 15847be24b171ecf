"""What every notifier takes and reports."""

from __future__ import annotations

import queue
from dataclasses import dataclass
from typing import Protocol

from nudger.core.messages import NOTIFICATION_TITLE_LIMIT, fit
from nudger.core.translate import ENGLISH, N_, Said, Translator
from nudger.core.types import Action, Feedback, Outcome

__all__ = [
    "ACTIONS",
    "MAX_BODY",
    "MAX_TITLE",
    "Action",
    "Delivery",
    "Feedback",
    "FeedbackQueue",
    "Notification",
    "Notifier",
    "Outcome",
    "fitted",
]

# The two buttons on every nudge: one way to rest from nudges, one way to say "no, I'll stop".
# Labels in English, translated where they are shown (with `_`).
ACTIONS: tuple[tuple[Action, str], ...] = (
    ("snooze", N_("Snooze 1 h")),
    ("away", N_("I'm stepping away")),
)
# For notifiers without buttons, the body says how to snooze instead.
SNOOZE_HINT = N_("To snooze: nudger pause 1h")
# What every backend takes: Windows' balloon and toast stop at 255 characters of text and 63 of
# title (the balloon fails on more, in a thread); macOS and D-Bus servers take at least as much.
MAX_BODY = 255
MAX_TITLE = NOTIFICATION_TITLE_LIMIT


@dataclass(frozen=True, slots=True)
class Notification:
    title: str
    body: str
    expire_seconds: float
    with_actions: bool = True
    # The language it is shown in: its buttons and, without buttons, the snooze hint.
    words: Translator = ENGLISH


@dataclass(frozen=True, slots=True)
class Delivery:
    delivered: bool
    channel: str
    notification_id: int | None = None
    problem: str | Said | None = None  # English in the log, the person's words in `doctor`


class Notifier(Protocol):
    name: str

    def send(self, notification: Notification) -> Delivery: ...

    def feedback(self) -> list[Feedback]:
        """Button presses and closings since the last call. Never blocks."""
        ...

    def close(self) -> None: ...


def fitted(notification: Notification, *, with_hint: bool) -> tuple[str, str]:
    """The title and body as a backend may show them: within MAX_TITLE and MAX_BODY, with
    the snooze hint at the end of a nudge's body when the backend has no buttons."""
    hint = notification.words._(SNOOZE_HINT) if with_hint and notification.with_actions else ""
    room = MAX_BODY - (len(hint) + 1 if hint else 0)
    body = fit(notification.body, room)
    if hint:
        body = f"{body}\n{hint}"
    return fit(notification.title, MAX_TITLE), body


class FeedbackQueue:
    """Feedback put on another thread (WinRT's, a balloon's) and taken by the coach's."""

    def __init__(self) -> None:
        self._items: queue.SimpleQueue[Feedback] = queue.SimpleQueue()

    def put(self, item: Feedback) -> None:
        self._items.put(item)

    def take(self) -> list[Feedback]:
        """Everything put since the last take. Never blocks."""
        items: list[Feedback] = []
        while True:
            try:
                items.append(self._items.get_nowait())
            except queue.Empty:
                return items
