"""`nudger summary` and `nudger report`: how the day (or the week, or the month) went."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nudger import paths
from nudger.cli.common import load_config_or_last_good
from nudger.core.translate import Translator

if TYPE_CHECKING:
    from nudger.shell.reporting import Reporting
    from nudger.store import Store

WEEK_DAYS = 7
OPENER_WAIT_SECONDS = 5.0


def register(t: Translator, commands: Any) -> None:
    summary: argparse.ArgumentParser = commands.add_parser(
        "summary",
        help=t._("show how a day or a week went"),
        description=t._(
            "Show the time on social sites and blocklist pages: one day (default, "
            "today), or a week with --week. --json prints the same for other "
            "programs; --html writes a report with charts."
        ),
    )
    when = summary.add_mutually_exclusive_group()
    when.add_argument(
        "--date",
        type=partial(_date, t),
        metavar="YYYY-MM-DD",
        help=t._("the day to show (default: today)"),
    )
    when.add_argument("--yesterday", action="store_true", help=t._("show yesterday"))
    summary.add_argument("--week", action="store_true", help=t._("the 7 days ending on that day"))
    summary.add_argument("--json", action="store_true", help=t._("print JSON for other programs"))
    summary.add_argument(
        "--html", type=Path, metavar="PATH", help=t._("also write the HTML report (30 days) here")
    )
    summary.add_argument(
        "--this-device",
        action="store_true",
        help=t._("count this computer alone, not every device in the synced folder"),
    )
    summary.set_defaults(handler=partial(run_summary, t))

    report: argparse.ArgumentParser = commands.add_parser(
        "report",
        help=t._("write the HTML report with charts, and open it"),
        description=t._(
            "Write a self-contained HTML report of the last 30 days (charts "
            "included, nothing loaded from the network) and print where it is."
        ),
    )
    report.add_argument(
        "--date",
        type=partial(_date, t),
        metavar="YYYY-MM-DD",
        help=t._("the last day shown (default: today)"),
    )
    report.add_argument("--output", type=Path, metavar="PATH", help=t._("where to write it"))
    report.add_argument("--open", action="store_true", help=t._("open it in your web browser"))
    report.add_argument(
        "--this-device",
        action="store_true",
        help=t._("count this computer alone, not every device in the synced folder"),
    )
    report.set_defaults(handler=partial(run_report, t))


# Days whose weeks and months can still be counted in local time on every platform.
EARLIEST_DATE, LATEST_DATE = dt.date(1971, 1, 1), dt.date(9998, 12, 31)


def _date(t: Translator, value: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            t._("{value!r} is not a date like 2026-11-27").format(value=value)
        ) from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise argparse.ArgumentTypeError(
            t._("{value} is not a date between 1971 and 9998").format(value=value)
        )
    return day


def _open(t: Translator, args: argparse.Namespace) -> tuple[Reporting, Store]:
    from nudger.shell import devices
    from nudger.shell.reporting import Reporting
    from nudger.store import Store

    # A summary never waits for a promise: it reads, and the days and names are never held back.
    settings = load_config_or_last_good(t, args, promise=False).settings
    store = Store.open_for_reading(paths.database_file())
    # With a synced folder, every device counts (each once); --this-device: this one alone.
    source = (
        store
        if getattr(args, "this_device", False)
        else devices.across(store, settings, t, paths.data_dir())
    )
    return Reporting.open(settings, store, t, source), store


def _today(reporting: Reporting) -> dt.date:
    return reporting.days.day_of(time.time())


def _chosen_day(args: argparse.Namespace, reporting: Reporting) -> dt.date:
    today = _today(reporting)
    if getattr(args, "yesterday", False):
        return today - dt.timedelta(days=1)
    return args.date or today


def run_summary(t: Translator, args: argparse.Namespace) -> int:
    from nudger.report import json_report, text

    reporting, store = _open(t, args)
    try:
        day = _chosen_day(args, reporting)
        settings_day_start = reporting.days.starts_at
        if args.week:
            week = reporting.history.range(day - dt.timedelta(days=WEEK_DAYS - 1), day)
            output = (
                json_report.dumps(
                    _with_devices(json_report.range_document(week, reporting.tz), args)
                )
                if args.json
                else text.render(text.range_view(t, week, reporting.tz, _today(reporting)))
            )
        else:
            report = reporting.history.day(day)
            output = (
                json_report.dumps(
                    _with_devices(json_report.day_document(report, reporting.tz), args)
                )
                if args.json
                else text.render(
                    text.day_view(t, report, reporting.tz, settings_day_start, _today(reporting))
                )
            )
        if args.html:
            reporting.write_html(day, args.html.expanduser())
    finally:
        store.close()
    print(output, end="" if output.endswith("\n") else "\n")
    if args.html and not args.json:
        print(t._("Report written to {html}").format(html=args.html))
    if not args.json:
        from nudger.cli.promise_cmd import print_promise_line

        print_promise_line(t, args, reporting.tz, time.time())
    return 0


def _with_devices(document: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    """The JSON as before, plus the devices counted in it (with a synced folder)."""
    from nudger.shell import devices

    counted = devices.listed(paths.data_dir(), this_device=getattr(args, "this_device", False))
    if counted is not None:
        document["devices"] = counted
    return document


def run_report(t: Translator, args: argparse.Namespace) -> int:
    reporting, store = _open(t, args)
    try:
        day = _chosen_day(args, reporting)
        target = args.output or paths.data_dir() / "reports" / f"nudger-{day.isoformat()}.html"
        written = reporting.write_html(day, target.expanduser())
    finally:
        store.close()
    print(t._("Report written to {written}").format(written=written))
    if args.open:
        problem = _open_in_browser(t, written)
        if problem is None:
            print(t._("Opened it in your web browser."))
        else:
            print(
                t._(
                    "Could not open it in a web browser ({problem}); open the file above yourself."
                ).format(problem=problem)
            )
            return 1
    return 0


def _open_in_browser(t: Translator, path: Path) -> str | None:
    """Open `path` with the desktop's own opener and say what went wrong, if anything.

    The opener is waited for briefly: one that fails says so at once (no browser, none
    allowed to start), while one still running after a few seconds has a browser up.
    """
    if sys.platform == "win32":
        try:
            os.startfile(path)  # noqa: S606 - the user's own file
        except OSError as error:
            return error.strerror or str(error)
        return None
    else:  # noqa: RET505 - mypy checks each platform's branch only on that platform
        return _run_opener(t, path)


def _run_opener(t: Translator, path: Path) -> str | None:
    uri = path.resolve().as_uri()
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    if shutil.which(opener) is None:
        import webbrowser

        return (
            None
            if webbrowser.open(uri)
            else t._("there is no {opener} and no browser was found").format(opener=opener)
        )
    process = subprocess.Popen(
        [opener, uri], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        code = process.wait(timeout=OPENER_WAIT_SECONDS)
    except subprocess.TimeoutExpired:
        return None
    if code == 0:
        return None
    said = [
        _without_log_prefix(line)
        for line in (process.stderr.read() if process.stderr else "").strip().splitlines()
    ]
    return (
        t._("{opener} said: {said}").format(opener=opener, said=said[-1])
        if said
        else t._("{opener} failed with exit code {code}").format(opener=opener, code=code)
    )


def _without_log_prefix(line: str) -> str:
    """A browser's log line without its machine prefix ("[1203/101500.123:ERROR:zygote...(100)] "),
    which means nothing to a person; the words after it do."""
    if line.startswith("[") and "] " in line:
        return line.split("] ", 1)[1]
    return line
