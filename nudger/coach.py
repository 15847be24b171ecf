"""The shell around the nudge policy: builds each moment, sends what the policy decides through
the notifier, and records everything (sent or not, buttons pressed, heeded or not) in the store.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from nudger.core.days import LocalDays
from nudger.core.policy import HeedWatch, Moment, Nudge, Policy, PolicyState
from nudger.core.summary import union_seconds
from nudger.core.types import Visit
from nudger.faults import FaultLog
from nudger.messages import builtin_book
from nudger.models import Settings
from nudger.notify.base import SNOOZE_SECONDS, Delivery, Notification, Notifier
from nudger.pause import Pause, PauseFile
from nudger.store import Store, StoreError
from nudger.watcher import Sample

log = logging.getLogger(__name__)

T = TypeVar("T")
_NOTIFY_FAULT = "notify"
_RECORD_FAULT = "record-nudge"
RETRY_UNDELIVERED_SECONDS = 15.0
KEEP_NOTIFICATIONS = 50


class DayLedger:
    """Today's site time (as a union of visits) and blocklist visit count, kept in memory.

    Seeded from the store when the day begins, then fed the visits each sample finishes,
    so the policy never waits on a query.
    """

    def __init__(self) -> None:
        self.day: dt.date | None = None
        self._bounds = (0.0, 0.0)
        self._site_spans: list[tuple[float, float]] = []
        self._closed_site_seconds = 0.0
        self._blocklist_starts: set[tuple[str, float]] = set()

    def begin(self, day: dt.date, bounds: tuple[float, float], stored: Sequence[Visit]) -> None:
        self.day, self._bounds = day, bounds
        self._site_spans = []
        self._blocklist_starts = set()
        self.add(stored)

    def add(self, visits: Sequence[Visit]) -> None:
        start, end = self._bounds
        for visit in visits:
            if visit.source != "front":
                continue
            if visit.kind == "blocklist" and visit.continued:
                continue  # the same visit, begun yesterday: not one more today
            if visit.kind == "blocklist" and start <= visit.started_at < end:
                self._blocklist_starts.add((visit.target, visit.started_at))
            elif visit.kind == "site":
                lo, hi = max(visit.started_at, start), min(visit.ended_at, end)
                if hi > lo:
                    self._site_spans.append((lo, hi))
        self._closed_site_seconds = union_seconds(self._site_spans)

    def site_seconds(self, open_visits: Sequence[Visit]) -> float:
        start, end = self._bounds
        live = [
            (max(v.started_at, start), min(v.ended_at, end))
            for v in open_visits
            if v.kind == "site" and v.ended_at > start
        ]
        if not live:
            return self._closed_site_seconds
        return union_seconds(self._site_spans + live)

    def blocklist_visits(self, open_visits: Sequence[Visit]) -> int:
        start, end = self._bounds
        live = {
            (v.target, v.started_at)
            for v in open_visits
            if v.kind == "blocklist" and start <= v.started_at < end and not v.continued
        }
        return len(self._blocklist_starts | live)


@dataclass
class _Undelivered:
    nudge: Nudge
    row_id: int | None
    last_try: float


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
    ) -> None:
        self.store = store
        self.notifier = notifier
        self.pause_file = pause_file
        self.faults = FaultLog(log)
        self.days = days
        self._settings = settings
        self._rng = rng
        self.policy = self._new_policy(settings, _restore_state(store, days))
        self.heed = HeedWatch(settings.nudges.heeded_within_seconds)
        self.ledger = DayLedger()
        self._rows_by_notification: dict[int, int] = {}
        self._answered: set[int] = set()
        self._undelivered: _Undelivered | None = None

    def apply(self, settings: Settings, days: LocalDays) -> None:
        """New settings: keep what the policy remembers (rate limits, recent messages)."""
        self._settings = settings
        self.days = days
        self.policy = self._new_policy(settings, self.policy.state)
        self.heed.within_seconds = settings.nudges.heeded_within_seconds
        self.ledger.day = None  # re-seed: the day boundary may have moved

    def _new_policy(self, settings: Settings, state: PolicyState) -> Policy:
        book = builtin_book().with_user_messages(settings.messages)
        return Policy(
            settings.nudges, book, support_line=settings.support.line, state=state, rng=self._rng
        )

    def moment(self, sample: Sample, open_visits: Sequence[Visit]) -> Moment:
        at = sample.at
        day = self.days.day_of(at)
        if self.ledger.day != day:
            bounds = self.days.bounds(day)
            self.ledger.begin(day, bounds, self._stored_visits(*bounds))
        else:
            self.ledger.add(sample.step.ended)
        reading = sample.reading
        idle = reading is None or reading.idle_seconds >= self._settings.watch.idle_seconds
        local = dt.datetime.fromtimestamp(at, self.days.tz)
        return Moment(
            at=at,
            local_time=local.time(),
            day=day,
            idle=idle,
            paused=self.pause_file.current(at) is not None,
            open_visits=open_visits,
            site_seconds_today=self.ledger.site_seconds(open_visits),
            blocklist_visits_today=self.ledger.blocklist_visits(open_visits),
        )

    def consider(self, sample: Sample, open_visits: Sequence[Visit]) -> Nudge | None:
        """Called after every sample. Returns the nudge sent (or tried), if any."""
        self._take_feedback(sample.at)
        moment = self.moment(sample, open_visits)
        for row_id, heeded in self.heed.resolve(sample.at, open_visits):
            self._record(partial(self.store.update_nudge, row_id, heeded=heeded))
        if self._undelivered is not None:
            self._retry_undelivered(moment)
            return None
        nudge = self.policy.decide(moment)
        if nudge is not None:
            self._deliver(nudge)
        return nudge

    def notify_plain(self, title: str, body: str) -> Delivery:
        """A notification that is not a nudge (the evening summary): no buttons, same notifier."""
        return self.notifier.send(
            Notification(title, body, self._settings.nudges.expire_seconds, with_actions=False)
        )

    def _deliver(self, nudge: Nudge) -> None:
        delivery = self.notifier.send(
            Notification(nudge.title, nudge.body, self._settings.nudges.expire_seconds)
        )
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
            self._delivered(nudge, row_id, delivery)
        else:
            self.faults.fault(
                _NOTIFY_FAULT,
                f"could not show a notification: {delivery.problem}; "
                "recorded it as undelivered and will try again",
            )
            self._undelivered = _Undelivered(nudge, row_id, nudge.at)

    def _delivered(self, nudge: Nudge, row_id: int | None, delivery: Delivery) -> None:
        self.faults.recovered(_NOTIFY_FAULT, f"notifications work again ({delivery.channel})")
        # Which kind of nudge and which text, never the target: a log is read by others too.
        log.info(
            "nudge shown: %s (%s), message %s, through %s",
            nudge.kind,
            nudge.reason,
            nudge.message_id,
            delivery.channel,
        )
        if row_id is not None:
            self.heed.watch(row_id, nudge.kind, nudge.target, nudge.at)
            if delivery.notification_id is not None:
                self._rows_by_notification[delivery.notification_id] = row_id
                # Buttons are pressed within minutes; remember only the latest notifications.
                while len(self._rows_by_notification) > KEEP_NOTIFICATIONS:
                    forgotten = self._rows_by_notification.pop(
                        next(iter(self._rows_by_notification))
                    )
                    self._answered.discard(forgotten)

    def _retry_undelivered(self, moment: Moment) -> None:
        pending = self._undelivered
        assert pending is not None
        still_there = any(
            (v.kind, v.target) == (pending.nudge.kind, pending.nudge.target)
            for v in moment.open_visits
        )
        if not still_there:
            self._undelivered = None  # the moment passed; it stays recorded as undelivered
            return
        if moment.at - pending.last_try < RETRY_UNDELIVERED_SECONDS or not self.policy.may_speak(
            moment
        ):
            return
        pending.last_try = moment.at
        delivery = self.notifier.send(
            Notification(
                pending.nudge.title, pending.nudge.body, self._settings.nudges.expire_seconds
            )
        )
        if delivery.delivered:
            self._undelivered = None
            if pending.row_id is not None:
                row = pending.row_id
                self._record(lambda: self.store.mark_delivered(row, delivery.notification_id))
            self._delivered(pending.nudge, pending.row_id, delivery)

    def _take_feedback(self, at: float) -> None:
        for feedback in self.notifier.feedback():
            row_id = self._rows_by_notification.get(feedback.notification_id)
            if row_id is None:
                continue  # not ours, or from before a restart
            if feedback.outcome in {"expired", "closed"} or row_id in self._answered:
                # Expiring is not an answer, and the close that follows a button press must
                # not overwrite the button.
                continue
            if feedback.outcome != "dismissed":
                self._answered.add(row_id)
            if feedback.outcome == "snooze":
                # The snooze first: it is what the person asked for, and the record can wait.
                self.pause_file.set(Pause(until=at + SNOOZE_SECONDS, set_at=at, reason="snooze"))
                log.info("nudges snoozed for an hour")
            self._record(partial(self.store.update_nudge, row_id, action=feedback.outcome))

    def _stored_visits(self, start: float, end: float) -> list[Visit]:
        try:
            return self.store.visits_between(start, end, source="front")
        except StoreError as error:
            self.faults.fault(_RECORD_FAULT, f"cannot read today's visits: {error}")
            return []

    def _record(self, write: Callable[[], T]) -> T | None:
        """Run one store write; a locked or full database is logged, never raised."""
        try:
            result = write()
        except StoreError as error:
            self.faults.fault(_RECORD_FAULT, f"cannot record a nudge: {error}")
            return None
        self.faults.recovered(_RECORD_FAULT, "nudges are recorded again")
        return result


def _restore_state(store: Store, days: LocalDays) -> PolicyState:
    """Rate limits and recent messages survive a restart, so a restart never means a burst."""
    state = PolicyState()
    try:
        recent = store.recent_nudges(50)
    except StoreError:
        return state
    for row in recent:  # newest first
        state.last_any = max(state.last_any or row.at, row.at)
        if row.kind == "blocklist":
            state.last_blocklist = max(state.last_blocklist or row.at, row.at)
        elif row.kind == "site":
            state.last_site = max(state.last_site or row.at, row.at)
        if row.reason == "budget" and state.budget_nudged_on is None:
            state.budget_nudged_on = days.day_of(row.at)
    for row in reversed(recent[:5]):
        state.recent_messages.append(row.message_id)
    return state
