"""The evening summary notification: one kind sentence at summary.time, once a day."""

from __future__ import annotations

import datetime as dt
import logging
import time

from nudger.coach import Coach
from nudger.core.words import evening_sentence
from nudger.history import History
from nudger.store import Store, StoreError

log = logging.getLogger(__name__)

SENT_KEY = "evening_sent_for"


class EveningSummary:
    def __init__(self, store: Store, coach: Coach) -> None:
        self.store = store
        self.coach = coach

    def __call__(self) -> bool:
        """Send today's sentence unless paused, in quiet hours, or already sent. True if sent."""
        now = time.time()
        days = self.coach.days
        day = days.day_of(now)
        try:
            if self.store.get_meta(SENT_KEY) == day.isoformat():
                return False  # a restart or a clock change must not send it twice
            report = History(self.store, days).day(day)
        except StoreError as error:
            log.warning("cannot read today's visits for the evening summary: %s", error)
            return False
        local = dt.datetime.fromtimestamp(now, days.tz).time()
        if self.coach.pause_file.current(now) is not None or self.coach.policy.is_quiet(local):
            log.info("evening summary not sent: nudges are paused or it is quiet hours")
            return False
        title, body = evening_sentence(report)
        delivery = self.coach.notify_plain(title, body)
        if not delivery.delivered:
            log.warning("could not show the evening summary: %s", delivery.problem)
            return False
        try:
            self.store.set_meta(SENT_KEY, day.isoformat())
        except StoreError as error:
            log.warning("sent the evening summary but could not note it: %s", error)
        return True
