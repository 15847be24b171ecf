"""Notifications through plyer's balloon: the last fallback, on Windows only.

plyer shows an old-style balloon with no buttons, so the body says how to snooze. plyer's own
Windows backend runs the balloon in a thread of its own, where a failure (a text too long, a
missing shell window) is lost; nudger runs plyer's balloon in a thread of its own instead, and
a failure comes back as a "failed" feedback, so the nudge is recorded as undelivered.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from typing import Any

from nudger.core.translate import N_, Said
from nudger.notify.base import Delivery, Feedback, FeedbackQueue, Notification, fitted

log = logging.getLogger(__name__)
# Kept apart from the toasts' numbers, which count from 1.
FIRST_ID = 1_000_000

Show = Callable[..., Any]


def _balloon() -> Show:
    from plyer.platforms.win.libs.balloontip import balloon_tip  # noqa: PLC0415 - Windows only

    return balloon_tip  # type: ignore[no-any-return]


class PlyerNotifier:
    name = "plyer"

    def __init__(self, show: Show | None = None) -> None:
        self._show = show
        self._ids = itertools.count(FIRST_ID)
        self._feedback = FeedbackQueue()

    def send(self, notification: Notification) -> Delivery:
        try:
            show = self._show or _balloon()
        except Exception as error:  # noqa: BLE001 - plyer raises anything from any backend
            return Delivery(
                False,
                self.name,
                problem=Said(N_("plyer cannot notify here: {error}"), {"error": error}),
            )
        notification_id = next(self._ids)
        title, body = fitted(notification, with_hint=True)
        worker = threading.Thread(
            target=self._show_in_thread,
            args=(show, notification_id, title, body, notification.expire_seconds),
            name="nudger-balloon",
            daemon=True,
        )
        worker.start()
        return Delivery(True, self.name, notification_id)

    def _show_in_thread(
        self, show: Show, notification_id: int, title: str, body: str, seconds: float
    ) -> None:
        try:
            show(title=title, message=body, app_name="nudger", timeout=int(seconds))
        except Exception as error:  # noqa: BLE001 - recorded, not lost in the thread
            self._feedback.put(
                Feedback(
                    notification_id, "failed", Said(N_("plyer failed: {error}"), {"error": error})
                )
            )

    def feedback(self) -> list[Feedback]:
        return self._feedback.take()

    def close(self) -> None:
        """Nothing to release."""
