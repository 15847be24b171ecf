"""`nudger doctor`: which window backend would be used here, and whether it works."""

from __future__ import annotations

import argparse
import sys
import time
from functools import partial
from typing import Any

from nudger.core.translate import Said, Translator

# How long `--notify` waits for a failure that a system reports after taking a notification.
LATE_FAILURE_SECONDS = 1.5


def register(t: Translator, commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "doctor",
        help=t._("check that nudger can see your windows"),
        description=t._(
            "Say which window backend nudger would use on this desktop, whether it "
            "works, and what to do if it does not."
        ),
    )
    parser.add_argument(
        "--notify",
        action="store_true",
        help=t._("also send a real test notification and say whether it was delivered"),
    )
    parser.set_defaults(handler=partial(run, t))


def run(t: Translator, args: argparse.Namespace) -> int:
    windows_ok = _check_windows(t)
    notifications_ok = _check_notifications(t)
    if args.notify:
        notifications_ok = _send_test_notification(t) and notifications_ok
    _check_status_icon(t)
    browsers_ok = _check_browsers(t)
    _check_promise(t, args)
    if not windows_ok and browsers_ok:
        print(t._("The browser companion is connected: nudger sees your pages through it, even"))
        print(t._("where it cannot read the window in front."))
    return 0 if (windows_ok or browsers_ok) and notifications_ok else 1


def _check_promise(t: Translator, args: argparse.Namespace) -> None:
    """A promise's state that was damaged (and is now a request to end) is said here too."""
    from nudger.cli.promise_cmd import damage_said, keeper_for

    try:
        promise, _repaired = keeper_for(args).current(time.time())
    except OSError:
        return
    if promise is not None and promise.from_damage:
        print(damage_said(t))


def _check_browsers(t: Translator) -> bool:
    from nudger.cli.browser_cmd import print_status

    print(t._("Browser companion:"))
    return print_status(t, indent="  ") == 0


def _send_test_notification(t: Translator) -> bool:
    """Send one real notification through the backend the daemon would use, and wait briefly
    for a failure reported afterwards (Windows reports some only then)."""
    from nudger.notify import Feedback, Notification, choose_notifier

    notifier = choose_notifier()
    try:
        delivery = notifier.send(
            Notification(
                t._("nudger is working"),
                t._("A test from nudger doctor. Nothing to do."),
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
        print(
            t._("Test notification: delivered, through {channel}").format(channel=delivery.channel)
        )
        return True
    problem = failed[0].problem if failed else delivery.problem
    print(
        t._("Test notification: not delivered through {channel} ({problem})").format(
            channel=delivery.channel,
            problem=problem.in_language(t) if isinstance(problem, Said) else problem,
        )
    )
    return False


def _check_notifications(t: Translator) -> bool:
    if sys.platform == "darwin":
        print(t._("Notifications: through osascript (macOS notifications; no buttons, the text"))
        print(t._("  says how to snooze). `nudger doctor --notify` sends a test."))
        return True
    if sys.platform == "win32":
        print(t._("Notifications: Windows toasts with buttons (plyer's balloon if toasts fail)."))
        print(t._("  `nudger doctor --notify` sends a test."))
        return True
    from nudger.notify.dbus import DbusNotifier

    notifier = DbusNotifier()
    server = notifier.server_name()
    notifier.close()
    if server is None:
        print(t._("Notifications: no notification server answers on the D-Bus session bus"))
        print(t._("  nudger still counts, records nudges as undelivered, and shows them once a"))
        print(t._("  server (your desktop's, or one like dunst or mako) is running."))
        return False
    print(t._("Notifications: {server}").format(server=server))
    return True


def _check_status_icon(t: Translator) -> None:
    """Whether the icon can show. Said, never failed on: nudger works the same without it."""
    if sys.platform == "darwin":
        print(t._("Status icon: in the menu bar while nudger runs."))
        return
    if sys.platform == "win32":
        print(
            t._("Status icon: in the notification area while nudger runs (perhaps behind the ^).")
        )
        return
    from nudger.tray.sni import host_present

    present = host_present()
    if present:
        print(t._("Status icon: your panel has a tray (a StatusNotifierWatcher); the icon shows"))
        print(t._("  there while nudger runs."))
        return
    if present is None:
        print(t._("Status icon: no D-Bus session bus to ask, so no icon."))
    else:
        print(t._("Status icon: no tray on this desktop (no StatusNotifierWatcher), so no icon."))
    print(t._("  On GNOME, add the AppIndicator extension (Debian and Ubuntu:"))
    print(t._("  gnome-shell-extension-appindicator), then log out and in again. Everything else"))
    print(t._("  works without the icon: `nudger status`, `nudger pause 1h`, `nudger help-now`."))


def _check_windows(t: Translator) -> bool:
    from nudger import sensing
    from nudger.sensing import SensorUnavailable

    backend = sensing.detect()
    # sensing says "unknown" when no session type is set: a word for the person, not a name.
    session = backend.session if backend.session not in {"", "unknown"} else t._("unknown")
    print(t._("Session: {value}").format(value=session))
    # The reason on a line of its own: it may hold brackets of its own.
    print(t._("Window backend: {name}").format(name=backend.name))
    print(t._("  chosen because of: {reason}").format(reason=backend.reason.in_language(t)))
    if sys.platform == "darwin":
        from nudger.sensing.macos import PERMISSIONS_HELP

        print(f"  {PERMISSIONS_HELP.in_language(t)}")
    try:
        sensor = backend.open(120.0)
    except SensorUnavailable as error:
        print(t._("  not working: {error}").format(error=error.in_language(t)))
        if backend.reads_windows:
            print(
                t._(
                    "  nudger keeps trying in the background: starting it before the "
                    "desktop is fine."
                )
            )
        else:
            print(
                t._("  Supported: X11 desktops, sway, Hyprland, GNOME (with one extension) and KDE")
            )
            print(t._("  Plasma on Wayland, macOS and Windows."))
        return False
    try:
        reading = sensor.read()
    except SensorUnavailable as error:
        print(t._("  not working: {error}").format(error=error.in_language(t)))
        return False
    finally:
        sensor.close()
    if reading.window is None:
        print(t._("  working: no window is in front right now"))
    else:
        print(
            t._("  working: the window in front belongs to {value}").format(
                value=reading.window.app or t._("an unnamed program")
            )
        )
        print(t._("  its title reads: {title!r}").format(title=reading.window.title))
        if reading.window.url:
            print(t._("  its address: {url}").format(url=reading.window.url))
    print(t._("  idle for {idle_seconds:.0f} s").format(idle_seconds=reading.idle_seconds))
    return True
