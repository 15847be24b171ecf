"""The HTML report: one self-contained file, charts inline, nothing fetched from anywhere.

A Content-Security-Policy in the page itself forbids every network load, so even a mistake in a
future chart could not make the browser reach out.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from nudger.core.feelings import Tendency
from nudger.core.summary import DayReport, RangeSummary, hardest_hours
from nudger.core.translate import Translator
from nudger.core.words import (
    duration,
    guard_sentence,
    help_sentence,
    long_date,
    plan_offer,
    streak_sentence,
    tendency_sentence,
)
from nudger.report import charts

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_STYLE = """
body { font-family: "DejaVu Sans", system-ui, sans-serif; color: #3b4252; background: #fbfaf7;
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
h1 { font-weight: 600; margin-bottom: 0.2rem; }
h2 { font-weight: 500; margin-top: 2.2rem; border-bottom: 1px solid #e5e9f0; }
.lead { color: #5e6779; }
.figures { display: flex; flex-wrap: wrap; gap: 1rem; margin: 1.5rem 0; }
.figure { background: #fff; border: 1px solid #e5e9f0; border-radius: 0.6rem;
          padding: 0.8rem 1.1rem; min-width: 10rem; }
.figure b { display: block; font-size: 1.6rem; font-weight: 600; }
.streak b { color: #4f9a6d; }
svg { width: 100%; height: auto; }
footer { margin: 3rem 0 1rem; color: #8a92a3; font-size: 0.85rem; }
"""


def _figure(label: str, value: str, extra_class: str = "") -> str:
    return f'<div class="figure {extra_class}"><b>{escape(value)}</b>{escape(label)}</div>'


def render(t: Translator, today: DayReport, month: RangeSummary, generated_at: dt.datetime) -> str:
    summary = today.summary
    risky_text = ", ".join(f"{hour:02d}:00" for hour in hardest_hours(month.hours))
    heeded = t._("{heeded} of {sent}").format(heeded=month.nudges.heeded, sent=month.nudges.sent)
    stepped = t._("{heeded} of {sent}").format(
        heeded=month.nudges.stepped_away, sent=month.nudges.pauses
    )
    figures = "".join(
        (
            _figure(t._("on social sites today"), duration(t, summary.site_seconds)),
            _figure(
                t.ngettext(
                    "blocklist visit today", "blocklist visits today", summary.blocklist_visits
                ),
                str(summary.blocklist_visits),
            ),
            # Green only for a run there is: a 0 in green would read as praise for a hard day.
            _figure(
                t.ngettext(
                    "day in a row without a blocklist visit",
                    "days in a row without a blocklist visit",
                    today.streak.current,
                ),
                str(today.streak.current),
                "streak" if today.streak.current else "",
            ),
            # As in the terminal: "in the last 1" is too early to say anything.
            _figure(
                t._("clear days in the last {days}").format(
                    days=min(30, today.streak.watched_last_30)
                ),
                str(today.streak.clear_last_30),
                "streak" if today.streak.clear_last_30 else "",
            )
            if today.streak.watched_last_30 >= 2
            else "",
            _figure(t._("nudges heeded (30 days)"), heeded),
            _figure(t._("pauses in the browser you stepped away from (30 days)"), stepped)
            if month.nudges.pauses
            else "",
        )
    )
    hours = t._("The tallest bars are when most of the time went.")
    if risky_text:
        hours = t._("The tallest bars are when most of the time went: {hours}.").format(
            hours=risky_text
        )
    plan = t._("A plan for those hours (a walk, a call, a book within reach) can make them easier.")
    colours = t._(
        "Green days had no visit to a blocklist page, amber days had one; grey days came before "
        "nudger was watching."
    )
    span = t._("{first} to {last}.").format(
        first=long_date(t, month.first), last=long_date(t, month.last)
    )
    made = t._("Made on this computer by nudger on {moment}.").format(
        moment=f"{long_date(t, generated_at.date())} {generated_at:%H:%M}"
    )
    # Outside the template: Babel does not look for t._() inside an f-string.
    heading = t._("Your last 30 days")
    each_day = t._("Each day")
    colours_of_days = t._("Time on social sites (blue) and on blocklist pages (amber).")
    where = t._("Where the time went")
    hardest = t._("The hours that pull hardest")
    streak = t._("Your streak")
    private = t._("Nothing in this report left your machine.")
    return f"""<!doctype html>
<html lang="{escape(t.language)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>nudger · {escape(long_date(t, summary.date))}</title>
<style>{_STYLE}</style>
</head>
<body>
<h1>{escape(heading)}</h1>
<p class="lead">{escape(span)}
{escape(streak_sentence(t, today))}</p>
<div class="figures">{figures}</div>

<h2>{escape(each_day)}</h2>
<p>{escape(colours_of_days)}</p>
{charts.daily_totals(t, month)}

<h2>{escape(where)}</h2>
{charts.targets(t, month)}

<h2>{escape(hardest)}</h2>
<p>{escape(hours)}
{escape(plan)}</p>
{charts.hours_strip(t, month)}

<h2>{escape(streak)}</h2>
<p>{escape(colours)}</p>
{charts.streak_calendar(t, month)}

{_helping(t, today)}
{_guard(t, month, generated_at.tzinfo)}
{_tendency(t, month.tendency)}
{_plans(t, month.plans)}
<footer>{escape(made)}
{escape(private)}</footer>
</body>
</html>
"""


def _guard(t: Translator, month: RangeSummary, tz: dt.tzinfo | None) -> str:
    """Unguarded time over these days, each stretch once, plainly."""
    if not month.guard or tz is None:
        return ""
    heading = t._("When nudger was not watching")
    lines = "".join(f"<li>{escape(guard_sentence(t, note, tz))}</li>" for note in month.guard)
    return f"<h2>{escape(heading)}</h2>\n<ul>{lines}</ul>"


def _tendency(t: Translator, found: Tendency | None) -> str:
    """When pauses and visits gathered, how it felt, and a plan offered for it."""
    if found is None:
        return ""
    offer = plan_offer(t, found)
    lines = f"<p>{escape(tendency_sentence(t, found))}</p>"
    return lines + (f"\n<p>{escape(offer)}</p>" if offer else "")


def _plans(t: Translator, plans: tuple[str, ...]) -> str:
    """The person's if-then plans, in their own words."""
    if not plans:
        return ""
    heading = t._("Your if-then plans")
    lines = "".join(f"<li>{escape(plan)}</li>" for plan in plans)
    return f"<h2>{escape(heading)}</h2>\n<ul>{lines}</ul>"


def _helping(t: Translator, today: DayReport) -> str:
    sentence = help_sentence(t, today)
    return f'\n<p class="help">{_with_code(sentence)}</p>' if sentence else ""


def _with_code(sentence: str) -> str:
    """The sentence escaped, with `a command` (a terminal's way of marking one) as <code>."""
    parts = escape(sentence).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: nothing to mark
        return escape(sentence)
    return "".join(
        f"<code>{part}</code>" if index % 2 else part for index, part in enumerate(parts)
    )
