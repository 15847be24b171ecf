"""When to nudge, and what to say. Pure: the caller passes the moment in and acts on the answer.

The rules, with the defaults from [nudges]:
- A page on the blocklist: the first nudge once a visit has lasted 5 s (glances matter), then at
  most every 10 minutes while such visits go on. From the third visit of a day the title turns
  to a neutral, caring one, and the support line (if any) is added once that day.
- Social sites: once when one visit passes 20 minutes, once when the day passes 60 minutes, and
  while over either, at most every 30 minutes.
- Always: at least 5 minutes between any two nudges; nothing while idle, paused or snoozed.
- Night (23:00-05:00): only texts written for the night (or tagged `any` after a reading), at
  most 3 notifications a night, spread over it: one in each third (see nights.py). When the
  night is hard, one notification carries a number: the person's own line, else their
  country's line that answers at any hour, else a pointer to `nudger help-now`. In quiet hours,
  nothing, except one gentle night message after a sign of distress on a blocklist page.
- Adapting (see adapting.py): kinds that were heeded come more often, and after ignored
  nudges in a row the gaps grow; the row starts again with each day and each night.
"""

from __future__ import annotations

import datetime as dt
import itertools
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
from nudger.core.nights import (
    HARD_NIGHT_VISITS,
    part_of_night,
    seconds_into_night,
    shows_distress,
    visits_tonight,
)
from nudger.core.summary import HARD_DAY_VISITS
from nudger.core.translate import ENGLISH, Translator
from nudger.core.types import PAUSE_REASON, ClockSpan, Kind, MessageKind, NudgeRow, Visit

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
NIGHT_KINDS: tuple[MessageKind, ...] = (
    "be_kind",
    "journal",
    "social_break",
    "reach_out",
    "move",
    "small_goal",
)
RECENT_MESSAGES = 5
# {minutes} reads oddly below this ("0 minutes", "1 minutes"); such texts wait for longer visits.
MINUTES_WORTH_SAYING = 2


@dataclass(frozen=True, slots=True)
class NudgeRules:
    """The [nudges] settings as the policy takes them (built by the settings' NudgeSettings)."""

    enabled: bool = True
    blocklist_after_seconds: float = 5
    blocklist_repeat_minutes: float = 10
    session_minutes: float = 20
    daily_budget_minutes: float = 60
    repeat_minutes: float = 30
    min_gap_minutes: float = 5
    quiet_hours: ClockSpan | None = None
    night: ClockSpan | None = None
    night_cap: int = 3
    quiet_hours_night_care: bool = True
    expire_seconds: float = 20
    heeded_within_seconds: float = 120


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
    # When today's blocklist visits began (open ones too), oldest first: tonight's count and a
    # burst of visits are read from these.
    blocklist_starts: Sequence[float] = ()


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
    number: bool = False  # the body carries a line to call: the person's own, or their country's
    # The body carries the day's or the night's one line to call (or the pointer to help-now):
    # the shell keeps that, so a restart does not show it twice.
    line_shown: bool = False


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
    # The last of the night's equal parts that had its nudge: (the night's date, the part).
    night_part: tuple[dt.date | None, int] = (None, -1)
    support_shown_day: dt.date | None = None
    # The night a line to call was shown: the person's own, or else their country's.
    support_shown_night: dt.date | None = None
    last_title: str | None = None
    # The day or night the ignored-in-a-row count belongs to: it starts again with each.
    streak_of: tuple[str, dt.date] | None = None

    def nudged(self, at: float, kind: str) -> None:
        """A nudge (or a pause in the browser) about `kind` at `at`: the gaps count from here.
        Never moves a time back (rows rebuilt on start come newest first)."""
        self.last_any = max(self.last_any or at, at)
        if kind == "blocklist":
            self.last_blocklist = max(self.last_blocklist or at, at)
        elif kind == "site":
            self.last_site = max(self.last_site or at, at)

    @classmethod
    def rebuilt(
        cls,
        recent: Sequence[NudgeRow],
        days: LocalDays,
        *,
        night: ClockSpan | None = None,
        night_cap: int = 3,
        kind_of: Callable[[str], MessageKind | None] = lambda _id: None,
    ) -> PolicyState:
        """The state the recent nudges (newest first) imply, so that a restart never means a
        burst: rate limits, today's budget nudge, tonight's count and parts, the texts just
        shown and what was heeded all carry over."""
        state = cls()
        state.learning = Learning.from_rows(recent, kind_of)
        texts = [row for row in recent if row.reason != PAUSE_REASON]
        tonight = None
        for row in texts:
            # The wall clock, as a moment reads it (the night's parts are wall-clock hours).
            local = dt.datetime.fromtimestamp(row.at, days.tz).replace(tzinfo=None)
            row_night = night_of(local, night)
            tonight = tonight or row_night
            if night is not None and row_night is not None and row_night == tonight:
                part = part_of_night(local, row_night, night, night_cap)
                state.night_count = (tonight, state.night_count[1] + 1)
                state.night_part = (tonight, max(state.night_part[1], part))
        for row in recent:
            state.nudged(row.at, row.kind)
            if row.reason == "budget" and state.budget_nudged_on is None:
                state.budget_nudged_on = days.day_of(row.at)
        for row in reversed(texts[:RECENT_MESSAGES]):
            state.recent_messages.append(row.message_id)
        if texts:

            def period(row: NudgeRow) -> tuple[str, dt.date]:
                local = dt.datetime.fromtimestamp(row.at, days.tz)
                return period_of(local, days.day_of(row.at), night)

            # Only the ignored nudges of the newest row's day or night count as in a row.
            state.streak_of = period(texts[0])
            decided = [row for row in texts if row.heeded is not None]
            streak = itertools.takewhile(
                lambda row: not row.heeded and period(row) == state.streak_of, decided
            )
            state.learning.ignored_in_a_row = sum(1 for _row in streak)
        return state


def is_quiet(rules: NudgeRules, local_time: dt.time) -> bool:
    """Within the person's quiet hours (the evening summary keeps them too)."""
    quiet = rules.quiet_hours
    return quiet is not None and quiet.contains(local_time)


def period_of(local: dt.datetime, day: dt.date, night: ClockSpan | None) -> tuple[str, dt.date]:
    """The night `local` falls in, else nudger's day: what an ignored streak belongs to."""
    tonight = night_of(local, night)
    return ("night", tonight) if tonight is not None else ("day", day)


class Policy:
    def __init__(
        self,
        settings: NudgeRules,
        book: MessageBook,
        *,
        rng: random.Random,
        support_line: str = "",
        any_time_number: str = "",
        state: PolicyState | None = None,
        translator: Translator = ENGLISH,
    ) -> None:
        self.settings = settings
        self.book = book
        # The language the book is in: its few words of our own (a site's stand-in, the line
        # to talk to) speak it too.
        self.translator = translator
        self.support_line = support_line
        # The person's country's line that answers at any hour ("116 123"); empty when no
        # country is known, and a hard night then points to `nudger help-now` instead.
        self.any_time_number = any_time_number
        self.state = state or PolicyState()
        # Given, not made here: a new Random would read the system's entropy, and a pure core
        # reads nothing (tests give a seeded one).
        self._rng = rng

    def is_quiet(self, local_time: dt.time) -> bool:
        return is_quiet(self.settings, local_time)

    def noted_pause(self, at: float, kind: Kind) -> None:
        """The browser held a page back for a breath. That was this moment's nudge: a
        notification about the same page right after it would only say it twice."""
        self.state.nudged(at, kind)

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
        self._streak_for(moment)
        if not self.may_speak(moment):
            return None
        state, limits = self.state, self.settings
        gap = limits.min_gap_minutes * 60 * state.learning.spacing()
        if state.last_any is not None and moment.at - state.last_any < gap:
            return None
        if self.is_quiet(moment.local_time):
            # The night's one gentle message, kept for a sign of distress, not the first glance.
            return self._blocklist_nudge(moment) if self._in_distress(moment) else None
        if not self._part_is_free(moment):
            return None
        return self._blocklist_nudge(moment) or self._site_nudge(moment)

    def _streak_for(self, moment: Moment) -> None:
        """Ignored nudges in a row count within one day or one night: a hard afternoon must
        not stretch the night's gaps, nor a hard night the next day's."""
        local = dt.datetime.combine(moment.local_date, moment.local_time)
        period = period_of(local, moment.day, self.settings.night)
        if self.state.streak_of is not None and self.state.streak_of != period:
            self.state.learning.ignored_in_a_row = 0
        self.state.streak_of = period

    def _part_is_free(self, moment: Moment) -> bool:
        """At most one nudge in each of the night's equal parts (by day, always free)."""
        night, window = self.night_of(moment), self.settings.night
        if night is None or window is None:
            return True
        used_night, used_part = self.state.night_part
        return used_night != night or self._part(moment, night) > used_part

    def _part(self, moment: Moment, night: dt.date) -> int:
        window = self.settings.night
        assert window is not None  # a moment has a night only when the night is set
        local = dt.datetime.combine(moment.local_date, moment.local_time)
        return part_of_night(local, night, window, self.settings.night_cap)

    def _in_distress(self, moment: Moment) -> bool:
        longest = max((v.seconds for v in moment.open_visits if v.kind == "blocklist"), default=0.0)
        return shows_distress(moment.blocklist_starts, moment.at, longest)

    def _hard_night(self, moment: Moment, night: dt.date) -> bool:
        """From the third blocklist visit of the night, or with the nudge that reaches the cap
        (in quiet hours, the one care message is the night's last: it comes after distress)."""
        window = self.settings.night
        assert window is not None
        local = dt.datetime.combine(moment.local_date, moment.local_time)
        into = seconds_into_night(local, night, window)
        tonight = visits_tonight(moment.blocklist_starts, moment.at, into)
        if tonight >= HARD_NIGHT_VISITS or self.is_quiet(moment.local_time):
            return True
        return self._tonight(night) + 1 >= self.settings.night_cap

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
            site=self.translator._(DISCREET_SITE),
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
        return self._compose(
            moment, longest, "budget", minutes=minutes, site=self.translator._(ALL_SITES)
        )

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
                moment, longest, "budget_repeat", minutes=minutes, site=self.translator._(ALL_SITES)
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
        line, number = self._line_now(moment, night, heavy=heavy)
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
        state.nudged(moment.at, visit.kind)
        if night is not None:
            state.night_count = (night, self._tonight(night) + 1)
            state.night_part = (night, self._part(moment, night))
        state.recent_messages.append(message.id)
        state.last_title = title
        return Nudge(
            moment.at,
            visit.kind,
            visit.target,
            reason,
            message.id,
            title,
            body,
            heavy,
            number=number,
            line_shown=bool(line),
        )

    def _line_now(self, moment: Moment, night: dt.date | None, *, heavy: bool) -> tuple[str, bool]:
        """A line to call, once in a hard day and once in a hard night, never on every
        notification: a number repeated becomes noise, and others see screens.

        By day, the person's own line on a heavy day. At night, when the night is hard, their
        own line, else their country's line that answers at any hour, else where to find one.
        Returns the line and whether it carries a number.
        """
        state = self.state
        if night is None:
            if not heavy or not self.support_line or state.support_shown_day == moment.day:
                return "", False
            state.support_shown_day = moment.day
            return self.support_line, True
        if state.support_shown_night == night or not (heavy or self._hard_night(moment, night)):
            return "", False
        state.support_shown_night = night
        if self.support_line:
            return self.support_line, True
        if self.any_time_number:
            line = self.translator._("Someone to talk to, any time: {number}")
            return line.format(number=self.any_time_number), True
        return self.translator._(
            "Someone to talk to, any time: type nudger help-now in a terminal"
        ), False

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
            # At night a text for the night of another kind, before any text of the day.
            candidates = candidates or [m for m in self.book.messages if m.fits(night)]
            candidates = candidates or self.book.of_kinds(kinds) or list(self.book.messages)
        # Kinds in the order asked for (a fallback's other kinds after them).
        order = {kind: index for index, kind in enumerate(kinds)}
        present = sorted({m.kind for m in candidates}, key=lambda k: (order.get(k, len(kinds)), k))
        if len(present) > 1:
            kind = self._rng.choices(present, weights=self.state.learning.weights(present))[0]
            candidates = [m for m in candidates if m.kind == kind]
        return self._rng.choice(candidates)


def _same_stretch(last_nudge_at: float, visit: Visit) -> bool:
    """True when the last blocklist nudge came during this same visit."""
    return last_nudge_at >= visit.started_at
