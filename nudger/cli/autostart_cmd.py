"""`nudger autostart enable|disable|status`: start at login, on every OS."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nudger.autostart import Entry


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "autostart",
        help="start nudger at login (or stop doing so)",
        description="Start nudger when you log in. Linux: an XDG autostart entry (default) or a "
        "systemd user unit (--method systemd); macOS: a LaunchAgent; Windows: the Run key.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    for action, text in (
        ("enable", "start nudger at every login"),
        ("disable", "stop starting nudger at login (removes exactly what enable wrote)"),
        ("status", "say what is installed, and where"),
    ):
        sub = actions.add_parser(action, help=text, description=text[0].upper() + text[1:] + ".")
        sub.add_argument(
            "--method", choices=("xdg", "systemd"), help="on Linux: xdg (default) or systemd"
        )
        sub.set_defaults(handler=run, autostart_action=action)


def run(args: argparse.Namespace) -> int:
    from nudger.autostart import daemon_command, method_for

    method = method_for(args.method)
    if args.autostart_action == "enable":
        return _enable(method.enable(daemon_command()))
    if args.autostart_action == "disable":
        return _disable(method.disable(), method.status())
    return _status(method.name, method.status())


def _enable(entry: Entry) -> int:
    print(f"nudger will start at login ({entry.method}): {entry.location}")
    print(f"  runs: {' '.join(entry.command)}")
    return 0


def _disable(removed: list[str], left: Entry | None) -> int:
    for location in removed:
        print(f"Removed {location}")
    if removed:
        return 0
    if left is not None:
        print(f"Left {left.location} alone: it was not written by `nudger autostart enable`.")
    else:
        print("nudger was not set to start at login with this method.")
    return 0


def _status(method: str, entry: Entry | None) -> int:
    if entry is None:
        print(f"nudger does not start at login ({method}). Turn it on: nudger autostart enable")
        return 1
    owner = "" if entry.ours else " (not written by nudger)"
    print(f"nudger starts at login ({entry.method}){owner}: {entry.location}")
    print(f"  runs: {' '.join(entry.command)}")
    return 0
