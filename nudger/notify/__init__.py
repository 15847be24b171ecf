"""Sending notifications: D-Bus on Linux, osascript on macOS, toasts (then plyer's balloon) on
Windows. Each backend and why is in its own module."""

from __future__ import annotations

import logging
import sys

from nudger.core.translate import N_
from nudger.notify.base import ACTIONS, Delivery, Feedback, Notification, Notifier

__all__ = ["ACTIONS", "Delivery", "Feedback", "Notification", "Notifier", "choose_notifier"]
log = logging.getLogger(__name__)


def choose_notifier(platform: str = sys.platform) -> Notifier:
    # Each backend is imported only where it runs: WinRT and plyer's balloon exist on Windows.
    if platform == "darwin":
        from nudger.notify.macos import MacNotifier  # noqa: PLC0415

        return MacNotifier()
    if platform == "win32":
        return _windows_notifier()
    from nudger.notify.dbus import DbusNotifier  # noqa: PLC0415

    return DbusNotifier()


def _windows_notifier() -> Notifier:
    from nudger.notify.chain import FirstThatWorks  # noqa: PLC0415
    from nudger.notify.plyer_ import PlyerNotifier  # noqa: PLC0415

    try:
        from nudger.notify.toast import ToastNotifier  # noqa: PLC0415

        return FirstThatWorks([ToastNotifier(), PlyerNotifier()])
    except Exception as error:  # noqa: BLE001 - no WinRT (Windows older than 10, say)
        log.info(N_("toast notifications are not available (%s); using plyer's balloon"), error)
        return PlyerNotifier()
