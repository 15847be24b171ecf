"""`nudger plan add | list | remove`: if-then plans in the person's own words.

Plans are kept in nudger's database (0600, in the data folder) and shown in the summary and the
report, never in a notification. The core decides what may be kept (core/plans.py).
"""

from __future__ import annotations

import argparse
import sys
import time
from functools import partial
from typing import TYPE_CHECKING, Any

from nudger import paths
from nudger.cli.common import load_config_or_last_good
from nudger.core.translate import N_, Translator
from nudger.errors import UsageError

if TYPE_CHECKING:
    from nudger.store import Store

EXAMPLE = N_("If it's late and I feel lonely, then I write in my notebook.")


def register(t: Translator, commands: Any) -> None:
    plan: argparse.ArgumentParser = commands.add_parser(
        "plan",
        help=t._("if-then plans in your own words"),
        description=t._(
            "Write down what you will do when a hard moment comes, for example "
            '`nudger plan add "{example}"`. Plans show in your summary and report, '
            "never in a notification."
        ).format(example=t._(EXAMPLE)),
    )
    actions = plan.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add", help=t._("keep a new plan"), description=t._("Keep a new if-then plan.")
    )
    add.add_argument("text", nargs="+", help=t._("the plan, in your own words"))
    add.set_defaults(handler=partial(run_add, t))
    listing = actions.add_parser(
        "list", help=t._("show your plans"), description=t._("Show your plans with their numbers.")
    )
    listing.set_defaults(handler=partial(run_list, t))
    remove = actions.add_parser(
        "remove",
        help=t._("delete plans by number, or all of them"),
        description=t._(
            "Delete plans by their numbers (see `nudger plan list`), or all with --all."
        ),
    )
    remove.add_argument("ids", nargs="*", type=int, metavar="NUMBER", help=t._("a plan's number"))
    remove.add_argument("--all", action="store_true", help=t._("delete every plan"))
    remove.set_defaults(handler=partial(run_remove, t))


def _store() -> Store:
    from nudger.store import Store

    return Store.open(paths.database_file())


def run_add(t: Translator, args: argparse.Namespace) -> int:
    from nudger.core.plans import MAX_PLAN_CHARS, problem_with, tidy
    from nudger.settings.catalogue import all_rules

    text = tidy(" ".join(args.text))
    # The blocklist as last known good: a typo in the settings must not let a name through.
    settings = load_config_or_last_good(t, args).settings
    problem = problem_with(text, [rule for rule in all_rules(settings) if rule.kind == "blocklist"])
    if problem == "on_blocklist":
        print(
            t._(
                "This plan names someone or something on your blocklist, so it is not kept "
                '(plans show in your summary): try it without the name, "them" works too.'
            ),
            file=sys.stderr,
        )
        return 1
    if problem == "empty":
        raise UsageError(
            t._('a plan needs some words, like "{example}"').format(example=t._(EXAMPLE))
        )
    if problem == "too_long":
        raise UsageError(
            t._("a plan can be up to {count} characters; a short one is easier to recall").format(
                count=MAX_PLAN_CHARS
            )
        )
    store = _store()
    try:
        number = store.add_plan(text, time.time())
    finally:
        store.close()
    print(
        t._(
            "Plan {number} kept. It shows in your summary and report, never in a notification."
        ).format(number=number)
    )
    return 0


def run_list(t: Translator, args: argparse.Namespace) -> int:
    from nudger.core.printable import printable
    from nudger.store import Store

    store = Store.open_for_reading(paths.database_file())
    try:
        plans = store.plans()
    finally:
        store.close()
    if not plans:
        print(
            t._('No plans yet. `nudger plan add "{example}"` keeps one.').format(
                example=t._(EXAMPLE)
            )
        )
        return 0
    for number, text in plans:
        print(f"{number:>3}  {printable(text)}")
    return 0


def run_remove(t: Translator, args: argparse.Namespace) -> int:
    if args.all == bool(args.ids):
        raise UsageError(t._("give the numbers of the plans to delete, or --all"))
    store = _store()
    try:
        if args.all:
            removed = store.remove_plans()
            print(
                t.ngettext("Deleted {count} plan.", "Deleted {count} plans.", removed).format(
                    count=removed
                )
            )
            return 0
        known = {number for number, _text in store.plans()}
        missing = [number for number in args.ids if number not in known]
        removed = store.remove_plans([number for number in args.ids if number in known])
    finally:
        store.close()
    if removed:
        print(
            t.ngettext("Deleted {count} plan.", "Deleted {count} plans.", removed).format(
                count=removed
            )
        )
    if missing:
        print(
            t._("There is no plan {numbers}; `nudger plan list` shows them.").format(
                numbers=", ".join(str(number) for number in missing)
            ),
            file=sys.stderr,
        )
        return 1
    return 0
