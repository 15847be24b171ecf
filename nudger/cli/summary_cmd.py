"""`nudger summary`: how the day went."""

from __future__ import annotations

import argparse
import datetime as dt
import time
from typing import Any

from nudger import paths
from nudger.cli.common import load_config
from nudger.days import LocalDays
from nudger.history import day_summary
from nudger.report import json_report
from nudger.settings import timezone_of
from nudger.store import Store


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "summary",
        help="show how a day went",
        description="Show the time on social sites and blocklist pages for one day.",
    )
    parser.add_argument(
        "--date", type=_date, metavar="YYYY-MM-DD", help="the day to show (default: today)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON for other programs")
    parser.set_defaults(handler=run)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-27") from None


def run(args: argparse.Namespace) -> int:
    settings = load_config(args).settings
    days = LocalDays(timezone_of(settings), settings.summary.day_starts_at)
    day = args.date or days.day_of(time.time())
    store = Store.open(paths.database_file())
    try:
        summary = day_summary(store, days, day)
    finally:
        store.close()
    document = json_report.day_document(summary)
    if args.json:
        print(json_report.dumps(document))
    else:
        print(f"{day.isoformat()}: {round(summary.total_seconds / 60)} min in all")
        for target in summary.targets:
            minutes = round(target.seconds / 60)
            print(f"  {target.name:<20} {target.kind:<9} {minutes:>4} min  {target.visits} visits")
    return 0
