"""`nudger autostart enable|disable|status`: start at login, on every OS."""

from __future__ import annotations

import argparse
from functools import partial
from typing import TYPE_CHECKING, Any

from nudger.core.translate import Translator

if TYPE_CHECKING:
    from nudger.autostart import Entry


def register(t: Translator, commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "autostart",
        help=t._("start nudger at login (or stop doing so)"),
        description=t._(
            "Start nudger when you log in. Linux: an XDG autostart entry (default) "
            "or a systemd user unit (--method systemd); macOS: a LaunchAgent; "
            "Windows: the Run key."
        ),
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    for action, text in (
        ("enable", t._("start nudger at every login")),
        ("disable", t._("stop starting nudger at login (removes exactly what enable wrote)")),
        ("status", t._("say what is installed, and where")),
    ):
        sub = actions.add_parser(action, help=text, description=text[0].upper() + text[1:] + ".")
        sub.add_argument(
            "--method", choices=("xdg", "systemd"), help=t._("on Linux: xdg (default) or systemd")
        )
        sub.set_defaults(handler=partial(run, t), autostart_action=action)


def run(t: Translator, args: argparse.Namespace) -> int:
    from nudger.autostart import daemon_command, method_for, methods_for

    if args.autostart_action == "enable":
        method = method_for(args.method)
        elsewhere = [
            entry
            for other in methods_for()
            if other.name != method.name and (entry := other.status()) is not None and entry.ours
        ]
        if elsewhere:
            entry = elsewhere[0]
            print(
                t._("nudger already starts at login ({method}): {location}").format(
                    method=entry.method, location=entry.location
                )
            )
            print(t._("  Nothing was added, so it will not start twice. To switch, run"))
            print(t._("  `nudger autostart disable`, then enable it with the method you want."))
            return 1
        return _enable(t, method.enable(daemon_command()))
    # Without --method, look wherever an entry may be: one made with --method must be found.
    methods = [method_for(args.method)] if args.method else methods_for()
    if args.autostart_action == "disable":
        from nudger.cli.promise_cmd import ask_to_wait

        if ask_to_wait(t, args, "autostart_off"):  # a promise runs: this waits its cool-off
            return 0
        return _disable(t, [(m.disable(), m.status()) for m in methods])
    return _status(t, [m.name for m in methods], [e for m in methods if (e := m.status())])


def _enable(t: Translator, entry: Entry) -> int:
    print(
        t._("nudger will start at login ({method}): {location}").format(
            method=entry.method, location=entry.location
        )
    )
    print(t._("  runs: {join}").format(join=" ".join(entry.command)))
    return 0


def _disable(t: Translator, results: list[tuple[list[str], Entry | None]]) -> int:
    removed = [location for locations, _ in results for location in locations]
    for location in removed:
        print(t._("Removed {location}").format(location=location))
    if removed:
        return 0
    left = [entry for _, entry in results if entry is not None]
    for entry in left:
        print(
            t._("Left {location} alone: it was not written by `nudger autostart enable`.").format(
                location=entry.location
            )
        )
    if not left:
        print(t._("nudger was not set to start at login."))
    return 0


def _status(t: Translator, looked: list[str], entries: list[Entry]) -> int:
    if not entries:
        how = ", ".join(looked)  # method names (xdg, systemd, launchd, run-key): not words
        print(
            t._(
                "nudger does not start at login ({how}). Turn it on: nudger autostart enable"
            ).format(how=how)
        )
        return 1
    for entry in entries:
        owner = "" if entry.ours else t._(" (not written by nudger)")
        print(
            t._("nudger starts at login ({method}){owner}: {location}").format(
                method=entry.method, owner=owner, location=entry.location
            )
        )
        print(t._("  runs: {join}").format(join=" ".join(entry.command)))
    if len(entries) > 1:
        print(t._("It is set up more than once; `nudger autostart disable` removes every one."))
    return 0
