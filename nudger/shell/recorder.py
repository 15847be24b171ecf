"""Getting visits to disk without losing them when the database is locked, full or read-only.

Finished visits wait in memory until a write succeeds; the open visits are written as they stand
at each flush. A failed write is logged once and retried at the next flush, and the daemon keeps
sampling all the while.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from nudger.core.translate import N_, Said
from nudger.core.types import Visit
from nudger.shell.faults import FaultLog
from nudger.store import Store, StoreError

log = logging.getLogger(__name__)

# Finished visits kept in memory while the database cannot be written. A day of heavy use is a
# few hundred visits; beyond this the oldest are dropped (and that is logged) rather than
# letting memory grow without bound.
MAX_PENDING = 20_000

_FAULT = "store"
FIRST_RETRY_SECONDS = 1.0
MAX_RETRY_SECONDS = 5.0


class Recorder:
    def __init__(self, store: Store, faults: FaultLog) -> None:
        self._store = store
        self._faults = faults
        self._pending: dict[tuple[str, str, str, float], Visit] = {}
        self._retry_at = 0.0
        self._retry_delay = FIRST_RETRY_SECONDS

    @property
    def pending(self) -> int:
        return len(self._pending)

    def add(self, visits: Iterable[Visit]) -> None:
        for visit in visits:
            self._pending[(visit.kind, visit.target, visit.source, visit.started_at)] = visit
        overflow = len(self._pending) - MAX_PENDING
        if overflow > 0:
            for key in list(self._pending)[:overflow]:
                del self._pending[key]
            log.error(
                N_("the database has been unwritable for a long time; dropped %d old visits"),
                overflow,
            )

    def flush(self, open_visits: Iterable[Visit] = (), *, now: float | None = None) -> bool:
        """Write what is pending plus the open visits. True when everything reached the disk.

        `now` (monotonic) spaces out retries after a failure: every failed write waits for the
        busy timeout, and the sampling thread should not spend its time waiting on a locked file.
        """
        batch = list(self._pending.values()) + list(open_visits)
        if not batch:
            return True
        if now is not None and now < self._retry_at:
            return False  # the open visits come again, fresher, with the next try
        try:
            self._store.save_visits(batch)
        except StoreError as error:
            self._faults.fault(
                _FAULT,
                Said(
                    N_(
                        "cannot write to the database {path} ({error}); "
                        "keeping visits in memory and trying again"
                    ),
                    {"path": self._store.path, "error": error},
                ),
            )
            if now is not None:
                self._retry_at = now + self._retry_delay
                self._retry_delay = min(self._retry_delay * 2, MAX_RETRY_SECONDS)
            return False
        self._pending.clear()
        self._retry_delay = FIRST_RETRY_SECONDS
        self._faults.recovered(
            _FAULT, Said(N_("the database is writable again; all visits were saved"))
        )
        return True
