"""The shell around the session's nudges: it gathers what the core must know (the notifier's
feedback, the pause in force, the day's stored visits, what came of the last effects), and
carries out what the core decided (send a nudge, write and update its rows, snooze). Every
decision (when to nudge and with what, whether a nudge was heeded, what a button press means,
when to try an unshown nudge again) is made in the core (nudger/core/session.py).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import logging
import random
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, TypeVar

from nudger.core import session
from nudger.core.browsing import PauseAnswer
from nudger.core.days import LocalDays
from nudger.core.messages import MessageBook
from nudger.core.policy import PAUSE_MESSAGE_ID, Policy, PolicyState
from nudger.core.session import (
    AddPause,
    Done,
    Effects,
    HeldBack,
    NotShown,
    Observation,
    PauseSeen,
    SendNudge,
    SessionState,
    Snooze,
    StoredDay,
    SupportShown,
    UpdateNudge,
)
from nudger.core.support import any_time_number
from nudger.core.translate import ENGLISH, N_, Said, Translator
from nudger.core.types import PAUSE_REASON, Visit
from nudger.notify.base import Notification, Notifier
from nudger.sensing import Reading
from nudger.settings.messages import builtin_book
from nudger.settings.support import country_of, support_table
from nudger.settings.values import Settings
from nudger.shell.faults import FaultLog
from nudger.shell.pause import Pause, PauseFile
from nudger.store import Store, StoreError

log = logging.getLogger(__name__)

T = TypeVar("T")
_NOTIFY_FAULT = "notify"
_RECORD_FAULT = "record-nudge"
# When the support line was last shown (day|night): it shows once a day and once a night.
SUPPORT_SHOWN_KEY = "support_shown"


def _pause_outcome(answer: PauseAnswer | None) -> Said:
    if answer is None:
        return Said(N_("waiting for an answer"))
    if answer == "away":
        return Said(N_("the person stepped away"))
    return Said(N_("the person went on"))


class Coach:
    def __init__(
        self,
        settings: Settings,
        store: Store,
        notifier: Notifier,
        pause_file: PauseFile,
        days: LocalDays,
        *,
        rng: random.Random | None = None,
        translator: Translator = ENGLISH,
    ) -> None:
        self.store = store
        # The language the nudges speak; its message book is chosen from it.
        self.translator = translator
        self.notifier = notifier
        self.pause_file = pause_file
        self.faults = FaultLog(log)
        self.days = days
        self._settings = settings
        self._rng = rng or random.Random()  # noqa: S311 - choosing a text, not a secret
        # What came of the last effects carried out, for the next observation.
        self._done: list[Done] = []

    def start(self) -> SessionState:
        """The session's first state: what the policy remembers, rebuilt from the store."""
        settings = self._settings
        return session.start(
            self._new_policy(settings, None),
            self.days,
            idle_seconds=settings.watch.idle_seconds,
            heeded_within_seconds=settings.nudges.heeded_within_seconds,
            flush_seconds=settings.watch.flush_seconds,
        )

    def apply(
        self,
        settings: Settings,
        days: LocalDays,
        translator: Translator | None,
        state: SessionState,
    ) -> SessionState:
        """New settings (and perhaps a new language): the session keeps what it remembers
        (rate limits, recent messages, nudges awaiting an outcome)."""
        if translator is not None:
            self.translator = translator
        self._settings = settings
        self.days = days
        return session.reconfigured(
            state,
            self._new_policy(settings, state.policy.state),
            days,
            idle_seconds=settings.watch.idle_seconds,
            heeded_within_seconds=settings.nudges.heeded_within_seconds,
            flush_seconds=settings.watch.flush_seconds,
        )

    def settings_in_use(self, state: SessionState) -> dict[str, list[object]]:
        """The settings as the session's policy and heed watch hold them (see
        Daemon.settings_in_use)."""
        policy = state.policy
        nudges = _as_json(dataclasses.asdict(policy.settings))
        return {
            **{f"nudges.{key}": [value] for key, value in nudges.items()},
            "nudges.heeded_within_seconds": [
                nudges["heeded_within_seconds"],
                state.heed.within_seconds,
            ],
            "watch.flush_seconds": [state.flush_seconds],
            "support.line": [policy.support_line],
            "messages": [sorted(m.id for m in policy.book.messages)],
            "summary.day_starts_at": [str(state.days.starts_at)],
            "summary.timezone": [str(state.days.tz)],
        }

    def problems(self) -> list[Said]:
        """What is wrong right now (no notification server, say), for `nudger status`."""
        return self.faults.messages()

    def _new_policy(self, settings: Settings, state: PolicyState | None) -> Policy:
        book = builtin_book(self.translator.language).with_user_messages(
            settings.messages.own_messages(), builtin=settings.messages.builtin
        )
        if state is None:
            state = self._restored_state(settings, book)
        return Policy(
            settings.nudges.rules(),
            book,
            support_line=settings.support.line,
            any_time_number=_any_time_number(settings.support.country),
            state=state,
            rng=self._rng,
            translator=self.translator,
        )

    # -- gathering ----------------------------------------------------------------------------

    def observe(
        self,
        at: float,
        reading: Reading | None,
        ended: Sequence[Visit],
        open_visits: Sequence[Visit],
        held_back: Sequence[HeldBack] = (),
        *,
        started: Sequence[Visit] = (),
        mono: float | None = None,
        day: dt.date | None = None,
        promised: bool = False,
    ) -> Observation:
        """What the session must know of now: the sample's part, with the notifier's feedback,
        the pause in force, what came of the last effects, and (when `day` is given, as the
        session asks) that day's stored visits."""
        today = None
        if day is not None:
            today = StoredDay(day, tuple(self._stored_visits(*self.days.bounds(day))))
        pause = self.pause_file.current(at)
        observation = Observation(
            at=at,
            reading=reading,
            ended=tuple(ended),
            open_visits=tuple(open_visits),
            started=tuple(started),
            mono=mono,
            held_back=tuple(held_back),
            feedback=tuple(self.notifier.feedback()),
            paused=pause is not None,
            snooze=pause is not None and pause.reason == "snooze",
            promised=promised,
            today=today,
            done=tuple(self._done),
            translator=self.translator,
        )
        self._done = []  # handed on only once the observation is whole
        return observation

    # -- carrying out -------------------------------------------------------------------------

    def carry_out(self, effects: Effects) -> None:
        """Do what the session decided, in order; what came of it goes to the next observation."""
        written: dict[int, int | None] = {}  # this tick's tickets -> the rows they wrote
        for action in effects.actions:
            if isinstance(action, SendNudge):
                self._send(action)
            elif isinstance(action, AddPause):
                written[action.ticket] = self._add_pause(action)
            elif isinstance(action, UpdateNudge):
                row = (
                    action.row_id if action.row_id is not None else written.get(action.ticket or 0)
                )
                if row is not None:
                    update = partial(
                        self.store.update_nudge, row, action=action.action, heeded=action.heeded
                    )
                    self._record(update)
            elif isinstance(action, NotShown):
                self.faults.fault(
                    _NOTIFY_FAULT,
                    Said(
                        N_("a notification was not shown: {problem}"), {"problem": action.problem}
                    ),
                )
                self._record(partial(self.store.mark_undelivered, action.row_id))
            elif isinstance(action, Snooze):
                self.pause_file.set(
                    Pause(until=action.until, set_at=action.set_at, reason="snooze")
                )
                log.info(N_("nudges snoozed for an hour"))
            elif isinstance(action, SupportShown):
                self._remember_support_shown(action)
            elif isinstance(action, PauseSeen):
                log.info(N_("a page was held back for a breath; %s"), _pause_outcome(action.answer))

    def _remember_support_shown(self, shown: SupportShown) -> None:
        """The support line shows once a day and once a night, restarts included."""
        night = shown.night.isoformat() if shown.night else ""
        day = shown.day.isoformat() if shown.day else ""
        self._record(lambda: self.store.set_meta(SUPPORT_SHOWN_KEY, f"{day}|{night}"))

    def _add_pause(self, pause: AddPause) -> int | None:
        row_id = self._record(
            lambda: self.store.add_nudge(
                at=pause.at,
                kind=pause.kind,
                target=pause.target,
                reason=PAUSE_REASON,
                message_id=PAUSE_MESSAGE_ID,
                delivered=True,
                channel="browser",
                notification_id=None,
            )
        )
        self._done.append(Done(pause.ticket, row_id))
        return row_id

    def _send(self, send: SendNudge) -> None:
        nudge = send.nudge
        delivery = self.notifier.send(
            Notification(
                nudge.title, nudge.body, self._settings.nudges.expire_seconds, words=send.words
            )
        )
        row_id = send.row_id
        if send.retry:
            if delivery.delivered and row_id is not None:
                row = row_id
                self._record(lambda: self.store.mark_delivered(row, delivery.notification_id))
        else:
            row_id = self._record(
                lambda: self.store.add_nudge(
                    at=nudge.at,
                    kind=nudge.kind,
                    target=nudge.target,
                    reason=nudge.reason,
                    message_id=nudge.message_id,
                    delivered=delivery.delivered,
                    channel=delivery.channel,
                    notification_id=delivery.notification_id,
                )
            )
        self._done.append(Done(send.ticket, row_id, delivery.delivered, delivery.notification_id))
        if delivery.delivered:
            self.faults.recovered(
                _NOTIFY_FAULT,
                Said(N_("notifications work again ({channel})"), {"channel": delivery.channel}),
            )
            # Which kind of nudge and which text, never the target: a log is read by others too.
            log.info(
                N_("nudge shown: %s (%s), message %s, through %s"),
                nudge.kind,
                nudge.reason,
                nudge.message_id,
                delivery.channel,
            )
        elif not send.retry:
            self.faults.fault(
                _NOTIFY_FAULT,
                Said(
                    N_(
                        "could not show a notification: {problem}; "
                        "recorded it as undelivered and will try again"
                    ),
                    {"problem": delivery.problem},
                ),
            )

    def _restored_state(self, settings: Settings, book: MessageBook) -> PolicyState:
        try:
            recent = self.store.recent_nudges(50)
        except StoreError:
            return PolicyState()
        state = PolicyState.rebuilt(
            recent,
            self.days,
            night=settings.nudges.rules().night,
            night_cap=settings.nudges.night_cap,
            kind_of=book.kind_of,
        )
        try:
            shown = self.store.get_meta(SUPPORT_SHOWN_KEY) or "|"
        except StoreError:
            shown = "|"
        day, _sep, night = shown.partition("|")
        with contextlib.suppress(ValueError):
            state.support_shown_day = dt.date.fromisoformat(day) if day else None
            state.support_shown_night = dt.date.fromisoformat(night) if night else None
        return state

    def _stored_visits(self, start: float, end: float) -> list[Visit]:
        try:
            return self.store.visits_between(start, end, source="front")
        except StoreError as error:
            self.faults.fault(
                _RECORD_FAULT, Said(N_("cannot read today's visits: {error}"), {"error": error})
            )
            return []

    def _record(self, write: Callable[[], T]) -> T | None:
        """Run one store write; a locked or full database is logged, never raised."""
        try:
            result = write()
        except StoreError as error:
            self.faults.fault(
                _RECORD_FAULT, Said(N_("cannot record a nudge: {error}"), {"error": error})
            )
            return None
        self.faults.recovered(_RECORD_FAULT, Said(N_("nudges are recorded again")))
        return result


def _any_time_number(configured_country: str) -> str:
    """The number of the person's country's line that answers at any hour, from [support]
    country or the locale; empty when nudger knows no such line for them."""
    code = country_of(configured_country)
    country = support_table().countries.get(code) if code else None
    return any_time_number(country) if country is not None else ""


def _as_json(value: Any) -> Any:
    """The policy's rules as the settings file's JSON form writes them (times as "23:00:00")."""
    if isinstance(value, dict):
        return {key: _as_json(item) for key, item in value.items()}
    return value.isoformat() if isinstance(value, dt.time) else value
