"""One decision per tick: `step(state, observation) -> (state, effects)`.

The shell gathers an `Observation` (what the sensor and the browsers said, the notifier's button
presses, the pause in force, what became of the last tick's effects, the language) and carries
out the `Effects` that come back (send this nudge, write or update these rows, snooze). Every
choice in between is made here, once: what a button press means, whether a nudge was heeded,
when to nudge and with what, when to try an unshown nudge again, whose page a browser pause was.

The shell writes rows and sends notifications, so it learns row ids and delivery results the
core cannot know in advance. Each effect that produces something carries a `ticket`; the shell
reports what came of it (`Done`) with the next observation, and an update within the same tick
names the ticket instead of the row.

The state is the core's own: the shell holds it between ticks and hands it back, and never reads
it to guess what happened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from nudger.core.browsing import PauseAnswer, PauseReport
from nudger.core.clock import is_away
from nudger.core.days import LocalDays
from nudger.core.holding import browser_rests
from nudger.core.ledger import DayLedger
from nudger.core.outcomes import (
    SNOOZE_SECONDS,
    Answers,
    HeedWatch,
    Undelivered,
    pause_heeded,
    pause_owner,
    retry_verdict,
)
from nudger.core.policy import Moment, Nudge, Policy
from nudger.core.translate import ENGLISH, Translator
from nudger.core.types import Feedback, Hit, Kind, Reading, Visit

# Browser pauses awaiting an answer; an unanswered one is forgotten past this many.
OPEN_PAUSES_KEPT = 64


# -- what comes in -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HeldBack:
    """A page the browser held back for a breath, with the rules its address belongs to. The
    address goes no further than the watcher: only the rules travel on."""

    report: PauseReport
    hits: tuple[Hit, ...]


@dataclass(frozen=True, slots=True)
class StoredDay:
    """The visits stored for nudger's day `day` (read by the shell when a day begins for it)."""

    day: dt.date
    visits: tuple[Visit, ...]


@dataclass(frozen=True, slots=True)
class Done:
    """What came of an effect with a ticket: the row written (None when the write failed) and,
    for a notification, whether it was shown."""

    ticket: int
    row_id: int | None
    delivered: bool = True
    notification_id: int | None = None


@dataclass(frozen=True, slots=True)
class Observation:
    """Everything the shell saw since the last tick."""

    at: float
    reading: Reading | None
    ended: tuple[Visit, ...] = ()  # visits in front that ended since the last tick
    open_visits: tuple[Visit, ...] = ()  # and those still going on
    started: tuple[Visit, ...] = ()  # visits that began since the last tick
    # Monotonic seconds, for the rhythm of writing: a wall clock that jumps must neither
    # write a burst nor hold writes back. None where no rhythm applies (a replay).
    mono: float | None = None
    held_back: tuple[HeldBack, ...] = ()
    feedback: tuple[Feedback, ...] = ()  # the notifier's button presses and failures
    paused: bool = False  # a pause or snooze is in force (`nudger pause`, the pause file)
    snooze: bool = False  # and it is a snooze (the button on a nudge), not a pause
    promised: bool = False  # a promise runs (nudger promise): a snooze quiets nudges only
    today: StoredDay | None = None  # given when nudger's day changed for the shell
    done: tuple[Done, ...] = ()  # what came of the last tick's effects
    translator: Translator = ENGLISH


# -- what goes out -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SendNudge:
    """Show this nudge; the first time (`row_id` None, `retry` False) write its row after."""

    ticket: int
    nudge: Nudge
    words: Translator
    row_id: int | None = None
    retry: bool = False


@dataclass(frozen=True, slots=True)
class AddPause:
    """Write the row of a page the browser held back (a nudge through the browser)."""

    ticket: int
    at: float
    kind: Kind
    target: str | None  # the rule's name, never the address; None when no rule owns it


@dataclass(frozen=True, slots=True)
class UpdateNudge:
    """Record an outcome on a nudge's row: the row itself, or the one a ticket of this tick
    wrote."""

    row_id: int | None = None
    ticket: int | None = None
    action: str | None = None
    heeded: bool | None = None


@dataclass(frozen=True, slots=True)
class NotShown:
    """The system refused a notification after taking it: record it as undelivered."""

    row_id: int
    problem: str | None


@dataclass(frozen=True, slots=True)
class Snooze:
    """The person asked for quiet ("Snooze 1 h"): pause nudges until `until`."""

    until: float
    set_at: float


@dataclass(frozen=True, slots=True)
class SupportShown:
    """A line to call was shown: keep when, so a restart does not show it again."""

    day: dt.date | None
    night: dt.date | None


@dataclass(frozen=True, slots=True)
class PauseSeen:
    """A browser pause or its answer came in (for the log, which never names the page)."""

    answer: PauseAnswer | None


Action = SendNudge | AddPause | UpdateNudge | NotShown | Snooze | SupportShown | PauseSeen


@dataclass(frozen=True, slots=True)
class Effects:
    """What the shell must do, in this order."""

    actions: tuple[Action, ...] = ()
    # Write the visits: those that ended, and those still going on as they stand now.
    write_visits: bool = False
    # Nudges are paused or snoozed now (a snooze pressed this tick included).
    paused: bool = False
    # The browser holds nothing back now (core.holding.browser_rests).
    browser_rests: bool = False

    @property
    def nudge(self) -> Nudge | None:
        """The nudge decided this tick (a retry of an unshown one is not a new decision)."""
        return next(
            (a.nudge for a in self.actions if isinstance(a, SendNudge) and not a.retry), None
        )


# -- what the core keeps -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Sending:
    nudge: Nudge
    row_id: int | None
    retry: bool


@dataclass
class SessionState:
    """What the session remembers between ticks. Made by `start`, changed only by `step` and
    `reconfigured`."""

    policy: Policy
    days: LocalDays
    idle_seconds: float
    heed: HeedWatch
    flush_seconds: float = 60.0
    last_write: float | None = None  # monotonic seconds
    ledger: DayLedger = field(default_factory=DayLedger)
    answers: Answers = field(default_factory=Answers)
    undelivered: Undelivered | None = None
    # The browser's pauses not answered yet: pause id -> its row (or the ticket writing it).
    open_pauses: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    # The pauses answered lately (an ordered set): the companion sends again what it is not sure
    # arrived, and a pause said twice is still one pause.
    answered_pauses: dict[str, None] = field(default_factory=dict)
    # Tickets whose outcome the shell has not reported yet.
    sending: dict[int, _Sending] = field(default_factory=dict)
    pausing: dict[int, str] = field(default_factory=dict)  # ticket -> the pause's id
    # Nudges whose outcome is awaited: row id -> message id, to learn from the outcome.
    watched: dict[int, str] = field(default_factory=dict)
    next_ticket: int = 1

    def ticket(self) -> int:
        self.next_ticket += 1
        return self.next_ticket - 1


def start(
    policy: Policy,
    days: LocalDays,
    *,
    idle_seconds: float,
    heeded_within_seconds: float,
    flush_seconds: float = 60.0,
) -> SessionState:
    """A session's first state (the policy's state rebuilt from the stored nudges)."""
    return SessionState(policy, days, idle_seconds, HeedWatch(heeded_within_seconds), flush_seconds)


def reconfigured(
    state: SessionState,
    policy: Policy,
    days: LocalDays,
    *,
    idle_seconds: float,
    heeded_within_seconds: float,
    flush_seconds: float = 60.0,
) -> SessionState:
    """New settings: what the policy and the outcomes remember carries on."""
    state.policy = policy
    state.flush_seconds = flush_seconds
    state.days = days
    state.idle_seconds = idle_seconds
    state.heed.within_seconds = heeded_within_seconds
    state.ledger.day = None  # re-seed: the day boundary may have moved
    return state


def needs_day(state: SessionState, at: float) -> dt.date | None:
    """The day whose stored visits the next observation must bring (`today`), if any."""
    day = state.days.day_of(at)
    return day if state.ledger.day != day else None


# -- the decision --------------------------------------------------------------------------------


def step(state: SessionState, observation: Observation) -> tuple[SessionState, Effects]:
    """One tick: take in what happened, decide, and say what the shell must do."""
    actions: list[Action] = []
    at = observation.at
    write_visits = _write_now(state, observation)
    state.policy.translator = observation.translator
    _take_done(state, observation.done)
    # The shell reports every ticket with the next observation: one not reported was lost.
    state.sending.clear()
    for pause_id in state.pausing.values():
        if pause_id in state.open_pauses:
            state.open_pauses[pause_id] = (None, None)
    state.pausing.clear()
    _take_pauses(state, observation.held_back, actions)
    snoozed = _take_answers(state, observation.feedback, at, actions)
    moment = _moment(state, observation, paused=observation.paused or snoozed)
    for row_id, heeded in state.heed.resolve(at, moment.open_visits):
        actions.append(UpdateNudge(row_id, heeded=heeded))
        message_id = state.watched.pop(row_id, None)
        if message_id is not None:
            state.policy.learned(message_id, heeded)
    if state.undelivered is not None:
        _retry(state, moment, observation.translator, actions)
    else:
        nudge = state.policy.decide(moment)
        if nudge is not None:
            ticket = state.ticket()
            state.sending[ticket] = _Sending(nudge, None, retry=False)
            actions.append(SendNudge(ticket, nudge, observation.translator))
            if nudge.line_shown:
                policy = state.policy.state
                actions.append(SupportShown(policy.support_shown_day, policy.support_shown_night))
    rests = browser_rests(
        paused=observation.paused and not observation.snooze,
        snoozed=snoozed or observation.snooze,
        promised=observation.promised,
    )
    return state, Effects(tuple(actions), write_visits, paused=moment.paused, browser_rests=rests)


def _write_now(state: SessionState, observation: Observation) -> bool:
    """A visit that begins or ends is written at once, so the database always shows what is on
    screen; a visit that simply goes on is written every flush_seconds."""
    changed = bool(observation.ended or observation.started)
    mono = observation.mono
    if mono is None:
        return changed
    if changed or state.last_write is None or mono - state.last_write >= state.flush_seconds:
        state.last_write = mono
        return True
    return False


def _take_done(state: SessionState, done: Sequence[Done]) -> None:
    """The shell's report on the last tick's effects: rows written, notifications shown."""
    for item in done:
        pause_id = state.pausing.pop(item.ticket, None)
        if pause_id is not None and pause_id in state.open_pauses:
            state.open_pauses[pause_id] = (item.row_id, None)
        sending = state.sending.pop(item.ticket, None)
        if sending is None:
            continue
        row_id = sending.row_id if sending.retry else item.row_id
        if item.delivered:
            if sending.retry:
                state.undelivered = None
            _shown(state, sending.nudge, row_id, item.notification_id)
        elif not sending.retry:
            # Recorded as undelivered; tried again while the person is still on the page.
            state.undelivered = Undelivered(sending.nudge, row_id, sending.nudge.at)


def _shown(
    state: SessionState, nudge: Nudge, row_id: int | None, notification_id: int | None
) -> None:
    if row_id is None:
        return
    state.heed.watch(row_id, nudge.kind, nudge.target, nudge.at)
    state.watched[row_id] = nudge.message_id
    if notification_id is not None:
        state.answers.sent(notification_id, row_id)


def _take_pauses(state: SessionState, held_back: Sequence[HeldBack], actions: list[Action]) -> None:
    """Each pause the browser held a page back with is a nudge of its own; its answer is that
    nudge's outcome. The record keeps the rule's name, as a nudge does, never the address."""
    for held in held_back:
        pause = held.report
        said_before = pause.pause_id in state.answered_pauses or (
            pause.answer is None and pause.pause_id in state.open_pauses
        )
        if pause.pause_id and said_before:
            continue  # said again: once is enough (a report without an id is never merged)
        if pause.answer is not None and pause.pause_id in state.open_pauses:
            row_id, ticket = state.open_pauses.pop(pause.pause_id)
        else:
            row_id, ticket = None, _add_pause(state, pause, held.hits, actions)
        if pause.answer is not None and pause.pause_id:
            state.answered_pauses[pause.pause_id] = None
            if len(state.answered_pauses) > OPEN_PAUSES_KEPT:
                state.answered_pauses.pop(next(iter(state.answered_pauses)))
        if pause.answer is not None and (row_id is not None or ticket is not None):
            heeded = pause_heeded(pause.answer)
            actions.append(UpdateNudge(row_id, ticket, action=pause.answer, heeded=heeded))
        actions.append(PauseSeen(pause.answer))


def _add_pause(
    state: SessionState, pause: PauseReport, hits: Sequence[Hit], actions: list[Action]
) -> int:
    kind, target = pause_owner(hits)
    # That was this moment's nudge: a notification about the same page right after it would
    # only say it twice.
    state.policy.noted_pause(pause.at, kind)
    ticket = state.ticket()
    actions.append(AddPause(ticket, pause.at, kind, target))
    if pause.answer is None:
        if len(state.open_pauses) >= OPEN_PAUSES_KEPT:
            state.open_pauses.pop(next(iter(state.open_pauses)))  # never answered
        state.open_pauses[pause.pause_id] = (None, ticket)
        state.pausing[ticket] = pause.pause_id
    return ticket


def _take_answers(
    state: SessionState, feedback: Sequence[Feedback], at: float, actions: list[Action]
) -> bool:
    """The notifier's feedback, read the way it is meant. True when the person snoozed."""
    snoozed = False
    for answer in state.answers.read(feedback):
        if answer.outcome == "failed":
            # Taken, then refused by the system: recorded as undelivered, with the reason.
            actions.append(NotShown(answer.row_id, answer.problem))
            continue
        # A button is the clearest answer there is: stepping away heeds the nudge.
        state.heed.answered(answer.row_id, answer.outcome)
        if answer.outcome == "snooze":
            # The snooze first: it is what the person asked for, and the record can wait.
            actions.append(Snooze(until=at + SNOOZE_SECONDS, set_at=at))
            snoozed = True
        actions.append(UpdateNudge(answer.row_id, action=answer.outcome))
    return snoozed


def _moment(state: SessionState, observation: Observation, *, paused: bool) -> Moment:
    """Now, as the policy sees it: today's ledger brought up to date."""
    at, days = observation.at, state.days
    day = days.day_of(at)
    if state.ledger.day != day:
        stored = observation.today
        visits = stored.visits if stored is not None and stored.day == day else ()
        state.ledger.begin(day, days.bounds(day), visits)
    else:
        state.ledger.add(observation.ended)
    open_visits = observation.open_visits
    reading = observation.reading
    local = dt.datetime.fromtimestamp(at, days.tz)
    return Moment(
        at=at,
        local_time=local.time(),
        day=day,
        local_date=local.date(),
        idle=reading is None or is_away(reading.idle_seconds, state.idle_seconds),
        paused=paused,
        open_visits=open_visits,
        site_seconds_today=state.ledger.site_seconds(open_visits),
        blocklist_visits_today=state.ledger.blocklist_visits(open_visits),
        blocklist_starts=state.ledger.blocklist_starts(open_visits),
    )


def _retry(state: SessionState, moment: Moment, words: Translator, actions: list[Action]) -> None:
    pending = state.undelivered
    assert pending is not None
    verdict = retry_verdict(
        pending, moment.at, moment.open_visits, may_speak=state.policy.may_speak(moment)
    )
    if verdict == "drop":
        state.undelivered = None  # the moment passed; it stays recorded as undelivered
    if verdict != "retry":
        return
    pending.last_try = moment.at
    ticket = state.ticket()
    state.sending[ticket] = _Sending(pending.nudge, pending.row_id, retry=True)
    actions.append(SendNudge(ticket, pending.nudge, words, pending.row_id, retry=True))
