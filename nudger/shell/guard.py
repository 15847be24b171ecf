"""The guard: keeps a heartbeat in the store, and notes unguarded time the core says is worth
telling (nudger not running while the computer was in use, a clock step). The rules are in
core/guard.py; this part only reads the clocks and writes.

A loosening applied (a pause, a blocklist entry removed during a promise) is noted through
`note_loosening`, for whatever records loosenings to call.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

from nudger.core.clock import ClockEvent
from nudger.core.guard import (
    Beat,
    GuardNote,
    clock_step,
    companion_off_in_front,
    companion_off_note,
    not_running,
)
from nudger.core.translate import N_
from nudger.core.types import Reading
from nudger.shell.watcher import Clock, SystemClock
from nudger.store import Store, StoreError

log = logging.getLogger(__name__)

HEARTBEAT_KEY = "guard_heartbeat"
# How often the heartbeat is written while nudger runs: a stop that is not clean (a kill, a
# crash, the power) is placed within this much of the truth.
BEAT_EVERY_SECONDS = 15.0
_BOOT_ID = Path("/proc/sys/kernel/random/boot_id")


def boot_id() -> str | None:
    """Linux's id of this boot of the computer; None where the system gives none."""
    try:
        return _BOOT_ID.read_text(encoding="ascii").strip() or None
    except OSError:
        return None


class Guard:
    def __init__(self, store: Store, clock: Clock | None = None) -> None:
        self._store = store
        self._clock: Clock = clock or SystemClock()
        self._boot_id = boot_id()
        # The heartbeat the previous run left, read before this run writes its own, and the
        # clocks as this run starts: the gap between them is decided at the first look.
        self._last = self._stored_beat()
        self._started = self._beat()
        self._looked = False
        self._beaten_at: float | None = None
        # The companion off while its browser is in front: (browser, since, last seen so).
        self._off: tuple[str, float, float] | None = None
        self._off_written_at: float | None = None

    def seen(self, reading: Reading | None, clock_moved: ClockEvent | None) -> None:
        """After each look at the desktop: the first reading tells whether the computer was in
        use while nudger was not running; a clock that moved may have been set; and the
        heartbeat goes on."""
        now = self._beat()
        if clock_moved is not None:
            self._note(
                clock_step(now.wall, clock_moved.wall, clock_moved.monotonic, clock_moved.boot)
            )
        if not self._looked and reading is not None:
            self._looked = True
            last_input_at = now.wall - reading.idle_seconds
            self._note(not_running(self._last, self._started, last_input_at))
        if self._beaten_at is None or now.monotonic - self._beaten_at >= BEAT_EVERY_SECONDS:
            self.beat(now)

    def beat(self, now: Beat | None = None) -> None:
        """Write the heartbeat (also on a clean stop, so the next start knows when it was)."""
        now = now or self._beat()
        value = {
            "wall": now.wall,
            "monotonic": now.monotonic,
            "boot": now.boot,
            "boot_id": now.boot_id,
        }
        try:
            self._store.set_meta(HEARTBEAT_KEY, json.dumps(value))
        except StoreError as error:
            log.debug("cannot write the heartbeat now: %s", error)
            return
        self._beaten_at = now.monotonic

    def companions(self, reading: Reading | None, switched_off: dict[int, str]) -> None:
        """After each look: note the time a browser was in front and in use while its companion
        was switched off (its extension went quiet, the browser still running). The note grows
        while it lasts, written every BEAT_EVERY_SECONDS and when it ends."""
        now = self._clock.wall()
        window = None if reading is None else reading.window
        browser = (
            None
            if reading is None or window is None
            else companion_off_in_front(window.pid, reading.idle_seconds, switched_off)
        )
        if self._off is not None and (browser is None or browser != self._off[0]):
            self._write_off(*self._off)
            self._off, self._off_written_at = None, None
        if browser is None:
            return
        since = now if self._off is None else self._off[1]
        self._off = (browser, since, now)
        mono = self._clock.monotonic()
        due = self._off_written_at is None or mono - self._off_written_at >= BEAT_EVERY_SECONDS
        if due and self._write_off(*self._off):
            self._off_written_at = mono

    def _write_off(self, browser: str, since: float, until: float) -> bool:
        note = companion_off_note(browser, since, until)
        if note is None:
            return False
        try:
            self._store.extend_guard_note(note)
        except StoreError as error:
            log.warning(N_("cannot note %s in the database: %s"), note.kind, error)
            return False
        return True

    def note_loosening(self, at: float | None = None) -> None:
        """A loosening was applied at `at` (now by default): noted for the summary."""
        moment = time.time() if at is None else at
        self._note(GuardNote("loosened", moment, moment))

    def _note(self, note: GuardNote | None) -> None:
        if note is None:
            return
        log.info(
            N_("noted for the summary: %s from %s to %s"),
            note.kind,
            time.strftime("%H:%M", time.localtime(note.started_at)),
            time.strftime("%H:%M", time.localtime(note.ended_at)),
        )
        try:
            self._store.add_guard_note(note)
        except StoreError as error:
            log.warning(N_("cannot note %s in the database: %s"), note.kind, error)

    def _beat(self) -> Beat:
        return Beat(self._clock.wall(), self._clock.monotonic(), self._clock.boot(), self._boot_id)

    def _stored_beat(self) -> Beat | None:
        try:
            stored = self._store.get_meta(HEARTBEAT_KEY)
            if stored is None:
                return None
            value = json.loads(stored)
            boot = value.get("boot")
            return Beat(
                float(value["wall"]),
                float(value["monotonic"]),
                None if boot is None else float(boot),
                value.get("boot_id"),
            )
        except (StoreError, ValueError, TypeError, KeyError) as error:
            log.info(N_("the last heartbeat cannot be read (%s); nothing to compare with"), error)
            return None
