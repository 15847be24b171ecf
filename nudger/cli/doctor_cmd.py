"""`nudger doctor`: which window backend would be used here, and whether it works."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

# How long `--notify` waits for a failure that a system reports after taking a notification.
LATE_FAILURE_SECONDS = 1.5


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "doctor",
        help="check that nudger can see your windows",
        description="Say which window backend nudger would use on this desktop, whether it works, "
        "and what to do if it does not.",
    )
    parser.add_argument(
        "--notify",
        action="store_true",
        help="also send a real test notification and say whether it was delivered",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    windows_ok = _check_windows()
    notifications_ok = _check_notifications()
    if args.notify:
        notifications_ok = _send_test_notification() and notifications_ok
    browsers_ok = _check_browsers()
    if not windows_ok and browsers_ok:
        print("The browser companion is connected: nudger sees your pages through it, even")
        print("where it cannot read the window in front.")
    return 0 if (windows_ok or browsers_ok) and notifications_ok else 1


def _check_browsers() -> bool:
    from nudger.cli.browser_cmd import print_status

    print("Browser companion:")
    return print_status(indent="  ") == 0


def _send_test_notification() -> bool:
    """Send one real notification through the backend the daemon would use, and wait briefly
    for a failure reported afterwards (Windows reports some only then)."""
    from nudger.notify import Feedback, Notification, choose_notifier

    notifier = choose_notifier()
    try:
        delivery = notifier.send(
            Notification(
                "nudger is working",
                "A test from nudger doctor. Nothing to do.",
                expire_seconds=10,
                with_actions=False,
            )
        )
        failed: list[Feedback] = []
        if delivery.delivered:
            deadline = time.monotonic() + LATE_FAILURE_SECONDS
            while time.monotonic() < deadline and not failed:
                failed = [f for f in notifier.feedback() if f.outcome == "failed"]
                time.sleep(0.1)
    finally:
        notifier.close()
    if delivery.delivered and not failed:
        print(f"Test notification: delivered, through {delivery.channel}")
        return True
    problem = failed[0].problem if failed else delivery.problem
    print(f"Test notification: not delivered through {delivery.channel} ({problem})")
    return False


def _check_notifications() -> bool:
    if sys.platform == "darwin":
        print("Notifications: through osascript (macOS notifications; no buttons, the text")
        print("  says how to snooze). `nudger doctor --notify` sends a test.")
        return True
    if sys.platform == "win32":
        print("Notifications: Windows toasts with buttons (plyer's balloon if toasts fail).")
        print("  `nudger doctor --notify` sends a test.")
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
