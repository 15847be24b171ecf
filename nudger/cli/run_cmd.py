"""`nudger run`: the daemon, in the foreground."""

from __future__ import annotations

import argparse
import sys
import time
from functools import partial
from typing import Any

from nudger.cli.common import user_file
from nudger.core.translate import Translator


def register(t: Translator, commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "run",
        help=t._("watch and nudge, in the foreground (this is what starts at login)"),
        description=t._(
            "Run nudger in the foreground until Ctrl-C or SIGTERM. Visits in "
            "progress are saved on the way out."
        ),
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help=t._("log every detail to stderr")
    )
    parser.set_defaults(handler=partial(run, t))


def run(t: Translator, args: argparse.Namespace) -> int:
    # The daemon never opens a network connection, so it does not even load the TLS module:
    # an `import ssl` anywhere in it fails, and libssl is never mapped into the process.
    # (It is also 4 MB lighter: pydantic-settings imports asyncio, which imports ssl if it can.)
    if "ssl" not in sys.modules:
        sys.modules["ssl"] = None  # type: ignore[assignment]  # None blocks an import by design
    from nudger.shell import lean_scheduler
    from nudger.shell.signals import SignalInbox

    # Before anything slow: a SIGTERM or SIGHUP during start-up then waits its turn instead of
    # killing the process half-started.
    signals = SignalInbox()
    try:
        # First of the daemon's imports: APScheduler without asyncio and multiprocessing (10 MB).
        lean_scheduler.import_apscheduler()
        from nudger import paths
        from nudger.shell import logs
        from nudger.shell.daemon import Daemon
        from nudger.shell.loading import Ask, load_apart

        # Checked in a child process: pydantic never stays in the daemon (shell/loading.py).
        ask = Ask(user_file(args), paths.data_dir(), time.time(), remember=True, promise=False)
        answer = load_apart(ask)
        if answer.problem is not None:
            raise answer.problem
        config = answer.config
        assert config is not None  # strict: the settings, or the problem with them
        # In the command's language until the daemon has chosen its own (the same, from the
        # same settings) and hands it to the log.
        logs.configure(verbose=args.verbose, log_dir=paths.log_dir(), translator=t)
        return Daemon(config, signals=signals).run()
    finally:
        signals.close()
