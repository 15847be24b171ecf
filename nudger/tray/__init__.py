"""The status icon: watching, paused or promised at a glance, with a small menu. A
StatusNotifierItem over D-Bus on Linux, an NSStatusItem on macOS, a notification-area icon on
Windows; each in its own module, chosen once. What they share (the view, the commands, the
protocol) is in nudger.tray.base."""

from __future__ import annotations

import sys

from nudger.tray.base import StatusIcon

__all__ = ["choose_status_icon"]


def choose_status_icon(platform: str = sys.platform) -> StatusIcon:
    # Each backend is imported only where it runs: AppKit and user32 exist on their systems.
    if platform == "darwin":
        from nudger.tray.macos import MacStatusItem  # noqa: PLC0415

        return MacStatusItem()
    if platform == "win32":
        from nudger.tray.windows import NotificationAreaIcon  # noqa: PLC0415

        return NotificationAreaIcon()
    from nudger.tray.sni import StatusNotifierItem  # noqa: PLC0415

    return StatusNotifierItem()
