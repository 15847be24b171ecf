"""Notifications through plyer: the path on macOS and Windows.

plyer has no action buttons and, on some platforms, no way to report failure, so the body says
how to snooze, and a nudge counts as delivered when plyer raised nothing.
"""

from __future__ import annotations

import logging

from nudger.core.messages import NOTIFICATION_TITLE_LIMIT, fit
from nudger.notify.base import SNOOZE_HINT, Delivery, Feedback, Notification

log = logging.getLogger(__name__)
# Windows' balloon takes 255 characters of message and 63 of title, and fails (in a thread,
# where the failure is lost) on more; the other backends take at least as much.
MESSAGE_LIMIT = 255


class PlyerNotifier:
    name = "plyer"

    def send(self, notification: Notification) -> Delivery:
        try:
            from plyer import notification as plyer_notification  # noqa: PLC0415 - slow import

            body = fit(notification.body, MESSAGE_LIMIT - len(SNOOZE_HINT) - 1)
            plyer_notification.notify(
                title=fit(notification.title, NOTIFICATION_TITLE_LIMIT),
                message=f"{body}\n{SNOOZE_HINT}",
                app_name="nudger",
                timeout=int(notification.expire_seconds),
            )
        except Exception as error:  # noqa: BLE001 - plyer raises anything from any backend
            return Delivery(False, self.name, problem=f"plyer could not notify: {error}")
        return Delivery(True, self.name)

    def feedback(self) -> list[Feedback]:
        return []  # plyer reports nothing back

    def close(self) -> None:
        """Nothing to release."""
