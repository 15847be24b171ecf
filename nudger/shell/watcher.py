"""The sampling loop's body: read the desktop, match, track. The daemon calls `tick()`, and
`flush()` when the core's session says to write.

This is the imperative shell around the pure core. It owns the sensor's lifecycle (open it,
lose it, retry with backoff), notices jumps of the wall clock, and holds what ended until it
is written.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from nudger.core.browsing import PauseReport, TabReport, with_tabs
from nudger.core.clock import ClockEvent, ClockReadings, idle_at, is_away, pulse_for
from nudger.core.matching import Matcher
from nudger.core.session import HeldBack
from nudger.core.tracking import Step, Tracker
from nudger.core.translate import N_, Said
from nudger.core.types import Hit, Rule, Visit
from nudger.sensing import Backend, Reading, Sensor, SensorUnavailable, Window
from nudger.sensing.processes import running_names
from nudger.settings.values import Settings, days_of
from nudger.shell.faults import FaultLog
from nudger.shell.recorder import Recorder
from nudger.store import Store

log = logging.getLogger(__name__)

_SENSOR_FAULT = "sensor"
_FIRST_RETRY_SECONDS = 1.0
_MAX_RETRY_SECONDS = 30.0


class Clock(Protocol):
    def wall(self) -> float: ...
    def monotonic(self) -> float: ...
    def boot(self) -> float | None: ...


class TabFeed(Protocol):
    """What the browsers said since the last sample (the browser companion's relay)."""

    def take(self) -> tuple[dict[int, TabReport], list[TabReport]]: ...

    def pauses(self) -> list[PauseReport]: ...


class SystemClock:
    def wall(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()

    def boot(self) -> float | None:
        """Monotonic time that includes suspends (Linux's CLOCK_BOOTTIME), where there is one.

        Elsewhere a sleep shows as the wall clock moving against the monotonic one (macOS's and
        Windows' monotonic clocks stop while asleep, as Linux's does)."""
        boottime = getattr(time, "CLOCK_BOOTTIME", None)
        return None if boottime is None else time.clock_gettime(boottime)


@dataclass(frozen=True, slots=True)
class Sample:
    """What one tick saw, for the parts that act on it (nudging, status): the reading, the
    visits that ended and those still open, and the browser's pauses."""

    at: float
    mono: float
    reading: Reading | None
    hits: tuple[Hit, ...]
    step: Step
    open_visits: tuple[Visit, ...] = ()
    held_back: tuple[HeldBack, ...] = ()
    # How the clocks moved since the last tick, when they disagreed (the guard notes a step).
    clock_moved: ClockEvent | None = None


class Watcher:
    def __init__(
        self,
        settings: Settings,
        backend: Backend,
        store: Store,
        clock: Clock | None = None,
        *,
        rules: Sequence[Rule],
        tabs: TabFeed | None = None,
    ) -> None:
        self.backend = backend
        self._tabs = tabs
        self._front: Window | None = None  # what the sensor had in front at the last reading
        self.clock: Clock = clock or SystemClock()
        self._faults = FaultLog(log)
        self._recorder = Recorder(store, self._faults)
        self._lock = threading.RLock()
        self.settings = settings
        self.days = days_of(settings)
        self._matcher = Matcher(rules, settings.watch.browsers)
        self._tracker = Tracker(
            pulse_seconds=settings.watch.pulse_seconds,
            idle_seconds=settings.watch.idle_seconds,
            days=self.days,
        )
        # Apps seen running while nothing could be read in front: a weaker signal, kept apart.
        self._running = Tracker(
            pulse_seconds=pulse_for(settings.watch.process_scan_seconds),
            idle_seconds=settings.watch.idle_seconds,
            days=self.days,
            source="running",
        )
        self.last_sample_at: float | None = None
        # Seconds without input at the last look, when the person counted as away then.
        self.away_for: float | None = None
        self._sensor: Sensor | None = None
        self._sensor_idle: float | None = None  # the idle threshold the open sensor was given
        self._retry_at = 0.0
        self._retry_delay = _FIRST_RETRY_SECONDS
        self._clock_events = ClockReadings()
        self._observed_at: float | None = None
        # Called (from the sensor's listener thread) when the desktop says something changed
        # that is worth a look at once (see _changed).
        self.on_change: Callable[[], None] | None = None

    @property
    def sensor_connected(self) -> bool:
        return self._sensor is not None

    @property
    def follows_events(self) -> bool:
        """The open sensor hears of every change in front as it happens (focus events)."""
        sensor = self._sensor
        return sensor is not None and bool(getattr(sensor, "follows_events", False))

    def open_visits(self) -> list[Visit]:
        """The visits in front still going on, as they stand right now."""
        with self._lock:
            return self._tracker.open_visits()

    def problems(self) -> list[Said]:
        """What is wrong right now (no display, an unwritable database), for `nudger status`."""
        return self._faults.messages()

    def rule_counts(self) -> tuple[int, int]:
        """(social sites, blocklist entries) being watched for."""
        rules = self._matcher.rules
        sites = sum(rule.kind == "site" for rule in rules)
        return sites, len(rules) - sites

    def settings_in_use(self) -> dict[str, list[object]]:
        """The settings as the parts of the watcher hold them (see Daemon.settings_in_use)."""
        with self._lock:
            privacy = self.settings.privacy
            return {
                "watch.idle_seconds": [
                    self._tracker.idle_seconds,
                    self._running.idle_seconds,
                    *([self._sensor_idle] if self._sensor is not None else []),
                ],
                "watch.flush_seconds": [self.settings.watch.flush_seconds],
                "watch.browsers": [sorted(self._matcher.browsers)],
                "summary.day_starts_at": [str(self.days.starts_at)],
                "summary.timezone": [str(self.days.tz)],
                "privacy.store_titles": [privacy.store_titles],
                "privacy.redact_blocklist_titles": [privacy.redact_blocklist_titles],
                "rules": [sorted(f"{r.kind}:{r.name}" for r in self._matcher.rules)],
            }

    def apply(self, settings: Settings, rules: Sequence[Rule]) -> None:
        """Use new settings (and the rules made from them) from now on; visits in progress
        carry on."""
        with self._lock:
            if settings.watch.idle_seconds != self._sensor_idle and self._sensor is not None:
                # Some sensors measure idle time against the threshold they were opened with
                # (swayidle's timeout): open it again with the new one at the next sample.
                self._recorder.add(self._interrupt().ended)
                self._close_sensor()
            self.settings = settings
            self.days = days_of(settings)
            self._matcher = Matcher(rules, settings.watch.browsers)
            self._tracker.reconfigure(
                pulse_seconds=settings.watch.pulse_seconds,
                idle_seconds=settings.watch.idle_seconds,
                days=self.days,
            )
            self._running.reconfigure(
                pulse_seconds=pulse_for(settings.watch.process_scan_seconds),
                idle_seconds=settings.watch.idle_seconds,
                days=self.days,
            )

    def tick(self) -> Sample:
        with self._lock:
            sensed = self._read(self.clock.monotonic())
            # The sample's moment is when the read ended, not when it began: a read may wait for
            # the event stream to catch up (x11, sway), and a change that arrived meanwhile is
            # among its glances. Dated from before the wait, such a glance would fall after the
            # sample and be dropped, and the visit it ended would end where it was last seen.
            wall, mono = self.clock.wall(), self.clock.monotonic()
            steps: list[Step] = []
            moved = self._clock_moved(wall, mono, self.clock.boot())
            if moved is not None:
                steps.append(self._interrupt())
            reading = self._with_tabs(sensed, wall)
            hits: tuple[Hit, ...] = ()
            if reading is None:
                steps.append(self._interrupt())
            else:
                self.last_sample_at = wall
                idle = reading.idle_seconds
                self.away_for = idle if is_away(idle, self._tracker.idle_seconds) else None
                steps += self._glance_steps(wall, reading)
                hits = self._matcher.match(reading.window)
                steps.append(
                    self._see(
                        wall,
                        reading.window,
                        hits,
                        reading.idle_seconds,
                        followed_since=reading.followed_since,
                    )
                )
            self._observed_at = wall
            step = Step(
                tuple(v for part in steps for v in part.ended),
                tuple(v for part in steps for v in part.started),
            )
            # Held until written: the session says when (core.session: at once when a visit
            # begins or ends, else every flush_seconds).
            self._recorder.add(step.ended)
            return Sample(
                wall,
                mono,
                reading,
                hits,
                step,
                tuple(self._tracker.open_visits()),
                self._held_back(),
                moved,
            )

    def flush(self, mono: float | None = None) -> bool:
        with self._lock:
            now = self.clock.monotonic() if mono is None else mono
            open_visits = self._tracker.open_visits() + self._running.open_visits()
            return self._recorder.flush(open_visits, now=now)

    def scan_processes(self) -> tuple[Hit, ...]:
        """The fallback: while the window in front cannot be read, note which social apps run.

        Called every watch.process_scan_seconds, never every sample (a scan costs ~10 ms).
        """
        with self._lock:
            if self._sensor is not None:
                self._recorder.add(self._running.interrupt())  # the real thing is back
                return ()
        # The moment of the scan is when it began reading the process table, and the scan runs
        # without the lock, so it never holds up a sample.
        at = self.clock.wall()
        names = running_names()
        with self._lock:
            hits = self._matcher.apps_running(names)
            step = self._running.observe(at, hits)
            self._recorder.add(step.ended)
            if step.ended or step.started:
                self.flush()
            return hits

    def stop(self) -> bool:
        """Close the visits in progress and write everything. True when all of it reached disk."""
        with self._lock:
            if self._sensor is not None:
                # A last look, so the visit in front counts up to now: where the desktop sends
                # focus events, samples only confirm them and may be seconds apart.
                try:
                    self.tick()
                except Exception:  # stopping must save what is there, whatever this look met
                    log.exception(N_("deciding on this sample failed; counting goes on"))
            self._recorder.add(self._tracker.close_all() + self._running.close_all())
            saved = self._recorder.flush()
            self._close_sensor()
            return saved

    def _close_sensor(self) -> None:
        if self._sensor is not None:
            with contextlib.suppress(Exception):  # whatever is wrong with it was said already
                self._sensor.close()
            self._sensor = None
            self._sensor_idle = None

    def _clock_moved(self, wall: float, mono: float, boot: float | None) -> ClockEvent | None:
        moved = self._clock_events.event(wall, mono, boot)
        if moved is not None:
            log.info(
                N_(
                    "since the last sample: %s (wall clock %s, monotonic clock %s, boot time %s); "
                    "visits in progress end where they were last seen"
                ),
                _what_the_clocks_say(moved),
                _delta(moved.wall),
                _delta(moved.monotonic),
                Said(N_("unknown")) if moved.boot is None else _delta(moved.boot),
            )
        return moved

    def _read(self, mono: float) -> Reading | None:
        if self._sensor is None:
            if mono < self._retry_at:
                return None
            try:
                self._sensor = self.backend.open(self.settings.watch.idle_seconds)
            except SensorUnavailable as error:
                self._schedule_retry(mono, error)
                return None
            self._sensor_idle = self.settings.watch.idle_seconds
            listen = getattr(self._sensor, "tell_changes", None)
            if listen is not None:
                listen(self._changed)
            self._retry_delay = _FIRST_RETRY_SECONDS
            self._faults.recovered(
                _SENSOR_FAULT,
                Said(N_("watching windows again ({backend})"), {"backend": self.backend.name}),
            )
            log.info(N_("watching windows with the %s backend"), self.backend.name)
        try:
            return self._sensor.read()
        except SensorUnavailable as error:
            # Release what the lost sensor still holds (sockets, a follower thread).
            self._close_sensor()
            self._schedule_retry(mono, error)
            return None

    def _changed(self, window: Window | None) -> None:
        """The sensor's thread says `window` came to the front. A look comes at once when it
        may be watched: a rule matches it, or it is a browser (whose page the companion may
        match). A change to anything else waits for the next sample, which replays it at its
        own moment; that sample comes within watch.flush_seconds of leaving a site and
        watch.poll_seconds of leaving the ex's page (core.clock.sample_pace). Someone switching
        between a site and their work wakes the sampler half as often."""
        call = self.on_change
        if call is None or window is None:
            return
        matcher = self._matcher  # replaced whole on a reload: read once
        try:
            worth_a_look = matcher.is_browser(window) or bool(matcher.match(window))
        except Exception:  # on the sensor's thread: a bug here must not stop its following
            log.exception(
                N_("cannot tell whether the window now in front is watched; taking a look at once")
            )
            worth_a_look = True
        if worth_a_look:
            call()

    def _with_tabs(self, sensed: Reading | None, wall: float) -> Reading | None:
        """The reading with the browsers' active pages joined in (or, where no window can be
        read, the focused browser alone)."""
        if self._tabs is None:
            return sensed
        before, reports = self._tabs.take()
        reading = with_tabs(sensed, before, reports, front=self._front, now=wall)
        # The window as the sensor gave it: its address is joined afresh from every report.
        self._front = None if sensed is None else sensed.window
        return reading

    def _held_back(self) -> tuple[HeldBack, ...]:
        """The browser's pauses since the last sample, each with the rules of its address."""
        if self._tabs is None:
            return ()
        return tuple(
            HeldBack(pause, self._matcher.match(Window(app="", title="", url=pause.url)))
            for pause in self._tabs.pauses()
        )

    def _schedule_retry(self, mono: float, reason: SensorUnavailable) -> None:
        self._faults.fault(
            _SENSOR_FAULT,
            Said(
                N_("cannot see the desktop: {reason}; will keep trying in the background"),
                {"reason": reason},
            ),
        )
        self._retry_at = mono + self._retry_delay
        self._retry_delay = min(self._retry_delay * 2, _MAX_RETRY_SECONDS)

    def _interrupt(self) -> Step:
        """Time that was not watched: end every visit where it was last seen."""
        return Step(tuple(self._tracker.interrupt()))

    def _see(
        self,
        at: float,
        window: Window | None,
        hits: tuple[Hit, ...],
        idle_seconds: float,
        *,
        exact: bool = False,
        followed_since: float | None = None,
    ) -> Step:
        """Feed what was in front at `at` to the tracker (`exact`: it became so at `at`)."""
        privacy = self.settings.privacy
        title = self._matcher.title_to_keep(
            window,
            hits,
            store_titles=privacy.store_titles,
            redact_blocklist=privacy.redact_blocklist_titles,
        )
        return self._tracker.observe(
            at, hits, idle_seconds, title, exact=exact, followed_since=followed_since
        )

    def _glance_steps(self, wall: float, reading: Reading) -> list[Step]:
        """Replay the changes caught between the last sample and this one, in order.

        Each change ends what was in front before it at that very moment and begins what came
        next, so a tab that was in front for half a second is a visit of half a second.
        """
        steps: list[Step] = []
        floor = self._observed_at
        for glance in reading.glances:
            # Only what happened since the last sample: the tracker must never go back in time.
            if floor is None or not floor < glance.at < wall:
                continue
            floor = glance.at
            idle = idle_at(glance.at, reading.idle_seconds, wall)
            hits = self._matcher.match(glance.window)
            steps.append(
                self._see(
                    glance.at,
                    glance.window,
                    hits,
                    idle,
                    exact=True,
                    followed_since=reading.followed_since,
                )
            )
        return steps


def _what_the_clocks_say(moved: ClockEvent) -> Said:
    if moved.slept > 0:
        return Said(N_("the machine slept (suspend and resume)"))
    if moved.stepped > 0:
        return Said(N_("the wall clock moved forward"))
    return Said(N_("the wall clock moved back"))


def _delta(seconds: float) -> str:
    return f"{seconds:+.1f} s"
