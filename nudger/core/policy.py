"""When to nudge, and what to say. Pure: the caller passes the moment in and acts on the answer.

The rules, with the defaults from [nudges]:
- A page on the blocklist: the first nudge once a visit has lasted 5 s (glances matter), then at
  most every 10 minutes while such visits go on. From the third visit of a day the title turns
  to a neutral, caring one, and the support line (if any) is added: at most once a day and
  once a night.
- Social sites: once when one visit passes 20 minutes, once when the day passes 60 minutes, and
  while over either, at most every 30 minutes.
- Always: at least 5 minutes between any two nudges; nothing while idle, paused or snoozed.
- Night (23:00-05:00): only texts written for the night, at most 3 notifications a night. In
  quiet hours, nothing, except one gentle night message when a blocklist page is open.
- Adapting (see adapting.py): kinds that were heeded come more often, and after ignored
  nudges in a row the gaps grow.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from nudger.core.adapting import Learning, night_of
from nudger.core.days import LocalDays
from nudger.core.messages import (
    ALL_SITES,
    DISCREET_SITE,
    NOTIFICATION_BODY_LIMIT,
    Message,
    MessageBook,
    fit,
    render,
)
from nudger.core.summary import HARD_DAY_VISITS
from nudger.core.translate import _
from nudger.core.types import PAUSE_REASON, Kind, NudgeRow, Visit
from nudger.models import MessageKind, NudgeSettings, QuietHours

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
# At night: rest, a slow breath, writing it down, putting the screen away. Not the counsellor's
# number at 2 a.m. in a notification: that is what `nudger help-now` and the support line are for.
NIGHT_KINDS: tuple[MessageKind, ...] = ("be_kind", "journal", "social_break", "reach_out", "move")
RECENT_MESSAGES = 5
# {minutes} reads oddly below this ("0 minutes", "1 minutes"); such texts wait for longer visits.
MINUTES_WORTH_SAYING = 2


@dataclass(frozen=True, slots=True)
class Moment:
    """Everything the policy needs to know about now."""

    at: float
    local_time: dt.time
    day: dt.date  # nudger's day (it begins at summary.day_starts_at)
    local_date: dt.date  # the calendar date on the wall clock
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
    learning: Learning = field(default_factory=Learning)
    # Notifications in the current night: (the night's date, how many).
    night_count: tuple[dt.date | None, int] = (None, 0)
    support_shown_day: dt.date | None = None
    support_shown_night: dt.date | None = None
    last_title: str | None = None

    @classmethod
    def rebuilt(
        cls,
        recent: Sequence[NudgeRow],
        days: LocalDays,
        *,
        night: QuietHours | None = None,
        kind_of: Callable[[str], MessageKind | None] = lambda _id: None,
    ) -> PolicyState:
        """The state the recent nudges (newest first) imply, so that a restart never means a
        burst: rate limits, today's budget nudge, tonight's count, the texts just shown and
        what was heeded all carry over."""
        state = cls()
        state.learning = Learning.from_rows(recent, kind_of)
        tonight = None
        for row in recent:
            if row.reason != PAUSE_REASON:
                row_night = night_of(dt.datetime.fromtimestamp(row.at, days.tz), night)
                tonight = tonight or row_night
                if row_night is not None and row_night == tonight:
                    state.night_count = (tonight, state.night_count[1] + 1)
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

    def night_of(self, moment: Moment) -> dt.date | None:
        local = dt.datetime.combine(moment.local_date, moment.local_time)
        return night_of(local, self.settings.night)

    def may_speak(self, moment: Moment) -> bool:
        """The rules every nudge follows. (The evening summary follows pause and quiet hours.)"""
        if not self.settings.enabled or moment.idle or moment.paused:
            return False
        night = self.night_of(moment)
        if night is not None and self._tonight(night) >= self.settings.night_cap:
            return False
        if self.is_quiet(moment.local_time):
            # One gentle night message may still come, if the person allowed it.
            return (
                self.settings.quiet_hours_night_care
                and night is not None
                and self._tonight(night) == 0
            )
        return True

    def decide(self, moment: Moment) -> Nudge | None:
        if not self.may_speak(moment):
            return None
        state, limits = self.state, self.settings
        gap = limits.min_gap_minutes * 60 * state.learning.spacing()
        if state.last_any is not None and moment.at - state.last_any < gap:
            return None
        if self.is_quiet(moment.local_time):
            return self._blocklist_nudge(moment)  # the night's one gentle message
        return self._blocklist_nudge(moment) or self._site_nudge(moment)

    def learned(self, message_id: str, heeded: bool) -> None:
        """How a nudge was received: steers the kinds chosen and the gaps between nudges."""
        self.state.learning.record(self.book.kind_of(message_id), heeded)

    def _tonight(self, night: dt.date) -> int:
        counted_night, count = self.state.night_count
        return count if counted_night == night else 0

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
        gap = limits.blocklist_repeat_minutes * 60 * state.learning.spacing()
        if last is not None and moment.at - last < gap:
            return None
        visit = max(lingering, key=lambda v: v.seconds)
        heavy = moment.blocklist_visits_today >= HARD_DAY_VISITS
        reason: Reason = (
            "blocklist" if last is None or not _same_stretch(last, visit) else "blocklist_repeat"
        )
        return self._compose(
            moment,
            visit,
            reason,
            kinds=HEAVY_DAY_KINDS if heavy else BLOCKLIST_KINDS,
            site=_(DISCREET_SITE),
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
        # The day's total belongs to all sites together: naming one site next to it misleads.
        minutes = int(moment.site_seconds_today // 60)
        return self._compose(moment, longest, "budget", minutes=minutes, site=_(ALL_SITES))

    def _site_repeat(self, moment: Moment, sites: Sequence[Visit]) -> Nudge | None:
        """While over either limit, at most every repeat_minutes."""
        limits, last = self.settings, self.state.last_site
        gap = limits.repeat_minutes * 60 * self.state.learning.spacing()
        if last is not None and moment.at - last < gap:
            return None
        longest = max(sites, key=lambda v: v.seconds)
        if moment.site_seconds_today >= limits.daily_budget_minutes * 60:
            minutes = int(moment.site_seconds_today // 60)
            return self._compose(
                moment, longest, "budget_repeat", minutes=minutes, site=_(ALL_SITES)
            )
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
        night = self.night_of(moment)
        line = self._support_line_now(moment, night) if heavy else ""
        shown_site = site if site is not None else visit.target
        room = NOTIFICATION_BODY_LIMIT - (len(line) + 1 if line else 0)
        message = self.choose(
            NIGHT_KINDS if night is not None else kinds,
            minutes,
            night=night is not None,
            fits=lambda m: len(render(m.body, site=shown_site, minutes=minutes)) <= room,
        )
        title = render(message.title, site=shown_site, minutes=minutes)
        body = fit(render(message.body, site=shown_site, minutes=minutes), room)
        if heavy and self.book.heavy_day_titles:
            # A different one each time: the same words twice in a row read as a machine.
            fresh = [h for h in self.book.heavy_day_titles if h.title != self.state.last_title]
            title = self._rng.choice(fresh or self.book.heavy_day_titles).title
        if line:
            body = f"{body}\n{line}"
        state = self.state
        state.last_any = moment.at
        if visit.kind == "blocklist":
            state.last_blocklist = moment.at
        else:
            state.last_site = moment.at
        if night is not None:
            state.night_count = (night, self._tonight(night) + 1)
        state.recent_messages.append(message.id)
        state.last_title = title
        return Nudge(moment.at, visit.kind, visit.target, reason, message.id, title, body, heavy)

    def _support_line_now(self, moment: Moment, night: dt.date | None) -> str:
        """The person's support line, on the first heavy nudge of a day and of a night only:
        a number repeated on every notification becomes noise, and others see screens."""
        state = self.state
        if not self.support_line or state.support_shown_day == moment.day:
            return ""
        if night is not None and state.support_shown_night == night:
            return ""
        state.support_shown_day = moment.day
        if night is not None:
            state.support_shown_night = night
        return self.support_line

    def choose(
        self,
        kinds: Sequence[MessageKind],
        minutes: int,
        *,
        night: bool = False,
        fits: Callable[[Message], bool] = lambda _m: True,
    ) -> Message:
        """A message for this hour, of one of `kinds` (weighted by what was heeded before),
        none of the last five, and only ones that read well now and fit the space."""
        usable = [
            m
            for m in self.book.of_kinds(kinds)
            if m.fits(night)
            and m.id not in self.state.recent_messages
            and (minutes >= MINUTES_WORTH_SAYING or not m.needs_minutes)
        ]
        candidates = [m for m in usable if fits(m)] or usable
        if not candidates:  # a tiny custom book: rather repeat than fall silent
            candidates = [m for m in self.book.of_kinds(kinds) if m.fits(night)]
            candidates = candidates or self.book.of_kinds(kinds) or list(self.book.messages)
        present = sorted({m.kind for m in candidates}, key=kinds.index)
        if len(present) > 1:
            kind = self._rng.choices(present, weights=self.state.learning.weights(present))[0]
            candidates = [m for m in candidates if m.kind == kind]
        return self._rng.choice(candidates)


def _same_stretch(last_nudge_at: float, visit: Visit) -> bool:
    """True when the last blocklist nudge came during this same visit."""
    return last_nudge_at >= visit.started_at
