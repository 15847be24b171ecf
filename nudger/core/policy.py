"""When to nudge, and what to say. Pure: the caller passes the moment in and acts on the answer.

The rules, with the defaults from [nudges]:
- A page on the blocklist: the first nudge once a visit has lasted 5 s (glances matter), then at
  most every 10 minutes while such visits go on. From the third visit of a day the title says,
  kindly, that today seems hard, and the support line (if any) is added.
- Social sites: once when one visit passes 20 minutes, once when the day passes 60 minutes, and
  while over either, at most every 30 minutes.
- Always: at least 5 minutes between any two nudges; nothing while idle, in quiet hours, paused
  or snoozed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from nudger.core.days import LocalDays
from nudger.core.messages import DISCREET_SITE, Message, MessageBook, render
from nudger.core.types import PAUSE_REASON, Kind, NudgeRow, Visit
from nudger.models import MessageKind, NudgeSettings

Reason = Literal[
    "blocklist",
    "blocklist_repeat",
    "session",
    "session_repeat",
    "budget",
    "budget_repeat",
    "pause",  # the browser held the page back for a breath
]
PAUSE_MESSAGE_ID = "pause"  # a pause has no text of its own to record

# Which suggestions fit which moment. Counselling is offered on heavy days, not after a glance.
BLOCKLIST_KINDS: tuple[MessageKind, ...] = (
    "be_kind",
    "move",
    "reach_out",
    "journal",
    "small_goal",
    "social_break",
)
HEAVY_DAY_KINDS: tuple[MessageKind, ...] = ("be_kind", "reach_out", "counsellor", "journal", "move")
SITE_KINDS: tuple[MessageKind, ...] = ("social_break", "move", "small_goal", "reach_out", "journal")
HEAVY_DAY_VISITS = 3
RECENT_MESSAGES = 5
# {minutes} reads oddly below this ("0 minutes", "1 minutes"); such texts wait for longer visits.
MINUTES_WORTH_SAYING = 2


@dataclass(frozen=True, slots=True)
class Moment:
    """Everything the policy needs to know about now."""

    at: float
    local_time: dt.time
    day: dt.date
    idle: bool
    paused: bool
    open_visits: Sequence[Visit]
    site_seconds_today: float
    blocklist_visits_today: int


@dataclass(frozen=True, slots=True)
class Nudge:
    at: float
    kind: Kind
    target: str  # kept for the record, never shown for a blocklist entry
    reason: Reason
    message_id: str
    title: str
    body: str
    heavy_day: bool = False


@dataclass
class PolicyState:
    """What the policy remembers between moments; rebuilt from the nudges table on start."""

    last_any: float | None = None
    last_blocklist: float | None = None
    last_site: float | None = None
    sessions_nudged: set[tuple[str, float]] = field(default_factory=set)
    budget_nudged_on: dt.date | None = None
    recent_messages: deque[str] = field(default_factory=lambda: deque(maxlen=RECENT_MESSAGES))

    @classmethod
    def rebuilt(cls, recent: Sequence[NudgeRow], days: LocalDays) -> PolicyState:
        """The state the recent nudges (newest first) imply, so that a restart never means a
        burst: rate limits, today's budget nudge and the texts just shown all carry over."""
        state = cls()
        for row in recent:
            state.last_any = max(state.last_any or row.at, row.at)
            if row.kind == "blocklist":
                state.last_blocklist = max(state.last_blocklist or row.at, row.at)
            elif row.kind == "site":
                state.last_site = max(state.last_site or row.at, row.at)
            if row.reason == "budget" and state.budget_nudged_on is None:
                state.budget_nudged_on = days.day_of(row.at)
        texts = [row for row in recent if row.reason != PAUSE_REASON]
        for row in reversed(texts[:RECENT_MESSAGES]):
            state.recent_messages.append(row.message_id)
        return state


class Policy:
    def __init__(
        self,
        settings: NudgeSettings,
        book: MessageBook,
        *,
        rng: random.Random,
        support_line: str = "",
        state: PolicyState | None = None,
    ) -> None:
        self.settings = settings
        self.book = book
        self.support_line = support_line
        self.state = state or PolicyState()
        # Given, not made here: a new Random would read the system's entropy, and a pure core
        # reads nothing (tests give a seeded one).
        self._rng = rng

    def is_quiet(self, local_time: dt.time) -> bool:
        quiet = self.settings.quiet_hours
        return quiet is not None and quiet.contains(local_time)

    def noted_pause(self, at: float, kind: Kind) -> None:
        """The browser held a page back for a breath. That was this moment's nudge: a
        notification about the same page right after it would only say it twice."""
        state = self.state
        state.last_any = max(state.last_any or at, at)
        if kind == "blocklist":
            state.last_blocklist = max(state.last_blocklist or at, at)
        else:
            state.last_site = max(state.last_site or at, at)

    def may_speak(self, moment: Moment) -> bool:
        """The rules every nudge follows. (The evening summary follows pause and quiet hours.)"""
        return (
            self.settings.enabled
            and not moment.idle
            and not moment.paused
            and not self.is_quiet(moment.local_time)
        )

    def decide(self, moment: Moment) -> Nudge | None:
        if not self.may_speak(moment):
            return None
        state, limits = self.state, self.settings
        if state.last_any is not None and moment.at - state.last_any < limits.min_gap_minutes * 60:
            return None
        return self._blocklist_nudge(moment) or self._site_nudge(moment)

    def _blocklist_nudge(self, moment: Moment) -> Nudge | None:
        limits, state = self.settings, self.state
        lingering = [
            v
            for v in moment.open_visits
            if v.kind == "blocklist" and v.seconds >= limits.blocklist_after_seconds
        ]
        if not lingering:
            return None
        last = state.last_blocklist
        if last is not None and moment.at - last < limits.blocklist_repeat_minutes * 60:
            return None
        visit = max(lingering, key=lambda v: v.seconds)
        heavy = moment.blocklist_visits_today >= HEAVY_DAY_VISITS
        reason: Reason = (
            "blocklist" if last is None or not _same_stretch(last, visit) else "blocklist_repeat"
        )
        return self._compose(
            moment,
            visit,
            reason,
            kinds=HEAVY_DAY_KINDS if heavy else BLOCKLIST_KINDS,
            site=DISCREET_SITE,
            minutes=int(visit.seconds // 60),
            heavy=heavy,
        )

    def _site_nudge(self, moment: Moment) -> Nudge | None:
        sites = [v for v in moment.open_visits if v.kind == "site"]
        if not sites:
            return None
        return (
            self._session_crossing(moment, sites)
            or self._budget_crossing(moment, sites)
            or self._site_repeat(moment, sites)
        )

    def _session_crossing(self, moment: Moment, sites: Sequence[Visit]) -> Nudge | None:
        """Once per visit, when it passes session_minutes."""
        threshold = self.settings.session_minutes * 60
        # Only visits still going on can cross again: forget the rest, so this stays small.
        open_keys = {(v.target, v.started_at) for v in sites}
        self.state.sessions_nudged &= open_keys
        for visit in sorted(sites, key=lambda v: -v.seconds):
            key = (visit.target, visit.started_at)
            if visit.seconds >= threshold and key not in self.state.sessions_nudged:
                self.state.sessions_nudged.add(key)
                return self._compose(moment, visit, "session", minutes=int(visit.seconds // 60))
        return None

    def _budget_crossing(self, moment: Moment, sites: Sequence[Visit]) -> Nudge | None:
        """Once per day, when the day's total passes daily_budget_minutes."""
        over = moment.site_seconds_today >= self.settings.daily_budget_minutes * 60
        if not over or self.state.budget_nudged_on == moment.day:
            return None
        self.state.budget_nudged_on = moment.day
        longest = max(sites, key=lambda v: v.seconds)
        return self._compose(
            moment, longest, "budget", minutes=int(moment.site_seconds_today // 60)
        )

    def _site_repeat(self, moment: Moment, sites: Sequence[Visit]) -> Nudge | None:
        """While over either limit, at most every repeat_minutes."""
        limits, last = self.settings, self.state.last_site
        if last is not None and moment.at - last < limits.repeat_minutes * 60:
            return None
        longest = max(sites, key=lambda v: v.seconds)
        if moment.site_seconds_today >= limits.daily_budget_minutes * 60:
            minutes = int(moment.site_seconds_today // 60)
            return self._compose(moment, longest, "budget_repeat", minutes=minutes)
        if longest.seconds >= limits.session_minutes * 60:
            minutes = int(longest.seconds // 60)
            return self._compose(moment, longest, "session_repeat", minutes=minutes)
        return None

    def _compose(
        self,
        moment: Moment,
        visit: Visit,
        reason: Reason,
        *,
        minutes: int,
        kinds: Sequence[MessageKind] = SITE_KINDS,
        site: str | None = None,
        heavy: bool = False,
    ) -> Nudge:
        message = self.choose(kinds, minutes)
        shown_site = site if site is not None else visit.target
        title = render(message.title, site=shown_site, minutes=minutes)
        body = render(message.body, site=shown_site, minutes=minutes)
        if heavy:
            title = (
                self._rng.choice(self.book.heavy_day_titles).title
                if self.book.heavy_day_titles
                else title
            )
            if self.support_line:
                body = f"{body}\n{self.support_line}"
        state = self.state
        state.last_any = moment.at
        if visit.kind == "blocklist":
            state.last_blocklist = moment.at
        else:
            state.last_site = moment.at
        state.recent_messages.append(message.id)
        return Nudge(moment.at, visit.kind, visit.target, reason, message.id, title, body, heavy)

    def choose(self, kinds: Iterable[MessageKind], minutes: int) -> Message:
        """A message of one of `kinds`, none of the last five, and only ones that read well now."""
        candidates = [
            m
            for m in self.book.of_kinds(kinds)
            if m.id not in self.state.recent_messages
            and (minutes >= MINUTES_WORTH_SAYING or not m.needs_minutes)
        ]
        if not candidates:  # a tiny custom book: rather repeat than fall silent
            candidates = self.book.of_kinds(kinds) or list(self.book.messages)
        return self._rng.choice(candidates)


def _same_stretch(last_nudge_at: float, visit: Visit) -> bool:
    """True when the last blocklist nudge came during this same visit."""
    return last_nudge_at >= visit.started_at
