"""`nudger help-now`: the person's own line and people to talk to in their country."""

from __future__ import annotations

import argparse
from functools import partial
from typing import Any

from nudger.core.translate import Translator


def register(t: Translator, commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "help-now",
        help=t._("people to talk to, now"),
        description=t._(
            "Show your own support line (if you set one) and services you can call "
            "or text in your country. The country comes from [support] country or "
            "your locale."
        ),
    )
    parser.add_argument(
        "--country", metavar="CODE", help=t._("a two-letter country code, for example GB or DE")
    )
    parser.set_defaults(handler=partial(run, t))


def run(t: Translator, args: argparse.Namespace) -> int:
    from nudger.cli.common import load_config_or_last_good
    from nudger.core.support import help_now_lines, normal_country
    from nudger.settings.support import country_of, localized, support_table

    # Like pause: a typo in the settings must never stand between someone and this list.
    try:
        settings = load_config_or_last_good(t, args).settings
        own_line, configured = settings.support.line, settings.support.country
    except Exception:  # noqa: BLE001 - whatever went wrong, the list still prints
        own_line, configured = "", ""
    table = support_table()
    code = normal_country(args.country) if args.country else country_of(configured)
    country = localized(table.countries.get(code or ""), t.language)
    for line in help_now_lines(t, own_line, country, table, code):
        print(line)
    return 0
