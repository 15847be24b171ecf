"""Windows toast notifications with the two buttons, through windows-toasts (WinRT).

An InteractableWindowsToaster without an AUMID of nudger's own borrows the Command Prompt's,
which Windows recognises, so button presses come back (`on_activated`) without installing a
Start-menu shortcut. Presses, closings and failures arrive on a WinRT thread: they are put in
a queue here and read by the coach on its own thread, like D-Bus signals on Linux. A toast
that Windows refuses after `show_toast` returned comes back as a "failed" feedback, so the
nudge is recorded as undelivered with the reason, never lost.
"""

from __future__ import annotations

import datetime as dt
import importlib
import itertools
from types import ModuleType
from typing import Any

from nudger.core.translate import N_, Said
from nudger.core.types import Outcome
from nudger.notify.base import ACTIONS, Delivery, Feedback, FeedbackQueue, Notification, fitted

APP_NAME = "nudger"


class ToastNotifier:
    name = "windows-toasts"

    def __init__(self, toasts: ModuleType | None = None) -> None:
        # windows_toasts imports WinRT at once: only on Windows (tests pass a fake module).
        self._toasts = toasts or importlib.import_module("windows_toasts")
        self._toaster = self._toasts.InteractableWindowsToaster(APP_NAME)
        self._ids = itertools.count(1)
        self._feedback = FeedbackQueue()

    def send(self, notification: Notification) -> Delivery:
        notification_id = next(self._ids)
        title, body = fitted(notification, with_hint=False)
        buttons = (
            [
                self._toasts.ToastButton(notification.words._(label), arguments=action)
                for action, label in ACTIONS
            ]
            if notification.with_actions
            else []
        )
        toast = self._toasts.Toast(
            text_fields=[title, body],
            actions=buttons,
            expiration_time=dt.datetime.now() + dt.timedelta(seconds=notification.expire_seconds),
            on_activated=lambda event: self._activated(notification_id, event),
            on_dismissed=lambda event: self._dismissed(notification_id, event),
            on_failed=lambda event: self._failed(notification_id, event),
        )
        try:
            self._toaster.show_toast(toast)
        except Exception as error:  # noqa: BLE001 - WinRT raises OSError and its own kinds
            return Delivery(
                False,
                self.name,
                problem=Said(N_("Windows did not take the toast: {error}"), {"error": error}),
            )
        return Delivery(True, self.name, notification_id)

    def feedback(self) -> list[Feedback]:
        return self._feedback.take()

    def close(self) -> None:
        """Toasts left in the Action Center stay there; nothing to release."""

    # -- on WinRT's thread ------------------------------------------------------------------

    def _activated(self, notification_id: int, event: Any) -> None:
        action = getattr(event, "arguments", None)
        if action in {key for key, _label in ACTIONS}:
            self._feedback.put(Feedback(notification_id, action))
        # A click on the toast itself is not an answer: it only brings the toast up.

    def _dismissed(self, notification_id: int, event: Any) -> None:
        reason = str(getattr(getattr(event, "reason", None), "name", "")).upper()
        outcome: Outcome = (
            "dismissed" if "USER" in reason else "expired" if "TIMED" in reason else "closed"
        )
        self._feedback.put(Feedback(notification_id, outcome))

    def _failed(self, notification_id: int, event: Any) -> None:
        code = getattr(event, "error_code", None)
        self._feedback.put(
            Feedback(
                notification_id,
                "failed",
                Said(N_("Windows could not show the toast ({code})"), {"code": code}),
            )
        )
