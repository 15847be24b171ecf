"""The `nudger` command: argument parsing and dispatch. The work happens in the modules it calls."""

from __future__ import annotations

import argparse
import difflib
import logging
import sys
from collections.abc import Sequence

from nudger import __version__
from nudger.cli import (
    autostart_cmd,
    block_cmd,
    browser_cmd,
    completion_cmd,
    config_cmd,
    devices_cmd,
    doctor_cmd,
    guard_cmd,
    help_now_cmd,
    pause_cmd,
    plan_cmd,
    promise_cmd,
    run_cmd,
    status_cmd,
    summary_cmd,
)
from nudger.cli.argparse_words import WordsParser, in_words, parser_class
from nudger.core.printable import printable
from nudger.core.translate import Translator
from nudger.errors import NudgerError
from nudger.shell.instance import AlreadyRunning

_COMMANDS = (
    run_cmd,
    status_cmd,
    summary_cmd,
    block_cmd,
    pause_cmd,
    plan_cmd,
    guard_cmd,
    promise_cmd,
    help_now_cmd,
    config_cmd,
    autostart_cmd,
    browser_cmd,
    devices_cmd,
    doctor_cmd,
    completion_cmd,
)


class _Parser(WordsParser):
    """argparse in the person's language, plus the closest command when one is mistyped
    (`nudger summry`)."""

    def _check_value(self, action: argparse.Action, value: object) -> None:
        # Here rather than in error(): the action's choices are known here.
        try:
            super()._check_value(action, value)
        except argparse.ArgumentError as error:
            choices = [str(choice) for choice in action.choices or ()]
            close = difflib.get_close_matches(str(value), choices, n=1)
            if not close:
                raise
            message = self.translator._("{message}; did you mean {close!r}?").format(
                message=in_words(self.translator, error.message), close=close[0]
            )
            raise argparse.ArgumentError(action, message) from None


def build_parser(t: Translator) -> argparse.ArgumentParser:
    parser = parser_class(_Parser, t)(
        prog="nudger",
        description=(
            t._(
                "A small, private companion for stepping back from social media. It "
                "notices the sites and pages you listed, counts the time, and now and "
                "then suggests something kinder."
            )
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"nudger {__version__}",
        help=t._("show nudger's version and exit"),
    )
    parser.add_argument(
        "--config",
        metavar="PATH",
        help=t._("use this settings file instead of the usual one (same as NUDGER_CONFIG)"),
    )
    # `nudger completion` writes its script from this very parser.
    parser.set_defaults(root_parser=parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _COMMANDS:
        module.register(t, commands)
    return parser


def _configured_language(argv: Sequence[str]) -> str:
    """[ui] language from the settings file, read before the parser exists (its help is in
    that language). A glance, not a load: a broken file simply says nothing here."""
    import os
    import tomllib
    from pathlib import Path

    from nudger.paths import read_regular_file, user_config_file

    path: Path | None = None
    for index, arg in enumerate(argv):
        if arg == "--config" and index + 1 < len(argv):
            path = Path(argv[index + 1]).expanduser()
        elif arg.startswith("--config="):
            path = Path(arg.partition("=")[2]).expanduser()
    path = path or user_config_file()
    try:
        # The loader's careful read: a FIFO or a device is refused, never waited on.
        language = tomllib.loads(read_regular_file(path).decode("utf-8")).get("ui", {})["language"]
    except Exception:  # noqa: BLE001 - a glance: whatever is wrong, the loader will say it properly
        language = ""
    return os.environ.get("NUDGER_UI__LANGUAGE") or (language if isinstance(language, str) else "")


def main(argv: Sequence[str] | None = None) -> int:
    from nudger.shell import i18n

    t = i18n.translator_for(_configured_language(list(sys.argv[1:] if argv is None else argv)))
    parser = build_parser(t)
    args = parser.parse_args(argv)
    if args.command is None:  # a bare `nudger`: say what it can do
        parser.print_help()
        return 0
    # Warnings from the machinery (a time zone it cannot read, say) as one plain line each, in
    # the person's language; `nudger run` sets up its own logging.
    from nudger.shell import logs

    logging.basicConfig(level=logging.WARNING, handlers=[logs.plain_stderr(t)])
    try:
        code: int = args.handler(args)
    except AlreadyRunning as error:
        print(t._("nudger: {error}").format(error=error.said.in_language(t)), file=sys.stderr)
        return 1
    except NudgerError as error:
        # One line, whatever a settings file or a window put into the message.
        print(
            t._("nudger: {printable}").format(printable=printable(error.in_language(t))),
            file=sys.stderr,
        )
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `nudger summary | head` closing early is not an error
        return 0
    return code
