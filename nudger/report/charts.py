"""Charts for the HTML report, drawn by matplotlib as inline SVG.

The object API (Figure, not pyplot) keeps no global state, and SVG with text drawn as paths needs
no fonts, scripts or network: the report stays one self-contained file.
"""

from __future__ import annotations

import io

import matplotlib as mpl
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from nudger.summary import RangeSummary

SITE_COLOUR = "#6f9fc2"
BLOCKLIST_COLOUR = "#e3a869"
CLEAN_COLOUR = "#8cc7a1"
UNWATCHED_COLOUR = "#e5e9f0"
INK = "#3b4252"
GRID = "#e5e9f0"

mpl.rcParams.update(
    {
        "svg.fonttype": "path",
        "svg.hashsalt": "nudger",  # stable element ids: the same data gives the same file
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.edgecolor": GRID,
        "axes.labelcolor": INK,
        "xtick.color": INK,
        "ytick.color": INK,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # drop the XML prolog and doctype: it is inlined in HTML


def daily_totals(summary: RangeSummary) -> str:
    figure = Figure(figsize=(8, 2.8))
    axes = figure.subplots()
    positions = range(len(summary.days))
    sites = [d.site_seconds / 60 for d in summary.days]
    blocklist = [d.blocklist_seconds / 60 for d in summary.days]
    axes.bar(positions, sites, color=SITE_COLOUR, label="social sites", width=0.75)
    axes.bar(positions, blocklist, color=BLOCKLIST_COLOUR, label="blocklist pages", width=0.45)
    axes.set_xticks(list(positions), [f"{d.date.day}" for d in summary.days], fontsize=7)
    axes.set_ylabel("minutes")
    axes.grid(axis="y", color=GRID)
    axes.set_axisbelow(True)
    axes.legend(frameon=False, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2)
    return _svg(figure)


def targets(summary: RangeSummary) -> str:
    shown = summary.targets[:12]
    figure = Figure(figsize=(8, 0.35 * max(len(shown), 1) + 0.8))
    axes = figure.subplots()
    if not shown:
        axes.text(0.5, 0.5, "Nothing recorded in these days", ha="center", va="center", color=INK)
        axes.set_axis_off()
        return _svg(figure)
    names = [t.name for t in shown][::-1]
    minutes = [t.seconds / 60 for t in shown][::-1]
    colours = [BLOCKLIST_COLOUR if t.kind == "blocklist" else SITE_COLOUR for t in shown][::-1]
    axes.barh(names, minutes, color=colours)
    axes.set_xlabel("minutes")
    axes.grid(axis="x", color=GRID)
    axes.set_axisbelow(True)
    return _svg(figure)


def hours_strip(summary: RangeSummary) -> str:
    """A 24-cell strip: darker hours are where the time went."""
    figure = Figure(figsize=(8, 1.1))
    axes = figure.subplots()
    minutes = [(h.site_seconds + h.blocklist_seconds) / 60 for h in summary.hours]
    palette = LinearSegmentedColormap.from_list("calm", ["#f6f8fb", "#6a5d9e"])
    axes.imshow([minutes], aspect="auto", cmap=palette, vmin=0, vmax=max(*minutes, 1))
    axes.set_yticks([])
    axes.set_xticks(range(0, 24, 3), [f"{h:02d}:00" for h in range(0, 24, 3)])
    for spine in axes.spines.values():
        spine.set_visible(False)
    return _svg(figure)


def streak_calendar(summary: RangeSummary) -> str:
    """One square per day: green for a day without a blocklist visit, grey before nudger watched.

    A day before the first run is not a clean day, only an unknown one: drawing it green would
    promise a streak the person never had.
    """
    figure = Figure(figsize=(8, 0.9))
    axes = figure.subplots()
    watched_from = summary.streak.tracked_since
    for index, day in enumerate(summary.days):
        if watched_from is None or day.date < watched_from:
            colour = UNWATCHED_COLOUR
        else:
            colour = CLEAN_COLOUR if day.blocklist_visits == 0 else BLOCKLIST_COLOUR
        axes.add_patch(
            mpl.patches.FancyBboxPatch(
                (index + 0.1, 0.1), 0.8, 0.8, boxstyle="round,pad=0.02", color=colour
            )
        )
    axes.set_xlim(0, max(len(summary.days), 1))
    axes.set_ylim(0, 1)
    axes.set_aspect("equal")
    axes.set_axis_off()
    return _svg(figure)
