"""`nudger doctor`: which window backend would be used here, and whether it works."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "doctor",
        help="check that nudger can see your windows",
        description="Say which window backend nudger would use on this desktop, whether it works, "
        "and what to do if it does not.",
    )
    parser.set_defaults(handler=run)


def run(_args: argparse.Namespace) -> int:
    windows_ok = _check_windows()
    notifications_ok = _check_notifications()
    browsers_ok = _check_browsers()
    if not windows_ok and browsers_ok:
        print("The browser companion is connected: nudger sees your pages through it, even")
        print("where it cannot read the window in front.")
    return 0 if (windows_ok or browsers_ok) and notifications_ok else 1


def _check_browsers() -> bool:
    from nudger.cli.browser_cmd import print_status

    print("Browser companion:")
    return print_status(indent="  ") == 0


def _check_notifications() -> bool:
    if not sys.platform.startswith("linux"):
        print("Notifications: through plyer (the system's own notifications)")
        return True
    from nudger.notify.dbus import DbusNotifier

    notifier = DbusNotifier()
    server = notifier.server_name()
    notifier.close()
    if server is None:
        print("Notifications: no notification server answers on the D-Bus session bus")
        print("  nudger still counts, records nudges as undelivered, and shows them once a")
        print("  server (your desktop's, or one like dunst or mako) is running.")
        return False
    print(f"Notifications: {server}")
    return True


def _check_windows() -> bool:
    from nudger import sensing
    from nudger.sensing import SensorUnavailable

    backend = sensing.detect()
    print(f"Session: {backend.session or 'unknown'}")
    print(f"Window backend: {backend.name} ({backend.reason})")
    if sys.platform == "darwin":
        from nudger.sensing.macos import PERMISSIONS_HELP

        print(f"  {PERMISSIONS_HELP}")
    try:
        sensor = backend.open(120.0)
    except SensorUnavailable as error:
        print(f"  not working: {error}")
        if backend.reads_windows:
            print(
                "  nudger keeps trying in the background: starting it before the desktop is fine."
            )
        else:
            print("  Supported: X11 desktops, sway, Hyprland, GNOME (with one extension) and KDE")
            print("  Plasma on Wayland, macOS and Windows.")
        return False
    try:
        reading = sensor.read()
    except SensorUnavailable as error:
        print(f"  not working: {error}")
        return False
    finally:
        sensor.close()
    if reading.window is None:
        print("  working: no window is in front right now")
    else:
        print(
            "  working: the window in front belongs to "
            f"{reading.window.app or 'an unnamed program'}"
        )
        print(f"  its title reads: {reading.window.title!r}")
        if reading.window.url:
            print(f"  its address: {reading.window.url}")
    print(f"  idle for {reading.idle_seconds:.0f} s")
    return True
