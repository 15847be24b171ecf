"""The shell around the nudge policy: it reads the pause, sends what the policy decided, and
records what happened. Every decision (when to nudge and with what, whether a nudge was
heeded, what a button press means, when to try an unshown nudge again) is made in the core.
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

from nudger.core.browsing import PauseReport
from nudger.core.clock import is_away
from nudger.core.days import LocalDays
from nudger.core.ledger import DayLedger
from nudger.core.messages import MessageBook
from nudger.core.outcomes import (
    Answers,
    HeedWatch,
    Undelivered,
    pause_heeded,
    pause_owner,
    retry_verdict,
)
from nudger.core.policy import PAUSE_MESSAGE_ID, Moment, Nudge, Policy, PolicyState
from nudger.core.support import any_time_number
from nudger.core.translate import ENGLISH, N_, Said, Translator
from nudger.core.types import PAUSE_REASON, Hit, Visit
from nudger.notify.base import Delivery, Notification, Notifier
from nudger.sensing import Reading
from nudger.settings.messages import builtin_book
from nudger.settings.models import Settings
from nudger.settings.support import country_of, support_table
from nudger.shell.faults import FaultLog
from nudger.shell.pause import SNOOZE_SECONDS, Pause, PauseFile
from nudger.shell.watcher import HeldBack
from nudger.store import Store, StoreError

log = logging.getLogger(__name__)

T = TypeVar("T")
_NOTIFY_FAULT = "notify"
_RECORD_FAULT = "record-nudge"
_OPEN_PAUSES_KEPT = 64
# When the support line was last shown (day|night): it shows once a day and once a night.
SUPPORT_SHOWN_KEY = "support_shown"


def _pause_outcome(pause: PauseReport) -> Said:
    if pause.answer is None:
        return Said(N_("waiting for an answer"))
    if pause.answer == "away":
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
        self.policy = self._new_policy(settings, None)
        self.heed = HeedWatch(settings.nudges.heeded_within_seconds)
        self.ledger = DayLedger()
        self._answers = Answers()
        self._undelivered: Undelivered | None = None
        # The browser's pauses not answered yet: the pause's id -> its row in the nudges table.
        self._open_pauses: dict[str, int | None] = {}
        # The nudges whose outcome is awaited: row id -> message id, to learn from the outcome.
        self._watched: dict[int, str] = {}
        # Whether nudges were paused or snoozed at the last moment considered: the browser holds
        # nothing back then (the daemon tells the companion).
        self.paused = False

    def apply(
        self, settings: Settings, days: LocalDays, translator: Translator | None = None
    ) -> None:
        """New settings (and perhaps a new language): keep what the policy remembers (rate
        limits, recent messages)."""
        if translator is not None:
            self.translator = translator
        self._settings = settings
        self.days = days
        self.policy = self._new_policy(settings, self.policy.state)
        self.heed.within_seconds = settings.nudges.heeded_within_seconds
        self.ledger.day = None  # re-seed: the day boundary may have moved

    def settings_in_use(self) -> dict[str, list[object]]:
        """The settings as the policy and the heed watch hold them (see Daemon.settings_in_use)."""
        nudges = _as_json(dataclasses.asdict(self.policy.settings))
        return {
            **{f"nudges.{key}": [value] for key, value in nudges.items()},
            "nudges.heeded_within_seconds": [
                nudges["heeded_within_seconds"],
                self.heed.within_seconds,
            ],
            "support.line": [self.policy.support_line],
            "messages": [sorted(m.id for m in self.policy.book.messages)],
            "summary.day_starts_at": [str(self.days.starts_at)],
            "summary.timezone": [str(self.days.tz)],
        }

    def is_quiet(self, local_time: dt.time) -> bool:
        return self.policy.is_quiet(local_time)

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

    def moment(
        self,
        at: float,
        reading: Reading | None,
        ended: Sequence[Visit],
        open_visits: Sequence[Visit],
    ) -> Moment:
        """Now, as the policy sees it: the pause read, today's ledger brought up to date."""
        day = self.days.day_of(at)
        if self.ledger.day != day:
            bounds = self.days.bounds(day)
            self.ledger.begin(day, bounds, self._stored_visits(*bounds))
        else:
            self.ledger.add(ended)
        threshold = self._settings.watch.idle_seconds
        local = dt.datetime.fromtimestamp(at, self.days.tz)
        return Moment(
            at=at,
            local_time=local.time(),
            day=day,
            local_date=local.date(),
            idle=reading is None or is_away(reading.idle_seconds, threshold),
            paused=self.pause_file.current(at) is not None,
            open_visits=open_visits,
            site_seconds_today=self.ledger.site_seconds(open_visits),
            blocklist_visits_today=self.ledger.blocklist_visits(open_visits),
            blocklist_starts=self.ledger.blocklist_starts(open_visits),
        )

    def consider(
        self,
        at: float,
        reading: Reading | None,
        ended: Sequence[Visit],
        open_visits: Sequence[Visit],
    ) -> Nudge | None:
        """Called after every sample. Returns the nudge sent (or tried), if any."""
        self._take_answers(at)
        moment = self.moment(at, reading, ended, open_visits)
        self.paused = moment.paused
        for row_id, heeded in self.heed.resolve(at, open_visits):
            self._record(partial(self.store.update_nudge, row_id, heeded=heeded))
            message_id = self._watched.pop(row_id, None)
            if message_id is not None:
                self.policy.learned(message_id, heeded)
        if self._undelivered is not None:
            self._retry(moment)
            return None
        nudge = self.policy.decide(moment)
        if nudge is not None:
            self._deliver(nudge)
            if nudge.line_shown:
                self._remember_support_shown(self.policy.state)
        return nudge

    def _remember_support_shown(self, state: PolicyState) -> None:
        """The support line shows once a day and once a night, restarts included."""
        night = state.support_shown_night.isoformat() if state.support_shown_night else ""
        day = state.support_shown_day.isoformat() if state.support_shown_day else ""
        self._record(lambda: self.store.set_meta(SUPPORT_SHOWN_KEY, f"{day}|{night}"))

    def browser_pauses(self, held_back: Sequence[HeldBack]) -> None:
        """Record the pauses the browser held pages back with, and how each was answered.

        Each comes with the rules its address belongs to (the watcher matched it): the record
        keeps the rule's name, as a nudge does, never the address.
        """
        for pause, hits in ((held.report, held.hits) for held in held_back):
            if pause.answer is not None and pause.pause_id in self._open_pauses:
                row_id = self._open_pauses.pop(pause.pause_id)
            else:
                row_id = self._record_pause(pause, hits)
            if pause.answer is not None and row_id is not None:
                answered = partial(
                    self.store.update_nudge,
                    row_id,
                    action=pause.answer,
                    heeded=pause_heeded(pause.answer),
                )
                self._record(answered)
            log.info(N_("a page was held back for a breath; %s"), _pause_outcome(pause))

    def _record_pause(self, pause: PauseReport, hits: Sequence[Hit]) -> int | None:
        kind, target = pause_owner(hits)
        self.policy.noted_pause(pause.at, kind)
        row_id = self._record(
            lambda: self.store.add_nudge(
                at=pause.at,
                kind=kind,
                target=target,
                reason=PAUSE_REASON,
                message_id=PAUSE_MESSAGE_ID,
                delivered=True,
                channel="browser",
                notification_id=None,
            )
        )
        if pause.answer is None:
            if len(self._open_pauses) >= _OPEN_PAUSES_KEPT:
                self._open_pauses.pop(next(iter(self._open_pauses)))  # never answered
            self._open_pauses[pause.pause_id] = row_id
        return row_id

    def _take_answers(self, at: float) -> None:
        for answer in self._answers.read(self.notifier.feedback()):
            if answer.outcome == "failed":
                # Taken, then refused by the system: recorded as undelivered, with the reason.
                self.faults.fault(
                    _NOTIFY_FAULT,
                    Said(
                        N_("a notification was not shown: {problem}"), {"problem": answer.problem}
                    ),
                )
                self._record(partial(self.store.mark_undelivered, answer.row_id))
                continue
            # A button is the clearest answer there is: stepping away heeds the nudge.
            self.heed.answered(answer.row_id, answer.outcome)
            if answer.outcome == "snooze":
                # The snooze first: it is what the person asked for, and the record can wait.
                self.pause_file.set(Pause(until=at + SNOOZE_SECONDS, set_at=at, reason="snooze"))
                log.info(N_("nudges snoozed for an hour"))
            self._record(partial(self.store.update_nudge, answer.row_id, action=answer.outcome))

    def _send(self, nudge: Nudge) -> Delivery:
        return self.notifier.send(
            Notification(
                nudge.title,
                nudge.body,
                self._settings.nudges.expire_seconds,
                words=self.translator,
            )
        )

    def _deliver(self, nudge: Nudge) -> None:
        delivery = self._send(nudge)
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
        if delivery.delivered:
            self._shown(nudge, row_id, delivery)
        else:
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
            self._undelivered = Undelivered(nudge, row_id, nudge.at)

    def _retry(self, moment: Moment) -> None:
        pending = self._undelivered
        assert pending is not None
        verdict = retry_verdict(
            pending, moment.at, moment.open_visits, may_speak=self.policy.may_speak(moment)
        )
        if verdict == "drop":
            self._undelivered = None  # the moment passed; it stays recorded as undelivered
        if verdict != "retry":
            return
        pending.last_try = moment.at
        delivery = self._send(pending.nudge)
        if delivery.delivered:
            self._undelivered = None
            if pending.row_id is not None:
                row = pending.row_id
                self._record(lambda: self.store.mark_delivered(row, delivery.notification_id))
            self._shown(pending.nudge, pending.row_id, delivery)

    def _shown(self, nudge: Nudge, row_id: int | None, delivery: Delivery) -> None:
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
        if row_id is not None:
            self.heed.watch(row_id, nudge.kind, nudge.target, nudge.at)
            self._watched[row_id] = nudge.message_id
            if delivery.notification_id is not None:
                self._answers.sent(delivery.notification_id, row_id)

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
