"""The evening summary notification: one kind sentence at summary.time, once a day.

It needs only what it uses: the history to sum the day up, a notifier to show it, the pause
to respect, and whether it is quiet hours now.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable

from nudger.core.days import LocalDays
from nudger.core.translate import N_, Translator
from nudger.core.words import evening_sentence
from nudger.notify.base import Notification, Notifier
from nudger.shell.history import History, HistorySource
from nudger.shell.pause import PauseFile
from nudger.store import Store, StoreError

log = logging.getLogger(__name__)

SENT_KEY = "evening_sent_for"


class EveningSummary:
    def __init__(
        self,
        store: Store,
        notifier: Notifier,
        pause_file: PauseFile,
        *,
        days: Callable[[], LocalDays],
        translator: Callable[[], Translator],
        is_quiet: Callable[[dt.time], bool],
        expire_seconds: Callable[[], float],
        source: Callable[[], HistorySource] | None = None,
    ) -> None:
        self.store = store
        self.notifier = notifier
        self.pause_file = pause_file
        # Read when the evening comes: the settings may have been reloaded since.
        self._days = days
        self._translator = translator
        self._is_quiet = is_quiet
        self._expire_seconds = expire_seconds
        # Where the day is read from: the store, or every device's file with it.
        self._source = source

    def __call__(self) -> bool:
        """Send today's sentence unless paused, in quiet hours, or already sent. True if sent."""
        now = time.time()
        days = self._days()
        day = days.day_of(now)
        try:
            if self.store.get_meta(SENT_KEY) == day.isoformat():
                return False  # a restart or a clock change must not send it twice
            source = self.store if self._source is None else self._source()
            report = History(source, days).day(day)
        except StoreError as error:
            log.warning(N_("cannot read today's visits for the evening summary: %s"), error)
            return False
        local = dt.datetime.fromtimestamp(now, days.tz).time()
        if self.pause_file.current(now) is not None or self._is_quiet(local):
            log.info(N_("evening summary not sent: nudges are paused or it is quiet hours"))
            return False
        title, body = evening_sentence(self._translator(), report)
        delivery = self.notifier.send(
            Notification(title, body, self._expire_seconds(), with_actions=False)
        )
        if not delivery.delivered:
            log.warning(N_("could not show the evening summary: %s"), delivery.problem)
            return False
        try:
            self.store.set_meta(SENT_KEY, day.isoformat())
        except StoreError as error:
            log.warning(N_("sent the evening summary but could not note it: %s"), error)
        return True
