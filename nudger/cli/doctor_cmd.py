"""`nudger doctor`: which window backend would be used here, and whether it works."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from nudger.core.translate import _

# How long `--notify` waits for a failure that a system reports after taking a notification.
LATE_FAILURE_SECONDS = 1.5


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "doctor",
        help=_("check that nudger can see your windows"),
        description=_(
            "Say which window backend nudger would use on this desktop, whether it "
            "works, and what to do if it does not."
        ),
    )
    parser.add_argument(
        "--notify",
        action="store_true",
        help=_("also send a real test notification and say whether it was delivered"),
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    windows_ok = _check_windows()
    notifications_ok = _check_notifications()
    if args.notify:
        notifications_ok = _send_test_notification() and notifications_ok
    _check_status_icon()
    browsers_ok = _check_browsers()
    if not windows_ok and browsers_ok:
        print(_("The browser companion is connected: nudger sees your pages through it, even"))
        print(_("where it cannot read the window in front."))
    return 0 if (windows_ok or browsers_ok) and notifications_ok else 1


def _check_browsers() -> bool:
    from nudger.cli.browser_cmd import print_status

    print(_("Browser companion:"))
    return print_status(indent="  ") == 0


def _send_test_notification() -> bool:
    """Send one real notification through the backend the daemon would use, and wait briefly
    for a failure reported afterwards (Windows reports some only then)."""
    from nudger.notify import Feedback, Notification, choose_notifier

    notifier = choose_notifier()
    try:
        delivery = notifier.send(
            Notification(
                _("nudger is working"),
                _("A test from nudger doctor. Nothing to do."),
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
        print(_("Test notification: delivered, through {channel}").format(channel=delivery.channel))
        return True
    problem = failed[0].problem if failed else delivery.problem
    print(
        _("Test notification: not delivered through {channel} ({problem})").format(
            channel=delivery.channel, problem=problem
        )
    )
    return False


def _check_notifications() -> bool:
    if sys.platform == "darwin":
        print(_("Notifications: through osascript (macOS notifications; no buttons, the text"))
        print(_("  says how to snooze). `nudger doctor --notify` sends a test."))
        return True
    if sys.platform == "win32":
        print(_("Notifications: Windows toasts with buttons (plyer's balloon if toasts fail)."))
        print(_("  `nudger doctor --notify` sends a test."))
        return True
    from nudger.notify.dbus import DbusNotifier

    notifier = DbusNotifier()
    server = notifier.server_name()
    notifier.close()
    if server is None:
        print(_("Notifications: no notification server answers on the D-Bus session bus"))
        print(_("  nudger still counts, records nudges as undelivered, and shows them once a"))
        print(_("  server (your desktop's, or one like dunst or mako) is running."))
        return False
    print(_("Notifications: {server}").format(server=server))
    return True


def _check_status_icon() -> None:
    """Whether the icon can show. Said, never failed on: nudger works the same without it."""
    if sys.platform == "darwin":
        print(_("Status icon: in the menu bar while nudger runs."))
        return
    if sys.platform == "win32":
        print(_("Status icon: in the notification area while nudger runs (perhaps behind the ^)."))
        return
    from nudger.tray.sni import host_present

    present = host_present()
    if present:
        print(_("Status icon: your panel has a tray (a StatusNotifierWatcher); the icon shows"))
        print(_("  there while nudger runs."))
        return
    if present is None:
        print(_("Status icon: no D-Bus session bus to ask, so no icon."))
    else:
        print(_("Status icon: no tray on this desktop (no StatusNotifierWatcher), so no icon."))
    print(_("  On GNOME, add the AppIndicator extension (Debian and Ubuntu:"))
    print(_("  gnome-shell-extension-appindicator), then log out and in again. Everything else"))
    print(_("  works without the icon: `nudger status`, `nudger pause 1h`, `nudger help-now`."))


def _check_windows() -> bool:
    from nudger import sensing
    from nudger.sensing import SensorUnavailable

    backend = sensing.detect()
    print(_("Session: {value}").format(value=backend.session or _("unknown")))
    # The reason on a line of its own: it may hold brackets of its own.
    print(_("Window backend: {name}").format(name=backend.name))
    print(_("  chosen because of: {reason}").format(reason=backend.reason.shown()))
    if sys.platform == "darwin":
        from nudger.sensing.macos import PERMISSIONS_HELP

        print(f"  {PERMISSIONS_HELP}")
    try:
        sensor = backend.open(120.0)
    except SensorUnavailable as error:
        print(_("  not working: {error}").format(error=error))
        if backend.reads_windows:
            print(
                _(
                    "  nudger keeps trying in the background: starting it before the "
                    "desktop is fine."
                )
            )
        else:
            print(
                _("  Supported: X11 desktops, sway, Hyprland, GNOME (with one extension) and KDE")
            )
            print(_("  Plasma on Wayland, macOS and Windows."))
        return False
    try:
        reading = sensor.read()
    except SensorUnavailable as error:
        print(_("  not working: {error}").format(error=error))
        return False
    finally:
        sensor.close()
    if reading.window is None:
        print(_("  working: no window is in front right now"))
    else:
        print(
            _("  working: the window in front belongs to {value}").format(
                value=reading.window.app or _("an unnamed program")
            )
        )
        print(_("  its title reads: {title!r}").format(title=reading.window.title))
        if reading.window.url:
            print(_("  its address: {url}").format(url=reading.window.url))
    print(_("  idle for {idle_seconds:.0f} s").format(idle_seconds=reading.idle_seconds))
    return True
