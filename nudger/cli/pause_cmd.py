"""`nudger pause` and `nudger resume`: rest from nudges for a while. Counting goes on."""

from __future__ import annotations

import argparse
import datetime as dt
import time
from functools import partial
from typing import Any

from nudger import paths
from nudger.cli.common import load_config_or_last_good
from nudger.core.translate import Translator
from nudger.errors import UsageError
from nudger.shell.pause import Pause, PauseFile, next_clock_time, parse_duration, until_text


def register(t: Translator, commands: Any) -> None:
    pause: argparse.ArgumentParser = commands.add_parser(
        "pause",
        help=t._("no nudges for a while (counting goes on)"),
        description=t._(
            "Pause nudges for a while, for example `nudger pause 1h` or `nudger "
            "pause --until 18:00`. The running daemon notices within a second, and "
            "the pause survives a restart. Visits are still counted."
        ),
    )
    pause.add_argument("duration", nargs="?", help=t._("how long: 1h, 30m, 1h30m, 2d (default 1h)"))
    pause.add_argument("--until", metavar="HH:MM", help=t._("pause until this time of day instead"))
    pause.set_defaults(handler=partial(run_pause, t))

    resume: argparse.ArgumentParser = commands.add_parser(
        "resume",
        help=t._("end a pause"),
        description=t._("End a pause or snooze: nudges may come again."),
    )
    resume.set_defaults(handler=partial(run_resume, t))


def run_pause(t: Translator, args: argparse.Namespace) -> int:
    from nudger.settings.values import timezone_of

    # Only the time zone comes from the settings: a typo in the file must never stop a pause.
    settings = load_config_or_last_good(t, args).settings
    now = time.time()
    if args.until and args.duration:
        raise UsageError(t._("give either a duration or --until, not both"))
    if args.until:
        try:
            clock = dt.time.fromisoformat(args.until)
        except ValueError:
            raise UsageError(
                t._("--until {until!r} is not a time like 18:00").format(until=args.until)
            ) from None
        local_now = dt.datetime.fromtimestamp(now, timezone_of(settings))
        until = next_clock_time(clock, local_now).timestamp()
    else:
        try:
            until = now + parse_duration(t, args.duration or "1h").total_seconds()
        except ValueError as error:
            raise UsageError(str(error)) from None
    from nudger.cli.promise_cmd import ask_pause

    if ask_pause(t, args, until - now):  # a promise runs: the pause waits its cool-off
        return 0
    PauseFile(paths.data_dir()).set(Pause(until=until, set_at=now))
    shown = until_text(t, until, now, timezone_of(settings))
    print(
        t._(
            "Nudges paused until {shown}. Visits are still counted. `nudger resume` ends the pause."
        ).format(shown=shown)
    )
    return 0


def run_resume(t: Translator, _args: argparse.Namespace) -> int:
    # No settings needed, so none are read: a broken file must never keep the nudges paused.
    if PauseFile(paths.data_dir()).clear():
        print(t._("Nudges are back on."))
    else:
        print(t._("Nudges were not paused."))
    return 0
