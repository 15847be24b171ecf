"""`nudger config ...`: check the settings and say where they come from."""

from __future__ import annotations

import argparse
from typing import Any

from nudger.catalogue import builtin_sites
from nudger.cli.common import load_config


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "config", help="check the settings", description="Check nudger's settings."
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check",
        help="read every settings file and report problems",
        description="Read the built-in defaults, your settings file and NUDGER_* variables. "
        "Prints the files read; on a problem, names the file, the field and the reason, "
        "and exits with code 2.",
    )
    check.set_defaults(handler=check_config)


def check_config(args: argparse.Namespace) -> int:
    loaded = load_config(args)
    builtin_sites()  # the catalogue is part of the configuration too
    print("Settings are fine. Read, in order:")
    for source in loaded.files_read:
        print(f"  {source}")
    if not loaded.user_file.exists():
        print(f"  (no settings file of your own at {loaded.user_file})")
    for key in loaded.env_keys:
        print(f"  environment variable {key}")
    settings = loaded.settings
    print(f"{len(settings.blocklist)} blocklist entries, {len(settings.sites)} sites of your own.")
    return 0
