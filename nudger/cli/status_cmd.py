"""`nudger status`: is the daemon running, what does it see, how is today going."""

from __future__ import annotations

import argparse
import datetime as dt
import time
from functools import partial
from typing import TYPE_CHECKING, Any

from nudger.cli.common import load_config_or_last_good
from nudger.core.printable import printable
from nudger.core.translate import Said, Translator

if TYPE_CHECKING:
    from nudger.settings.values import Settings
    from nudger.shell.instance import DaemonStatus

NOT_RUNNING = 3  # as in LSB init scripts: "program is not running"


def register(t: Translator, commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "status",
        help=t._("is nudger running, and how is today going"),
        description=t._(
            "Say whether the daemon is running (pid, uptime), which window backend "
            "it uses and when it last looked, today's totals so far, and any "
            "pause. Exit code 3 when it is not running."
        ),
    )
    parser.set_defaults(handler=partial(run, t))


def _in_front(t: Translator, found: tuple[str, ...]) -> str:
    """ "Instagram and a page on your blocklist"; a blocklist entry is never named here.

    Whole phrases per case, so that no language gets an English "and" spliced in."""
    if not found:
        return t._("nothing nudger counts")
    sites = ", ".join(
        printable(item.removeprefix("site:")) for item in found if item.startswith("site:")
    )
    if "blocklist" not in found:
        return sites
    if not sites:
        return t._("a page on your blocklist")
    return t._("{sites} and a page on your blocklist").format(sites=sites)


def run(t: Translator, args: argparse.Namespace) -> int:
    from nudger import paths
    from nudger.settings.values import timezone_of
    from nudger.shell.instance import is_locked, read_status
    from nudger.shell.pause import PauseFile, until_text

    # Only the time zone and the day's start are read (a promise never holds those back), so a
    # promise's state is not waited for here.
    settings = load_config_or_last_good(t, args, promise=False).settings
    data_dir = paths.data_dir()
    tz = timezone_of(settings)
    now = time.time()
    running = is_locked(data_dir)
    _print_daemon(t, read_status(data_dir) if running else None, running, tz, now)
    _print_today(t, settings, tz, now)
    from nudger.cli.devices_cmd import skipped_lines

    for line in skipped_lines(t):  # files from other devices that are not counted, and why
        print(line)
    pause = PauseFile(data_dir).current(now)
    if pause is not None:
        resting = (
            t._("Nudges are snoozed until {until}.")
            if pause.reason == "snooze"
            else t._("Nudges are paused until {until}.")
        )
        print(resting.format(until=until_text(t, pause.until, now, tz)))
    from nudger.cli.promise_cmd import print_promise_line

    print_promise_line(t, args, tz, now)
    return 0 if running else NOT_RUNNING


def _print_daemon(
    t: Translator, status: DaemonStatus | None, running: bool, tz: dt.tzinfo, now: float
) -> None:
    from nudger.core.words import duration

    if status is None:
        if running:
            print(t._("nudger is running (starting up)."))
        else:
            print(t._("nudger is not running. Start it with `nudger run`; at every login with"))
            print(t._("  `nudger autostart enable`."))
        return
    print(
        t._("nudger is running (pid {pid}, for {duration}).").format(
            pid=status.pid, duration=duration(t, now - status.started_at)
        )
    )
    if status.backend == "processes":
        # No window can be read here, so there is never a "look": saying "no look yet" would
        # suggest something is stuck.
        print(t._("Backend: processes; windows cannot be read here, so running social apps count."))
    else:
        _print_look(t, status, tz)
    for note in status.notes:
        print(f"  {printable(_said(t, note))}")
    if status.database_moved_aside:
        print(t._("The database was damaged, so a new one was started. The damaged file is kept"))
        print(t._("  at {printable}.").format(printable=printable(status.database_moved_aside)))
        if status.database_salvaged:
            print(
                t._("  From it, nudger {database_salvaged}.").format(
                    database_salvaged=_said(t, status.database_salvaged)
                )
            )
    if status.config_problem:
        print(t._("Your config has a problem, so the last good one is in use:"))
        print(f"  {printable(_said(t, status.config_problem))}")


def _said(t: Translator, note: Said | str) -> str:
    """A note of the daemon's in the reader's language; one that does not fit its fillings (a
    status file from another nudger) in the words it was stored in."""
    try:
        return t.say(note)
    except (KeyError, IndexError, ValueError, AttributeError):
        return note.text if isinstance(note, Said) else note


def _print_today(t: Translator, settings: Settings, tz: dt.tzinfo, now: float) -> None:
    from nudger import paths
    from nudger.core.words import duration
    from nudger.settings.values import days_of
    from nudger.shell.history import History
    from nudger.store import Store

    database = paths.database_file()
    if not database.exists():
        return
    store = Store.open_for_reading(database)
    try:
        days = days_of(settings)
        today = History(store, days).day(days.day_of(now))
    finally:
        store.close()
    summary = today.summary
    visits = summary.blocklist_visits
    blocklist = (
        t.ngettext("{count} visit", "{count} visits", visits).format(count=visits)
        if visits
        else t._("none")
    )
    print(
        t._("Today so far: {duration} on social sites; blocklist: {blocklist}.").format(
            duration=duration(t, summary.site_seconds), blocklist=blocklist
        )
    )


def _print_look(t: Translator, status: DaemonStatus, tz: dt.tzinfo) -> None:
    """The window backend, its last look, and what was in front then."""
    from nudger.core.words import duration

    looked = status.last_sample_at
    seen = (
        t._("last look at {fromtimestamp:%H:%M:%S}").format(
            fromtimestamp=dt.datetime.fromtimestamp(looked, tz)
        )
        if looked
        else (t._("no look yet"))
    )
    state = t._("watching windows") if status.sensor_connected else t._("waiting for the desktop")
    print(
        t._("Backend: {backend}, {state}; {seen}.").format(
            backend=status.backend, state=state, seen=seen
        )
    )
    if status.sensor_connected and looked and status.away_for is not None:
        print(
            t._(
                "At that look nobody had used the computer for {duration}, so nothing was "
                "being counted."
            ).format(duration=duration(t, status.away_for))
        )
    elif status.sensor_connected and looked:
        print(
            t._("In front at that look: {in_front}.").format(in_front=_in_front(t, status.in_front))
        )
