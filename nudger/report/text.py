"""The terminal form of summaries, drawn with rich: colour on a terminal, plain text in a pipe."""

from __future__ import annotations

import datetime as dt
import sys

from rich.bar import Bar
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from nudger.core.feelings import Tendency
from nudger.core.printable import printable
from nudger.core.summary import DayReport, RangeSummary, TargetTotal
from nudger.core.translate import Translator
from nudger.core.words import (
    change,
    clear_days_sentence,
    clock,
    duration,
    guard_sentence,
    help_sentence,
    pause_sentence,
    plan_offer,
    streak_sentence,
    tendency_sentence,
    untracked_sentence,
)

SITE_STYLE = "steel_blue"
BLOCKLIST_STYLE = "dark_orange3"
BAR_WIDTH = 24


def short_date(t: Translator, day: dt.date) -> str:
    """ "27 Nov", "27. Nov.", "27 nov", as the language writes it."""
    return t.dates.short(day)


def _bar(seconds: float, most: float, style: str) -> Bar:
    return Bar(size=max(most, 1.0), begin=0, end=seconds, width=BAR_WIDTH, color=style)


def _style(total: TargetTotal) -> str:
    return BLOCKLIST_STYLE if total.kind == "blocklist" else SITE_STYLE


def _targets_table(
    t: Translator, targets: tuple[TargetTotal, ...], tz: dt.tzinfo, *, with_clock: bool
) -> Table:
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    table.add_column("")
    table.add_column(t._("kind"))
    for column in (t._("time"), t._("visits"), t._("longest")):
        table.add_column(column, justify="right")
    if with_clock:
        table.add_column(t._("first"))
        table.add_column(t._("last"))
    table.add_column("")
    most = max((t.seconds for t in targets), default=0.0)
    for total in targets:
        row: list[RenderableType] = [
            Text(printable(total.name), style=_style(total)),
            t._("blocklist") if total.kind == "blocklist" else t._("site"),
            duration(t, total.seconds),
            str(total.visits),
            duration(t, total.longest_seconds),
        ]
        if with_clock:
            row += [clock(total.first_seen, tz), clock(total.last_seen, tz)]
        row.append(_bar(total.seconds, most, _style(total)))
        table.add_row(*row)
    return table


def _blocklist_total(t: Translator, seconds: float, visits: int) -> str:
    if not visits and not seconds:
        return t._("none")
    count = t.ngettext("{count} visit", "{count} visits", visits).format(count=visits)
    return f"{duration(t, seconds)} ({count})"


def day_view(
    t: Translator,
    report: DayReport,
    tz: dt.tzinfo,
    day_starts_at: dt.time,
    today: dt.date | None = None,
) -> RenderableType:
    """One day. `today` (default: the day shown) decides the tense: a past day is told as past."""
    summary = report.summary
    heading = Text.assemble(
        ("nudger", "bold"),
        f" · {t.dates.full(summary.date)}",
        ("   " + t._("(days start at {time})").format(time=f"{day_starts_at:%H:%M}"), "dim"),
    )
    unknown = untracked_sentence(
        t, summary.date, today or summary.date, report.streak.tracked_since
    )
    if unknown is not None and not summary.targets:
        # A day nudger did not watch has no totals: zeros there would read as a clear day.
        return Group(heading, Text(), Text(unknown), *_plans(t, report.plans))
    parts: list[RenderableType] = [heading, Text()]
    if summary.targets:
        parts.append(_targets_table(t, summary.targets, tz, with_clock=True))
    else:
        nothing = (
            t._("Nothing on social sites or blocklist pages today.")
            if today is None or summary.date >= today
            else t._("Nothing on social sites or blocklist pages that day.")
        )
        parts.append(Text(nothing, style="green"))
    parts.append(Text())
    blocklist_visits = summary.blocklist_visits
    parts.append(
        Text.assemble(
            (t._("Social sites") + " ", "bold"),
            duration(t, summary.site_seconds),
            ("   " + t._("Blocklist") + " ", "bold"),
            _blocklist_total(t, summary.blocklist_seconds, blocklist_visits),
            ("   " + t._("In all") + " ", "bold"),
            duration(t, summary.total_seconds),
        )
    )
    if summary.running:
        running = ", ".join(
            f"{printable(app.name)} {duration(t, app.seconds)}" for app in summary.running
        )
        parts.append(
            Text(
                t._("Running (not necessarily in front): {running}").format(running=running),
                style="dim",
            )
        )
    compared = [
        text
        for text in (
            change(t, summary.site_seconds, report.yesterday_site_seconds, "yesterday"),
            change(t, summary.site_seconds, report.average_site_seconds, "average")
            if report.average_site_seconds is not None
            else None,
        )
        if text
    ]
    if compared:
        parts.append(Text(t._("On social sites: {compared}.").format(compared="; ".join(compared))))
    nudges = report.nudges
    if nudges.sent:
        parts.append(
            Text(
                t._("Nudges: {sent} sent, {heeded} heeded.").format(
                    sent=nudges.sent, heeded=nudges.heeded
                )
            )
        )
    if nudges.pauses:
        parts.append(Text(pause_sentence(t, nudges)))
    parts += [Text(guard_sentence(t, note, tz)) for note in report.guard]
    parts += _tendency(t, report.tendency)
    parts.append(
        Text(streak_sentence(t, report, today), style="green" if report.streak.current else "")
    )
    helping = help_sentence(t, report)
    if helping:
        parts.append(Text(helping))
    parts += _plans(t, report.plans)
    return Group(*parts)


def _tendency(t: Translator, found: Tendency | None) -> list[RenderableType]:
    """When pauses and visits gathered and how it felt, and a plan offered for it."""
    if found is None:
        return []
    offer = plan_offer(t, found)
    lines: list[RenderableType] = [Text(tendency_sentence(t, found))]
    return lines + ([Text(offer)] if offer else [])


def _plans(t: Translator, plans: tuple[str, ...]) -> list[RenderableType]:
    """The person's if-then plans, in their own words (printable: a plan is typed text)."""
    if not plans:
        return []
    lines: list[RenderableType] = [Text(), Text(t._("Your if-then plans:"), style="bold")]
    return lines + [Text(f"  · {printable(plan)}") for plan in plans]


def range_view(
    t: Translator, summary: RangeSummary, tz: dt.tzinfo, today: dt.date | None = None
) -> RenderableType:
    """Several days, one row each. Days before nudger was watching, and days still to come, are
    marked as such: a blank there is not a clear day."""
    today = today or summary.last
    since = summary.streak.tracked_since
    heading = Text.assemble(
        ("nudger", "bold"),
        " · "
        + t._("{first} to {last} {year}").format(
            first=short_date(t, summary.first),
            last=short_date(t, summary.last),
            year=summary.last.year,
        ),
    )
    days = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    days.add_column(t._("day"))
    days.add_column(t._("sites"), justify="right")
    days.add_column(t._("blocklist"), justify="right")
    days.add_column("")
    most = max((d.site_seconds for d in summary.days), default=0.0)
    for day in summary.days:
        label = f"{t.dates.weekday(day.date)} {short_date(t, day.date)}"
        if day.date > today or since is None or day.date < since:
            note = t._("still to come") if day.date > today else t._("not tracked yet")
            days.add_row(label, Text("—", style="dim"), Text(note, style="dim"), "")
            continue
        days.add_row(
            label,
            duration(t, day.site_seconds),
            _blocklist_total(t, day.blocklist_seconds, day.blocklist_visits),
            _bar(day.site_seconds, most, SITE_STYLE),
        )
    parts: list[RenderableType] = [heading, Text(), days, Text()]
    if summary.targets:
        parts += [
            Text(t._("Over these days"), style="bold"),
            _targets_table(t, summary.targets, tz, with_clock=False),
        ]
    streak = summary.streak
    parts += [
        Text(),
        Text(
            t._("Days in a row without a blocklist visit: {days}.").format(days=streak.current)
            + clear_days_sentence(t, streak)
        ),
    ]
    parts += [Text(guard_sentence(t, note, tz)) for note in summary.guard]
    parts += _tendency(t, summary.tendency)
    parts += _plans(t, summary.plans)
    return Group(*parts)


def render(renderable: RenderableType, console: Console | None = None) -> str:
    """Render to a string: colour when stdout is a terminal, plain text otherwise."""
    # Piped output is not wrapped at 80 columns: a sentence cut mid-way reads badly in a file or
    # a mail, and whatever shows it wraps by itself.
    target = console or Console(soft_wrap=not sys.stdout.isatty())
    with target.capture() as captured:
        target.print(renderable)
    return captured.get()
