"""The `nudger` command: argument parsing and dispatch. The work happens in the modules it calls."""

from __future__ import annotations

import argparse
import difflib
import logging
import re
import sys
from collections.abc import Sequence
from typing import NoReturn

from nudger import __version__
from nudger.cli import (
    autostart_cmd,
    block_cmd,
    browser_cmd,
    config_cmd,
    doctor_cmd,
    help_now_cmd,
    pause_cmd,
    run_cmd,
    status_cmd,
    summary_cmd,
)
from nudger.core.printable import printable
from nudger.errors import NudgerError
from nudger.instance import AlreadyRunning

_COMMANDS = (
    run_cmd,
    status_cmd,
    summary_cmd,
    block_cmd,
    pause_cmd,
    help_now_cmd,
    config_cmd,
    autostart_cmd,
    browser_cmd,
    doctor_cmd,
)


class _Parser(argparse.ArgumentParser):
    """argparse, plus the closest command when one is mistyped (`nudger summry`)."""

    def error(self, message: str) -> NoReturn:
        typo = re.search(r"invalid choice: '?([^' ]*)'? \(choose from (.*)\)", message)
        if typo:
            choices = re.findall(r"'?([\w-]+)'?", typo.group(2))
            close = difflib.get_close_matches(typo.group(1), choices, n=1)
            if close:
                message += f"; did you mean {close[0]!r}?"
        super().error(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="nudger",
        description=(
            "A small, private companion for stepping back from social media. It notices the "
            "sites and pages you listed, counts the time, and now and then suggests something "
            "kinder."
        ),
    )
    parser.add_argument("--version", action="version", version=f"nudger {__version__}")
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="use this settings file instead of the usual one (same as NUDGER_CONFIG)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _COMMANDS:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:  # a bare `nudger`: say what it can do
        parser.print_help()
        return 0
    # Warnings from the machinery (a time zone it cannot read, say) as one plain line each;
    # `nudger run` sets up its own logging.
    logging.basicConfig(format="nudger: %(message)s", level=logging.WARNING)
    try:
        code: int = args.handler(args)
    except AlreadyRunning as error:
        print(f"nudger: {error}", file=sys.stderr)
        return 1
    except NudgerError as error:
        # One line, whatever a settings file or a window put into the message.
        print(f"nudger: {printable(str(error))}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `nudger summary | head` closing early is not an error
        return 0
    return code
