"""`nudger help-now`: the person's own line and people to talk to in their country."""

from __future__ import annotations

import argparse
import os
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
    parser.add_argument(
        "--open",
        action="store_true",
        help=t._("also open the list as a page in your web browser (a local file)"),
    )
    parser.set_defaults(handler=partial(run, t))


def run(t: Translator, args: argparse.Namespace) -> int:
    from nudger.cli.common import load_config_or_last_good
    from nudger.core.support import chosen_country, help_now_lines
    from nudger.settings.support import localized, support_table

    # Like pause: a typo in the settings must never stand between someone and this list.
    try:
        # Nor a promise: only the support line is read, which a promise never holds back.
        settings = load_config_or_last_good(t, args, promise=False).settings
        own_line, configured = settings.support.line, settings.support.country
    except Exception:  # noqa: BLE001 - whatever went wrong, the list still prints
        own_line, configured = "", ""
    table = support_table()
    code = chosen_country(args.country, configured, os.environ)
    country = localized(table.countries.get(code or ""), t.language)
    lines = list(help_now_lines(t, own_line, country, table, code))
    for line in lines:
        print(line)
    return _open_page(t, lines) if args.open else 0


def _open_page(t: Translator, lines: list[str]) -> int:
    """The list as a local page, opened as the report is (the status icon's menu uses this)."""
    from nudger import paths
    from nudger.cli.summary_cmd import _open_in_browser
    from nudger.report.help_page import render

    page = paths.data_dir() / "reports" / "help-now.html"
    try:
        paths.write_private_atomic(page, render(t, lines))
    except OSError as error:
        print(t._("cannot write the page to {path}: {reason}").format(path=page, reason=error))
        return 1
    problem = _open_in_browser(t, page)
    if problem is not None:
        print(
            t._("Could not open it in a web browser ({problem}); open {path} yourself.").format(
                problem=problem, path=page
            )
        )
        return 1
    return 0
