"""Charts for the HTML report, drawn by pygal as inline SVG.

pygal is pure Python and small (about 1 MB, against some 170 MB for matplotlib with numpy, pillow
and fontTools), and its SVG needs nothing from the network. Two of its defaults are switched off
because the report is one offline file under a Content-Security-Policy that forbids scripts:
the external tooltip script (`js=[]`), and the small inline script that configures it, which is
removed from the output. Text stays text, in the page's own font.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pygal
from pygal.style import Style

from nudger.core.summary import RangeSummary
from nudger.core.translate import Translator

SITE_COLOUR = "#6f9fc2"
BLOCKLIST_COLOUR = "#e3a869"
CLEAN_COLOUR = "#8cc7a1"
UNWATCHED_COLOUR = "#e5e9f0"
HOURS_COLOUR = "#8a7fbf"
INK = "#3b4252"
GRID = "#e5e9f0"
WIDTH = 800

_STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground=INK,
    foreground_strong=INK,
    foreground_subtle=GRID,
    colors=(SITE_COLOUR, BLOCKLIST_COLOUR, HOURS_COLOUR),
    font_family='"DejaVu Sans", system-ui, sans-serif',
    label_font_size=11,
    major_label_font_size=11,
    legend_font_size=12,
    title_font_size=13,
    guide_stroke_color=GRID,
    guide_stroke_dasharray="0",
    major_guide_stroke_color=GRID,
    major_guide_stroke_dasharray="0",
    opacity=0.9,
)
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Unit:
    """The unit a chart's axis counts in, chosen from its largest value."""

    name: str
    seconds: float

    def of(self, seconds: float) -> float:
        return round(seconds / self.seconds, 2)


def unit_for(t: Translator, most_seconds: float) -> Unit:
    """Seconds up to two minutes, minutes up to five hours, hours beyond: never "0.6 minutes"."""
    if most_seconds < 120:
        return Unit(t._("seconds"), 1)
    if most_seconds < 5 * 3600:
        return Unit(t._("minutes"), 60)
    return Unit(t._("hours"), 3600)


def day_label(t: Translator, day: dt.date) -> str:
    """ "27 Nov": with the month, as every date on a day axis should have."""
    return t.dates.short(day)


def _chart(kind: Any, *, height: int, **config: Any) -> Any:
    return kind(
        style=_STYLE,
        js=[],
        disable_xml_declaration=True,
        width=WIDTH,
        height=height,
        margin=8,
        truncate_label=-1,  # labels are short; never "30..."
        min_scale=3,  # a handful of values on the axis, not one every other line
        max_scale=6,
        **config,
    )


def _svg(chart: Any) -> str:
    return _SCRIPT.sub("", str(chart.render(is_unicode=True)))


def _major_days(t: Translator, days: Sequence[dt.date]) -> list[str]:
    """About five labelled days on a long axis: every week from the last day back (so the last
    day, today, is always named), and the first of a month when no label is close to it."""
    chosen = {day for index, day in enumerate(reversed(days)) if index % 7 == 0}
    for day in days:
        if day.day == 1 and all(abs((day - other).days) >= 3 for other in chosen):
            chosen.add(day)
    return [day_label(t, day) for day in sorted(chosen)]


def daily_totals(t: Translator, summary: RangeSummary) -> str:
    days = [d.date for d in summary.days]
    unit = unit_for(t, max((d.site_seconds for d in summary.days), default=0.0))
    chart = _chart(
        pygal.Bar,
        height=300,
        y_title=unit.name,
        legend_at_bottom=True,
        show_minor_x_labels=False,
    )
    chart.x_labels = [day_label(t, day) for day in days]
    chart.x_labels_major = _major_days(t, days)
    chart.add(t._("social sites"), [unit.of(d.site_seconds) for d in summary.days])
    chart.add(t._("blocklist pages"), [unit.of(d.blocklist_seconds) for d in summary.days])
    return _svg(chart)


def targets(t: Translator, summary: RangeSummary) -> str:
    shown = summary.targets[:12]
    if not shown:
        chart = _chart(pygal.HorizontalBar, height=120, show_legend=False)
        chart.no_data_text = t._("Nothing recorded in these days")
        return _svg(chart)
    unit = unit_for(t, max(t.seconds for t in shown))
    chart = _chart(
        pygal.HorizontalBar,
        height=60 + 28 * len(shown),
        show_legend=False,
        x_title=unit.name,
    )
    ordered = list(reversed(shown))  # pygal draws the first value at the bottom
    chart.x_labels = [t.name for t in ordered]
    chart.add(
        "time",
        [
            {
                "value": unit.of(t.seconds),
                "color": BLOCKLIST_COLOUR if t.kind == "blocklist" else SITE_COLOUR,
            }
            for t in ordered
        ],
    )
    return _svg(chart)


def hours_strip(t: Translator, summary: RangeSummary) -> str:
    """Time per hour of the day over the whole range: the tallest bars pull hardest."""
    totals = [h.seconds for h in summary.hours]
    unit = unit_for(t, max(totals, default=0.0))
    chart = _chart(
        pygal.Bar,
        height=200,
        show_legend=False,
        y_title=unit.name,
        show_minor_x_labels=False,
    )
    chart.x_labels = [f"{h:02d}:00" for h in range(24)]
    chart.x_labels_major = [f"{h:02d}:00" for h in range(0, 24, 3)]
    chart.add(t._("time"), [{"value": unit.of(s), "color": HOURS_COLOUR} for s in totals])
    return _svg(chart)


def streak_calendar(t: Translator, summary: RangeSummary) -> str:
    """One square per day: green for a day without a blocklist visit, amber for a day with one,
    grey before nudger watched.

    A day before the first run is not a clean day, only an unknown one: drawing it green would
    promise a streak the person never had.
    """
    watched_from = summary.streak.tracked_since
    days = [d.date for d in summary.days]

    def colour(day: dt.date, visits: int) -> str:
        if watched_from is None or day < watched_from:
            return UNWATCHED_COLOUR
        return CLEAN_COLOUR if visits == 0 else BLOCKLIST_COLOUR

    chart = _chart(
        pygal.Bar,
        height=110,
        show_legend=False,
        show_y_labels=False,
        show_y_guides=False,
        show_minor_x_labels=False,
        spacing=4,
        range=(0, 1),
    )
    chart.x_labels = [day_label(t, day) for day in days]
    chart.x_labels_major = _major_days(t, days)
    chart.add(
        t._("days"),
        [{"value": 1, "color": colour(d.date, d.blocklist_visits)} for d in summary.days],
    )
    return _svg(chart)
