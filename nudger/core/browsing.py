"""What the browser companion says, joined to what the desktop says.

The companion reports, as things change, which tab is active in a browser, its address and
title, whether one of that browser's windows has the focus, and since when input has stopped.
This module turns those reports into the same Reading the desktop sensors give:

- While a browser window is in front (the sensor says so), the active tab's address joins that
  window, so `instagram.com/alexdoe` counts on a direct-message page titled just "Instagram".
  A report that changes the address while the browser stays in front (a page that changes its
  address but not its title) is a glance at the moment the browser reported it.
- Where no window can be read at all (GNOME on Wayland without its extension, an unknown
  compositor), a browser that says one of its windows has the focus is the window in front.

Pure: the reports come in as values, with the browser's own times.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from nudger.core.matching import normalize_app
from nudger.core.types import Glance, Reading, Window

# chrome.idle and browser.idle report "idle" once input has stopped for this long.
BROWSER_IDLE_DETECTION_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class TabReport:
    """One report from a browser: its active tab as it stood at `at` (Unix seconds)."""

    at: float
    browser_pid: int
    browser: str  # the browser's process name, as its native-messaging host found it
    focused: bool  # one of this browser's windows has the focus
    url: str
    title: str
    incognito: bool = False
    idle_since: float | None = None  # when the browser said input stopped; None while active


# "away": the person stepped away (closed the tab, went back, or left the pause page);
# "go_on": they chose to open the page.
PauseAnswer = Literal["away", "go_on"]


@dataclass(frozen=True, slots=True)
class PauseReport:
    """The browser held a page back for a breath (`answer` None), or the person answered."""

    at: float
    pause_id: str
    url: str  # in memory only, to know whose page it was; never stored or logged
    answer: PauseAnswer | None = None


def belongs_to(window: Window, report: TabReport) -> bool:
    """The window is one of the reporting browser's: by process id, or by name where the
    desktop gives no process id."""
    if window.pid is not None:
        return window.pid == report.browser_pid
    return bool(window.app) and normalize_app(window.app) == normalize_app(report.browser)


def with_tabs(
    reading: Reading | None,
    before: Mapping[int, TabReport],
    reports: Sequence[TabReport],
    *,
    front: Window | None,
    now: float,
) -> Reading | None:
    """`reading` (None: no window can be read) with the browsers' reports joined in.

    `before` is each browser's last report before `reports`, which came in since, oldest first;
    `front` is what the sensor had in front at the previous reading.
    """
    if reading is None:
        return _from_browsers(before, reports, now)
    latest = dict(before)
    glances: list[Glance] = []
    sensed = sorted(reading.glances, key=lambda glance: glance.at)
    events = sorted(
        [(g.at, 0, g) for g in sensed] + [(r.at, 1, r) for r in reports],
        key=lambda event: (event[0], event[1]),
    )
    for at, _, event in events:
        if isinstance(event, Glance):
            front = event.window
            glances.append(Glance(at, _joined(front, latest)))
        else:
            latest[event.browser_pid] = event
            if front is not None and belongs_to(front, event):
                glances.append(Glance(at, _joined(front, latest)))
    window = _joined(reading.window, latest)
    return dataclasses.replace(reading, window=window, glances=tuple(_distinct(glances)))


def _joined(window: Window | None, latest: Mapping[int, TabReport]) -> Window | None:
    """The window with its browser's active address, where the sensor gave none (macOS does)."""
    if window is None or window.url is not None:
        return window
    report = next((r for r in latest.values() if window.pid == r.browser_pid), None)
    if report is None and window.pid is None:
        report = next((r for r in latest.values() if belongs_to(window, r)), None)
    if report is None or not report.url:
        return window
    return dataclasses.replace(window, url=report.url)


def _from_browsers(
    before: Mapping[int, TabReport], reports: Sequence[TabReport], now: float
) -> Reading | None:
    """No window can be read: the focused browser, if one says so, is what is in front."""
    latest = dict(before)
    glances = []
    for report in reports:
        latest[report.browser_pid] = report
        glances.append(Glance(report.at, _focused_window(latest)))
    window = _focused_window(latest)
    if window is None and not glances:
        return None
    focused = [r for r in latest.values() if r.focused]
    idle_since = max(focused, key=lambda r: r.at).idle_since if focused else None
    idle = 0.0 if idle_since is None else now - idle_since + BROWSER_IDLE_DETECTION_SECONDS
    return Reading(window, idle, tuple(_distinct(glances)))


def _focused_window(latest: Mapping[int, TabReport]) -> Window | None:
    focused = [r for r in latest.values() if r.focused]
    if not focused:
        return None
    report = max(focused, key=lambda r: r.at)
    return Window(app=report.browser, title=report.title, pid=report.browser_pid, url=report.url)


def _distinct(glances: Sequence[Glance]) -> list[Glance]:
    """Glances that change something: a report that changes nothing in front is no glance."""
    kept: list[Glance] = []
    for glance in glances:
        if not kept or kept[-1].window != glance.window:
            kept.append(glance)
    return kept
