"""Sending notifications: D-Bus on Linux (with buttons and feedback), plyer elsewhere."""

from __future__ import annotations

import sys

from nudger.notify.base import ACTIONS, Delivery, Feedback, Notification, Notifier

__all__ = ["ACTIONS", "Delivery", "Feedback", "Notification", "Notifier", "choose_notifier"]


def choose_notifier(platform: str = sys.platform) -> Notifier:
    if platform.startswith("linux") or "bsd" in platform:
        from nudger.notify.dbus import DbusNotifier  # noqa: PLC0415

        return DbusNotifier()
    from nudger.notify.plyer_ import PlyerNotifier  # noqa: PLC0415

    return PlyerNotifier()
