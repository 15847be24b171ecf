"""`nudger guard forget`: delete what the guard noted and the answers given on the pause page.

The guard's notes (when nudger or its companion was not watching, a loosening, a clock set) and
the taps ("How are you right now?") are the person's to keep or to clear, at once and all of
them. Visits, nudges and plans are left as they are (`nudger plan remove --all` clears plans).
"""

from __future__ import annotations

import argparse
from functools import partial
from typing import Any

from nudger import paths
from nudger.core.translate import Translator


def register(t: Translator, commands: Any) -> None:
    guard: argparse.ArgumentParser = commands.add_parser(
        "guard",
        help=t._("what nudger noticed while it was not watching, and how you felt"),
        description=t._(
            "nudger notes when it was not watching while the computer was in use, and keeps "
            'your answers to "How are you right now?" on the pause page. They show in your '
            "summary, and privacy.keep_days removes them with your old visits."
        ),
    )
    actions = guard.add_subparsers(dest="action", metavar="ACTION", required=True)
    forget = actions.add_parser(
        "forget",
        help=t._("delete the guard's notes and your answers on the pause page"),
        description=t._(
            "Delete every note of the guard's and every answer you gave on the pause page, "
            "now. Your visits and your plans stay."
        ),
    )
    forget.set_defaults(handler=partial(run_forget, t))


def run_forget(t: Translator, args: argparse.Namespace) -> int:
    from nudger.store import Store

    store = Store.open(paths.database_file())
    try:
        store.forget_notes()
    finally:
        store.close()
    print(
        t._(
            "Deleted the guard's notes and your answers on the pause page. Your visits and "
            "plans stay."
        )
    )
    return 0
