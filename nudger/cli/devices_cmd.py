"""`nudger devices`: one summary across the person's computers, through a folder they sync."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys
from functools import partial
from pathlib import Path
from typing import Any

from nudger import paths
from nudger.core.printable import printable
from nudger.core.translate import N_, Said, Translator
from nudger.errors import NudgerError, UsageError

PASSPHRASE_VARIABLE = "NUDGER_DEVICES_PASSPHRASE"  # noqa: S105 - its name, not its value


def register(t: Translator, commands: Any) -> None:
    devices: argparse.ArgumentParser = commands.add_parser(
        "devices",
        help=t._("one summary across your computers, through a folder you sync"),
        description=t._(
            "Share your days between your computers through a folder that a sync tool "
            "(Syncthing, say) keeps the same on each. Each computer writes only its own "
            "file there; names of blocklist entries are never written in the clear."
        ),
    )
    actions = devices.add_subparsers(dest="devices_action", metavar="ACTION", required=True)
    folder = actions.add_parser(
        "folder",
        help=t._("share through this folder (or stop with --off)"),
        description=t._(
            "Share through this folder. Asks for a passphrase (or reads "
            "NUDGER_DEVICES_PASSPHRASE): use the same one on every computer."
        ),
    )
    folder.add_argument("path", nargs="?", type=Path, metavar="PATH", help=t._("the synced folder"))
    folder.add_argument("--name", help=t._("this computer's name (default: a friendly random one)"))
    folder.add_argument("--off", action="store_true", help=t._("stop sharing from this computer"))
    folder.set_defaults(handler=partial(run_folder, t))
    listing = actions.add_parser("list", help=t._("show the devices and when each last changed"))
    listing.set_defaults(handler=partial(run_list, t))
    forget = actions.add_parser(
        "forget",
        help=t._("remove a device's file from the folder"),
        description=t._(
            "Remove a device's file from the folder. It is not counted again unless that "
            "device writes anew."
        ),
    )
    forget.add_argument("name", metavar="NAME", help=t._("the device's name or id"))
    forget.set_defaults(handler=partial(run_forget, t))
    write = actions.add_parser("write", help=t._("write this computer's file into the folder now"))
    write.set_defaults(handler=partial(run_write, t))


def _passphrase(t: Translator) -> str:
    given = os.environ.get(PASSPHRASE_VARIABLE)
    if given:
        return given
    if not sys.stdin.isatty():
        raise UsageError(
            t._("no passphrase: type it at a terminal, or set {variable}").format(
                variable=PASSPHRASE_VARIABLE
            )
        )
    return getpass.getpass(t._("Passphrase for the shared folder (the same on every computer): "))


def run_folder(t: Translator, args: argparse.Namespace) -> int:
    from nudger.devices import setup

    data = paths.data_dir()
    if args.off:
        if args.path is not None:
            raise UsageError(t._("give either a folder or --off, not both"))
        if setup.turn_off(data):
            print(t._("This computer no longer shares its days. Its file stays in the folder"))
            print(t._("until you remove it with `nudger devices forget`."))
        else:
            print(t._("No shared folder was set."))
        return 0
    if args.path is None:
        raise UsageError(t._("say which folder, or --off"))
    paths.ensure_private_dir(data)
    device = setup.turn_on(data, args.path, _passphrase(t), args.name)
    _write_now(data, force=True)
    print(
        t._("This computer shares its days as {name} through {folder}.").format(
            name=printable(device.name), folder=printable(str(device.folder))
        )
    )
    return 0


def _write_now(data: Path, *, force: bool = False) -> bool:
    from nudger.devices import setup
    from nudger.shell.devices import Sharing
    from nudger.store import Store

    store = Store.open_for_reading(paths.database_file())
    sharing = Sharing(data)
    try:
        written = sharing.write(store, force=force)
    finally:
        store.close()
    if sharing.problem is not None:
        device = setup.load(data)
        raise NudgerError(
            Said(
                N_("cannot write this computer's file into {folder}: {problem}"),
                {"folder": device.folder if device else data, "problem": sharing.problem},
            )
        )
    return written


def run_write(t: Translator, args: argparse.Namespace) -> int:
    from nudger.devices import setup

    del args
    data = paths.data_dir()
    if setup.load(data) is None:
        print(t._("No shared folder is set; set one with `nudger devices folder PATH`."))
        return 1
    if _write_now(data):
        print(t._("This computer's file is written."))
    else:
        print(t._("Nothing changed since this computer's file was last written."))
    return 0


def run_list(t: Translator, args: argparse.Namespace) -> int:
    from nudger.devices import files, setup

    del args
    device = setup.load(paths.data_dir())
    if device is None:
        print(t._("No shared folder is set; set one with `nudger devices folder PATH`."))
        return 0
    view = files.read_folder(device.folder, device.id)
    print(t._("Shared folder: {folder}").format(folder=printable(str(device.folder))))
    print(
        t._("  {name} (this computer), last change {when}").format(
            name=printable(device.name), when=_when(t, view.own_last_change)
        )
    )
    for other in sorted(view.devices, key=lambda d: d.name):
        print(
            t._("  {name}, last change {when}").format(
                name=printable(other.name), when=_when(t, other.last_change)
            )
        )
    for skipped in view.skipped:
        print(_skipped_line(t, skipped))
    return 0


def _skipped_line(t: Translator, skipped: Any) -> str:
    return t._("Skipped {file} in the shared folder: {reason}.").format(
        file=printable(skipped.file), reason=printable(t.say(skipped.reason))
    )


def skipped_lines(t: Translator) -> list[str]:
    """One line per file in the folder that is skipped, for `nudger status`."""
    from nudger.devices import files, setup

    device = setup.load(paths.data_dir())
    if device is None:
        return []
    view = files.read_folder(device.folder, device.id)
    return [_skipped_line(t, skipped) for skipped in view.skipped]


def _when(t: Translator, at: float | None) -> str:
    if at is None:
        return t._("not yet written")
    return f"{dt.datetime.fromtimestamp(at).astimezone():%Y-%m-%d %H:%M}"


def run_forget(t: Translator, args: argparse.Namespace) -> int:
    from nudger.devices import files, setup

    device = setup.load(paths.data_dir())
    if device is None:
        print(t._("No shared folder is set; set one with `nudger devices folder PATH`."))
        return 1
    if args.name in (device.name, device.id):
        raise UsageError(
            t._("that is this computer; to stop sharing from it, use `nudger devices folder --off`")
        )
    view = files.read_folder(device.folder, device.id)
    chosen = [d for d in view.devices if args.name in (d.name, d.id)]
    if not chosen:
        print(t._("No device called {name} in the folder.").format(name=printable(args.name)))
        return 1
    if len(chosen) > 1:
        raise UsageError(t._("more than one device has that name; give its id instead"))
    files.forget(device.folder, chosen[0])
    print(t._("Forgot {name}: its file is gone from the folder.").format(name=printable(args.name)))
    return 0
