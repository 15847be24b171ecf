"""The values that flow between the parts: a window, a hit, a visit, a stored nudge."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Final, Literal

from nudger.core.translate import Said

Kind = Literal["site", "blocklist"]
Signal = Literal["title", "url", "app"]
# "front": the window in front; "running": an app seen running while nothing could be read.
Source = Literal["front", "running"]
# The buttons on a nudge, and everything that can become of one.
Action = Literal["snooze", "away"]
# "failed": the system took the notification, then said it could not show it (Windows does
# this after the call returned).
Outcome = Literal["snooze", "away", "dismissed", "expired", "closed", "failed"]
# The reason a pause before a page (the browser companion's) is recorded under, among the nudges.
PAUSE_REASON: Final = "pause"


@dataclass(frozen=True, slots=True)
class Window:
    """The window in front: which program, what its title says, and (where known) the page URL."""

    app: str
    title: str
    pid: int | None = None
    wm_class: tuple[str, ...] = field(default=())
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Glance:
    """A change of what was in front, caught as it happened, between two readings.

    `window` was in front from `at` (wall-clock seconds) until the next glance, or until the
    reading that carries it. Backends that can follow changes as they happen report these, so a
    tab that was in front for less than one sample still counts.
    """

    at: float
    window: Window | None


@dataclass(frozen=True, slots=True)
class Reading:
    """One look at the desktop. `window` is None when nothing is in front (a normal state).

    `glances` are the changes since the previous reading, oldest first (empty for backends that
    only poll); `window` is what is in front now. `followed_since` is set by a backend that
    follows the desktop's event stream and has delivered all of it up to this reading: the
    moment since which it has followed it without a break (see core.tracking).
    """

    window: Window | None
    idle_seconds: float
    glances: tuple[Glance, ...] = ()
    followed_since: float | None = None


@dataclass(frozen=True, slots=True)
class Hit:
    """A window belongs to `target`; `signal` says what gave it away."""

    kind: Kind
    target: str
    signal: Signal


@dataclass(frozen=True, slots=True)
class Visit:
    kind: Kind
    target: str
    signal: Signal
    source: Source
    started_at: float
    ended_at: float
    title: str | None = None
    # The part of a visit after a day boundary: time on this day, but not a visit of its own.
    continued: bool = False

    @property
    def seconds(self) -> float:
        return self.ended_at - self.started_at


@dataclass(frozen=True, slots=True)
class NudgeRow:
    """A nudge as it was recorded: when, about what, whether shown, answered and heeded."""

    id: int
    at: float
    kind: str
    target: str | None
    reason: str
    message_id: str
    delivered: bool
    action: str | None
    heeded: bool | None


@dataclass(frozen=True, slots=True)
class Feedback:
    """What the person did with a notification: pressed a button, closed it, or let it expire."""

    notification_id: int
    outcome: Outcome
    problem: str | Said | None = None  # why, for "failed"


@dataclass(frozen=True, slots=True)
class Rule:
    """A site or blocklist entry: plain-word or `re:` patterns, and native app names."""

    kind: Kind
    name: str
    match: tuple[str, ...] = ()
    apps: tuple[str, ...] = ()
    # A site's profile paths ("/{name}", "/stories/{name}"): see core/addresses.py.
    profiles: tuple[str, ...] = ()


MessageKind = Literal[
    "be_kind", "small_goal", "move", "reach_out", "social_break", "journal", "counsellor"
]
# When a text fits: a walk outside is day advice; a slow breath in bed is for the night.
MessageTime = Literal["day", "night", "any"]


@dataclass(frozen=True, slots=True)
class ClockSpan:
    """A span of the local clock, every day: quiet hours, the night ("23:00-07:00")."""

    start: dt.time
    end: dt.time

    def contains(self, moment: dt.time) -> bool:
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end  # spans midnight, e.g. 23:00-07:00
