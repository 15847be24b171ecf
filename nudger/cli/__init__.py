"""The `nudger` command: argument parsing and dispatch. The work happens in the modules it calls."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from nudger import __version__
from nudger.cli import (
    autostart_cmd,
    block_cmd,
    config_cmd,
    doctor_cmd,
    pause_cmd,
    run_cmd,
    status_cmd,
    summary_cmd,
)
from nudger.errors import NudgerError
from nudger.instance import AlreadyRunning

_COMMANDS = (
    run_cmd,
    status_cmd,
    summary_cmd,
    block_cmd,
    pause_cmd,
    config_cmd,
    autostart_cmd,
    doctor_cmd,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
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
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in _COMMANDS:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
    except AlreadyRunning as error:
        print(f"nudger: {error}", file=sys.stderr)
        return 1
    except NudgerError as error:
        print(f"nudger: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `nudger summary | head` closing early is not an error
        return 0
    return code
