"""Starting nudger at login, on each OS: `nudger autostart enable|disable|status`."""

from __future__ import annotations

import sys

from nudger.autostart.base import Entry, Method, daemon_command

__all__ = ["Entry", "Method", "daemon_command", "method_for", "methods_for"]

LINUX_METHODS = ("xdg", "systemd")


def methods_for(platform: str = sys.platform) -> list[Method]:
    """Every login integration this platform has: where `status` and `disable` look when no
    method is named, so an entry made with `--method systemd` is found too."""
    if platform in {"darwin", "win32"}:
        return [method_for(None, platform)]
    return [method_for(name, platform) for name in LINUX_METHODS]


def method_for(choice: str | None = None, platform: str = sys.platform) -> Method:
    """The login integration for this platform; on Linux, XDG autostart unless asked for systemd."""
    if platform == "darwin":
        from nudger.autostart.launchd import LaunchAgent  # noqa: PLC0415

        return LaunchAgent()
    if platform == "win32":
        from nudger.autostart.windows import WindowsRunKey  # noqa: PLC0415

        return WindowsRunKey()
    if choice == "systemd":
        from nudger.autostart.systemd import SystemdUserUnit  # noqa: PLC0415

        return SystemdUserUnit()
    from nudger.autostart.xdg import XdgAutostart  # noqa: PLC0415

    return XdgAutostart()
