"""The daemon: wires the watcher and the coach to APScheduler, and owns the process.

It holds the single-instance lock, handles signals (SIGTERM and SIGINT save and stop, SIGHUP
reloads), notices edits to the config file, and publishes a small status file for
`nudger status`. The work itself happens in the watcher (counting) and the coach (nudging).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, JobSubmissionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from nudger import paths, sensing
from nudger.core import session
from nudger.core.clock import sample_pace
from nudger.core.holding import browser_rests
from nudger.core.policy import is_quiet
from nudger.core.translate import N_, Said, Translator
from nudger.errors import said_of
from nudger.notify import choose_notifier
from nudger.settings.catalogue import all_rules
from nudger.settings.values import LoadedConfig, Settings, timezone_of
from nudger.shell import i18n, logs, memory
from nudger.shell.coach import Coach
from nudger.shell.companion import Companion
from nudger.shell.devices import WRITE_EVERY_SECONDS, Sharing, across
from nudger.shell.evening import EveningSummary
from nudger.shell.file_watch import FileWatch
from nudger.shell.guard import Guard
from nudger.shell.history import FIRST_RUN_KEY
from nudger.shell.instance import DaemonStatus, InstanceLock
from nudger.shell.loading import Ask, load_apart
from nudger.shell.pages import PageDesk
from nudger.shell.pause import PauseFile
from nudger.shell.promise import Keeper
from nudger.shell.sampling import Sampler
from nudger.shell.scheduling import ClockSafeScheduler
from nudger.shell.signals import RELOAD, WAKE, SignalInbox
from nudger.shell.status_icon import StatusIconFeed
from nudger.shell.watcher import Watcher
from nudger.store import Store, StoreError
from nudger.tray import choose_status_icon

log = logging.getLogger(__name__)

# Where the desktop sends focus events, they carry the truth (the sampler is woken by each) and,
# while nothing watched is in front, samples only confirm it: idleness sends no event, and the
# tracker is told of gaps the stream vouches for. Otherwise, watch.poll_seconds is the pace.
CONFIRM_SECONDS = 10.0
# A sample rewrites the status file when what it says changed, or when it is this old.
STATUS_FRESH_SECONDS = 5.0
RETENTION_EVERY_HOURS = 6
# How often the plans are read again for the pause page (`nudger plan add` writes directly).
_PLANS_EVERY_SECONDS = 5.0


class Daemon:
    def __init__(
        self,
        config: LoadedConfig,
        data_dir: Path | None = None,
        *,
        signals: SignalInbox | None = None,
    ) -> None:
        self.config = config
        # The person's language, handed to every part that speaks; chosen again on a reload.
        self.translator: Translator = i18n.translator_for(config.settings.ui.language)
        # Created before any thread starts (threads inherit the blocked signals).
        self.signals = signals or SignalInbox()
        self.data_dir = data_dir or paths.data_dir()
        self.started_at = time.time()
        self._config_stamp = _stamp(config.user_file)
        self._config_problem: Said | str | None = None
        self._plans_read_at = -_PLANS_EVERY_SECONDS
        # Jobs whose timing comes from the settings, as last handed to the scheduler. Read
        # from these objects, never through the scheduler's API, which jobs must not call.
        self._jobs: dict[str, Job] = {}
        # Held by each job that uses the store (sampling, scanning, the evening, retention) and
        # by a reload, so that they take turns.
        self._lock = threading.Lock()
        # What the last status said of the desktop (see _status_key), and when it was written.
        self._status_mark: tuple[tuple[object, ...], float] = ((), float("-inf"))
        # The settings as the parts hold them, read again after a reload or when the sensor
        # comes or goes (it holds one of them): (sensor connected, settings in use).
        self._in_use: tuple[bool, dict[str, list[Any]]] | None = None

        # A full disk must not turn every log line into a traceback on stderr.
        logging.raiseExceptions = False
        # Everything below belongs to one running daemon: it is built only under the lock, so
        # a second `nudger run` stops before it touches the database.
        self.lock = InstanceLock(self.data_dir)
        self.lock.acquire()
        try:
            # A promise keeps the settings in force; without one, this is the file's.
            self.promise = Keeper(config.user_file, self.data_dir)
            self.config = self._in_force(config)
            settings = self.config.settings
            self._watch = settings.watch
            self.translator = self._say_started(settings)
            self.store = Store.open(self.data_dir / paths.DATABASE_NAME)
            self.backend = sensing.detect()
            rules = all_rules(settings)  # made once, for the watcher and the browsers alike
            self.companion = Companion.open(settings, rules)
            # The companion's own pages (Today, Blocklist, Someone to talk to) ask here.
            self.pages = self._open_pages(config.user_file)
            self.watcher = Watcher(
                settings, self.backend, self.store, rules=rules, tabs=self.companion.relay
            )
            # Notes unguarded time (nudger stopped while the computer was in use, a clock
            # step) for the summary.
            self.guard = Guard(self.store, self.watcher.clock)
            self._note_loosenings()
            self.sampler = self._sampler_woken_by_events()
            self.files: FileWatch | None = None
            self.notifier = choose_notifier()
            # The daemon's own: the coach writes a snooze to it, the evening and the browser's
            # companion are quiet while it holds a pause.
            self.pause_file = PauseFile(self.data_dir)
            self.coach = Coach(
                settings,
                self.store,
                self.notifier,
                self.pause_file,
                self.watcher.days,
                translator=self.translator,
            )
            # The session's state: the core's own, handed to each step and taken back.
            self.session = self.coach.start()
            # This device's file in the person's synced folder, if they chose one (issue 35).
            self.sharing = Sharing(self.data_dir)
            self.evening = EveningSummary(
                self.store,
                self.notifier,
                self.pause_file,
                days=lambda: self.watcher.days,
                translator=lambda: self.translator,
                # The core's rule on the rules in force: the evening asks no other part.
                is_quiet=lambda local: is_quiet(self.config.settings.nudges.rules(), local),
                expire_seconds=lambda: self.config.settings.nudges.expire_seconds,
                # Every device's day, when the person shares through a folder.
                source=lambda: across(
                    self.store, self.config.settings, self.translator, self.data_dir
                ),
            )
            self.companion.know_plans([text for _id, text in self.store.plans()])
            self.companion.tell(paused=self._paused())
            self.status_icon = StatusIconFeed(
                choose_status_icon(),
                self.pause_file,
                self.store,
                lambda: self.watcher.days,
                config_file=self.config.user_file,
                data_dir=self.data_dir,
                post=self.signals.post,
                translator=lambda: self.translator,
            )
            _note_first_run(self.store)
            self._say_what_is_watched()

            self.scheduler = ClockSafeScheduler(
                executors={"default": ThreadPoolExecutor(max_workers=2)},
                job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
                timezone=timezone_of(settings),
            )
            self._add_jobs(settings)
            self.status_icon.apply(settings.ui.status_icon)
            self._publish_status()
        except BaseException:
            self.lock.release()
            raise

    def _say_started(self, settings: Settings) -> Translator:
        """The log in the person's language, its first line naming that language: with it, any
        line leads back to its English in the catalogue."""
        translator = i18n.translator_for(settings.ui.language)
        logs.speak(translator)
        log.info(
            N_("nudger started (language %s, pid %s); data in %s; config from %s"),
            translator.language,
            os.getpid(),
            self.data_dir,
            ", ".join(self.config.files_read),
        )
        return translator

    def _sampler_woken_by_events(self) -> Sampler:
        """The sampler, woken by what the desktop and the browsers tell of (events carry the
        truth; the desktop's only when what came to the front may be watched: see
        Watcher._changed), and otherwise at its own pace."""
        sampler = Sampler(self._sample, self._pace)
        self.watcher.on_change = sampler.poke
        self.companion.wake_on_news(sampler.poke)
        return sampler

    def _open_pages(self, user_file: Path) -> PageDesk:
        """The desk that answers the companion's own pages, wired to the browsers' relay."""
        pages = PageDesk(i18n.translator_for, user_file, self._held)
        if self.companion.relay is not None:
            self.companion.relay.pages = pages
        return pages

    def _add_jobs(self, settings: Settings) -> None:
        """The jobs: the process scan and the evening at the settings' pace, retention and this
        device's shared file. (Samples have a thread of their own, the Sampler, woken by focus
        events; the settings file wakes a reload through the FileWatch.) The scheduler starts
        them later, in run()."""
        self.scheduler.add_listener(_note_late_job, EVENT_JOB_MAX_INSTANCES)
        self._schedule(settings)
        self.scheduler.add_job(
            self._forget_old,
            IntervalTrigger(hours=RETENTION_EVERY_HOURS),
            id="retention",
            next_run_time=datetime.now(self.scheduler.timezone),
        )
        self.scheduler.add_job(
            self._share,
            IntervalTrigger(seconds=WRITE_EVERY_SECONDS),
            id="devices",
            next_run_time=datetime.now(self.scheduler.timezone),
        )

    def run(self) -> int:
        """Run until SIGTERM or Ctrl-C. Returns the process exit code."""
        try:
            self.scheduler.start()
            self.sampler.start()
            # A changed settings (or promise) file wakes a reload; so does a promise falling due.
            self.files = FileWatch(
                [self.config.user_file, self.promise.path],
                self._check_config,
                due=self.promise.next_look_at,
            )
            memory.give_back()  # start-up's garbage, now that every part is running
            try:
                if self.status_icon.needs_main_thread:
                    self._take_signals_beside_the_icon()
                else:
                    self._take_signals()
            finally:
                saved = self.stop_parts()
            if saved:
                log.info(N_("stopped; all visits saved"))
            else:
                log.info(N_("stopped; some visits could not be saved"))
            return 0
        finally:
            self.lock.release()

    def close(self) -> bool:
        """Stop without having run (tests build a daemon to see that it would start)."""
        try:
            return self.stop_parts()
        finally:
            self.lock.release()

    def stop_parts(self) -> bool:
        """Stop the jobs, close the visits in progress and save them. True when all were saved."""
        if self.files is not None:
            self.files.close()
        # The sample in progress finishes first, so nothing holds the watcher's lock.
        self.sampler.stop()
        if self.scheduler.running:
            # wait=True: jobs in progress finish first, so nothing holds the watcher's lock.
            self.scheduler.shutdown(wait=True)
        saved = self.watcher.stop()
        self.guard.companions(None, {})  # a companion off until now is noted up to now
        self.guard.beat()  # a clean stop: the next start knows when it was
        self._share()  # the visits just closed reach the other devices too
        self.status_icon.close()
        self.companion.close()
        self.pages.close()
        self.notifier.close()
        self.store.close()
        return saved

    # -- jobs ---------------------------------------------------------------------------------

    def _schedule(self, settings: Settings) -> None:
        """(Re)place the jobs whose timing comes from the settings.

        A job whose timing did not change keeps its rhythm; one whose timing changed starts
        its new rhythm now.
        """
        self._place_interval("scan", self._scan, settings.watch.process_scan_seconds)
        at, zone = settings.summary.time, timezone_of(settings)
        evening = self._jobs.pop("evening", None)
        if evening is not None:
            self.scheduler.remove_job("evening")
        if at is not None:
            trigger = CronTrigger(hour=at.hour, minute=at.minute, second=at.second, timezone=zone)
            self._jobs["evening"] = self.scheduler.add_job(self._evening, trigger, id="evening")

    def _place_interval(
        self, job_id: str, call: Callable[[], object], seconds: float, *, now: bool = False
    ) -> None:
        job = self._jobs.get(job_id)
        if job is not None and job.trigger.interval.total_seconds() == seconds:
            return
        # The first look is immediate; a changed rhythm simply starts from now. (Never pass
        # next_run_time=None: APScheduler 3 adds such a job paused.)
        first_run = {"next_run_time": datetime.now(self.scheduler.timezone)} if now else {}
        self._jobs[job_id] = self.scheduler.add_job(
            call, IntervalTrigger(seconds=seconds), id=job_id, replace_existing=True, **first_run
        )

    def settings_in_use(self) -> dict[str, list[Any]]:
        """Each setting the daemon acts on, as every part that acts on it holds it right now.

        Read from the parts themselves (the scheduler's jobs, the watcher, the coach), not from
        the settings object, so a part that a reload forgot shows the old value. Published in
        the status file; the live-reload test compares it with the file.
        """
        evening = self._jobs.get("evening")
        held: dict[str, list[Any]] = {
            "watch.poll_seconds": [self._watch.poll_seconds],
            "watch.process_scan_seconds": [self._jobs["scan"].trigger.interval.total_seconds()],
            "summary.time": [_clock_of(evening.trigger) if evening else None],
            "summary.timezone": [str(evening.trigger.timezone)] if evening else [],
            "privacy.keep_days": [self.config.settings.privacy.keep_days],
            "ui.language": [self.translator.language],
        }
        parts = (
            self.watcher.settings_in_use(),
            self.coach.settings_in_use(self.session),
            self.companion.settings_in_use(),
            self.status_icon.settings_in_use(),
        )
        for part in parts:
            for key, values in part.items():
                held.setdefault(key, []).extend(values)
        return held

    def _held_settings(self) -> dict[str, list[Any]]:
        """settings_in_use(), read from the parts after a start, a reload, or the sensor coming
        or going (only these change what they hold): read for every status, it cost as much as
        the rest of a sample."""
        connected = self.watcher.sensor_connected
        if self._in_use is None or self._in_use[0] != connected:
            self._in_use = (connected, self.settings_in_use())
        return self._in_use[1]

    def _sample(self) -> None:
        # One lock around each job that uses the store, so that their writes never interleave.
        with self._lock:
            observed = self.watcher.tick()
            try:
                self.guard.seen(observed.reading, observed.clock_moved)
                self.guard.companions(observed.reading, self.companion.switched_off())
            except Exception:  # the guard must never stop the counting either
                log.exception(N_("the guard failed; counting goes on"))
            self._keep_taps_and_plans(observed.mono)
            try:
                # Gather, let the core decide once, carry out: no part asks another.
                observation = self.coach.observe(
                    observed.at,
                    observed.reading,
                    observed.step.ended,
                    observed.open_visits,
                    observed.held_back,
                    started=observed.step.started,
                    mono=observed.mono,
                    day=session.needs_day(self.session, observed.at),
                    promised=self.promise.exists(),
                )
                self.session, effects = session.step(self.session, observation)
                if effects.write_visits:
                    self.watcher.flush(observed.mono)
                self.coach.carry_out(effects)
                self.companion.tell(paused=effects.browser_rests)
                self.status_icon.update(observed.at, read_today=True)
            except Exception:  # a bug in deciding must never stop the counting
                log.exception(N_("deciding on this sample failed; counting goes on"))
                self.watcher.flush(observed.mono)
        # Written after a sample (or a reload) only: `nudger status` says what the last look
        # found, and nothing wakes the daemon just to say it again.
        seen, written = self._status_mark
        if time.monotonic() - written >= STATUS_FRESH_SECONDS or self._status_key() != seen:
            self._publish_status()

    def _keep_taps_and_plans(self, mono: float) -> None:
        """Keep the pause page's taps (the answer and when only), and let the browsers know
        the plans (read again every few seconds: `nudger plan add` writes them directly)."""
        try:
            for at, feeling in self.companion.feelings():
                self.store.add_feeling(feeling, at)
            if mono - self._plans_read_at >= _PLANS_EVERY_SECONDS:
                self._plans_read_at = mono
                self.companion.know_plans([text for _id, text in self.store.plans()])
        except StoreError as error:
            log.warning(N_("cannot keep the pause page's answers now: %s"), error)

    def _status_key(self) -> tuple[object, ...]:
        """What a look can change in the status that is worth writing at once, apart from its
        time. Not what is in front: someone switching between a site and another window would
        have the file rewritten at every switch (a third of a sample's cost). The status says
        what was in front at the look it is dated by, and is rewritten at the first look after
        it is STATUS_FRESH_SECONDS old."""
        return (
            self.watcher.sensor_connected,
            self.watcher.last_sample_at is not None,
            self.watcher.away_for is not None,
            tuple(
                (c.browser_pid, c.connected, c.holding, c.only_counted, c.site_access)
                for c in self.companion.contacts()
            ),
        )

    def _pace(self) -> float:
        """Seconds to the next sample when nothing wakes the sampler sooner (core.clock)."""
        in_front = {visit.kind for visit in self.watcher.open_visits()}
        return sample_pace(
            poll=self._watch.poll_seconds,
            confirm=CONFIRM_SECONDS,
            checkpoint=self._watch.flush_seconds,
            follows_events=self.watcher.follows_events,
            watched=bool(in_front),
            blocklist="blocklist" in in_front,
        )

    def _paused(self, at: float | None = None) -> bool:
        """The browser holds nothing back now: paused (`nudger pause`), or snoozed without a
        promise (the core's rule: core.holding.browser_rests)."""
        pause = self.pause_file.current(time.time() if at is None else at)
        snoozed = pause is not None and pause.reason == "snooze"
        return browser_rests(
            paused=pause is not None and not snoozed,
            snoozed=snoozed,
            promised=self.promise.exists(),
        )

    def _forget_old(self) -> None:
        """privacy.keep_days: delete visits and nudges older than that (0 keeps everything)."""
        keep_days = self.config.settings.privacy.keep_days
        if not keep_days:
            return
        with self._lock:
            try:
                removed = self.store.forget_before(time.time() - keep_days * 86400)
            except StoreError as error:
                log.warning(N_("cannot delete old visits now: %s; will try again later"), error)
                return
        if removed:
            log.info(
                N_("deleted %d visits older than %d days (privacy.keep_days)"), removed, keep_days
            )

    def _share(self) -> None:
        """Write this device's file into the synced folder when anything changed, then look at
        the others' (outside the lock: sampling never waits for them)."""
        try:
            with self._lock:
                self.sharing.write(self.store)
            self.sharing.look_again()
        except Exception:  # sharing must never stop the counting
            log.exception(N_("writing this device's file failed; counting goes on"))

    def _evening(self) -> None:
        with self._lock:
            self.evening()

    def _scan(self) -> None:
        with self._lock:
            self.watcher.scan_processes()

    def _publish_status(self) -> None:
        self._status_mark = (self._status_key(), time.monotonic())
        try:
            self.lock.write_status(
                DaemonStatus(
                    pid=os.getpid(),
                    started_at=self.started_at,
                    backend=self.backend.name,
                    sensor_connected=self.watcher.sensor_connected,
                    last_sample_at=self.watcher.last_sample_at,
                    away_for=self.watcher.away_for,
                    updated_at=time.time(),
                    threads={str(t.native_id): t.name for t in threading.enumerate()},
                    notes=tuple(self.watcher.problems() + self.coach.problems()),
                    database_moved_aside=str(self.store.moved_aside)
                    if self.store.moved_aside
                    else None,
                    database_salvaged=self.store.salvaged.said() if self.store.salvaged else None,
                    config_problem=self._config_problem,
                    settings_in_use=self._held_settings(),
                    browsers=tuple(
                        {
                            "browser": contact.browser,
                            "connected": contact.connected,
                            "last_seen": contact.last_seen,
                            "holding": contact.holding,
                            "only_counted": contact.only_counted,
                            "site_access": contact.site_access,
                            "browser_pid": contact.browser_pid,
                        }
                        for contact in self.companion.contacts()
                    ),
                    in_front=tuple(
                        sorted(
                            {
                                f"site:{visit.target}" if visit.kind == "site" else "blocklist"
                                for visit in self.watcher.open_visits()
                            }
                        )
                    ),
                )
            )
        except (OSError, TypeError, ValueError) as error:
            log.debug("cannot write the status file: %s", error)

    # -- configuration ------------------------------------------------------------------------

    def _check_config(self) -> None:
        """A job: when the file changed, ask the main thread to reload (as SIGHUP does)."""
        stamp = _stamp(self.config.user_file)
        if stamp == self._config_stamp and not self.promise.needs_look(time.time()):
            return
        self._config_stamp = stamp
        self.signals.request_reload()

    def _say_what_is_watched(self) -> None:
        sites, entries = self.watcher.rule_counts()
        log.info(N_("watching for social sites (%d) and blocklist entries (%d)"), sites, entries)
        log.info(N_("window backend: %s (%s)"), self.backend.name, self.backend.reason)
        if sys.stderr.isatty():
            log.info(N_("press Ctrl-C to stop; the visit in progress is saved first"))

    def _in_force(self, config: LoadedConfig) -> LoadedConfig:
        """The settings a running promise keeps in force (stepped in a child: pydantic)."""
        self._hold(config, _stamp(config.user_file))
        if not self.promise.exists():
            return config
        answer = load_apart(Ask(config.user_file, self.data_dir, time.time(), loaded=config))
        self.promise.adopt(answer.looked)
        return answer.config or config

    def _hold(self, written: LoadedConfig, stamp: tuple[int, int, int] | None) -> None:
        """Keep the file's own settings (before a promise's step), and the file's stamp when it
        was read, for the companion's pages (`_held`)."""
        self._written, self._held_stamp = written.settings, stamp

    def _held(self, in_force: bool) -> Settings | None:
        """The settings the daemon holds, for the companion's pages: in force (what a promise
        keeps), or as the file has them (what `nudger summary` reads). None when the file has
        changed since: the pages then read it themselves, as the commands do."""
        if _stamp(self.config.user_file) != self._held_stamp:
            return None
        return self.config.settings if in_force else self._written

    def _note_loosenings(self) -> None:
        """Each loosening a promise let through is told once in the summary, like a gap."""
        for at in self.promise.take_applied():
            self.guard.note_loosening(at)

    def reload(self) -> bool:
        """Load the config again. A broken file is logged and the last good config stays.

        Runs on the main thread only (see SignalInbox.request_reload)."""
        stamp = _stamp(self.config.user_file)  # before the read: an edit during it shows
        answer = load_apart(Ask(self.config.user_file, self.data_dir, time.time(), remember=True))
        if answer.config is None:
            error = answer.problem
            self._config_problem = None if error is None else said_of(error)  # for `status`
            log.error(N_("the new config is not used: %s; keeping the last good one"), error)
            return False
        self._config_problem = None
        self.promise.adopt(answer.looked)
        self._hold(answer.written or answer.config, stamp)
        fresh = self.config = answer.config
        settings = fresh.settings
        with self._lock:
            self._note_loosenings()
            self.translator = i18n.translator_for(settings.ui.language)
            logs.speak(self.translator)
            rules = all_rules(settings)
            self.watcher.apply(settings, rules)
            self.session = self.coach.apply(
                settings, self.watcher.days, self.translator, self.session
            )
            self.companion.apply(settings, rules)
            self.companion.tell(paused=self._paused())
        self._schedule(settings)
        self._watch = settings.watch
        self.sampler.poke()  # a changed pace starts from now
        self.status_icon.apply(settings.ui.status_icon)
        self._in_use = None  # read from the parts again, now that they all have the new settings
        self._publish_status()
        log.info(
            N_("config reloaded from %s (blocklist entries: %d, sites of your own: %d)"),
            ", ".join(fresh.files_read),
            len(settings.blocklist),
            len(settings.sites),
        )
        memory.give_back()  # what the reload left behind (the child's answer, the old parts)
        return True

    # -- signals ------------------------------------------------------------------------------

    def _take_signals_beside_the_icon(self) -> None:
        """macOS: the main thread runs the status icon's run loop; signals (and the menu's
        commands) are taken on a thread of their own, as the main thread takes them elsewhere."""
        adopted = threading.Event()

        def take() -> None:
            self.signals.adopt()
            adopted.set()
            try:
                self._take_signals()
            finally:
                self.status_icon.icon.stop_main_loop()

        taker = threading.Thread(target=take, name="nudger-signals")
        taker.start()
        adopted.wait()
        self.status_icon.icon.run_main_loop()
        taker.join()

    def _take_signals(self) -> None:
        """Wait for signals: SIGHUP reloads, SIGTERM and SIGINT return (and so stop)."""
        while True:
            signum = self.signals.next()
            if signum in WAKE:
                for command in self.signals.posted():
                    self.status_icon.carry_out(command)
                    self.companion.tell(paused=self._paused())
                continue
            if signum in RELOAD:
                self._config_stamp = _stamp(self.config.user_file)
                self.reload()
                continue
            log.info(N_("received %s; saving and stopping"), signal.Signals(signum).name)
            return


def _clock_of(trigger: CronTrigger) -> str:
    """A cron trigger's time of day as HH:MM:SS, read back from its fields."""
    fields = {field.name: str(field) for field in trigger.fields}
    return f"{int(fields['hour']):02d}:{int(fields['minute']):02d}:{int(fields['second']):02d}"


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """What changes when the file is edited or replaced (editors often write a new file)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns, info.st_size


def _note_first_run(store: Store) -> None:
    """Remember when watching began: streaks count days from here, not from the first visit."""
    try:
        if store.get_meta(FIRST_RUN_KEY) is None:
            store.set_meta(FIRST_RUN_KEY, str(time.time()))
    except StoreError as error:
        log.warning(N_("cannot note the first run in the database: %s"), error)


def _note_late_job(event: JobSubmissionEvent) -> None:
    """A job was due while its previous run had not finished (a busy or stalled machine).

    Runs never pile up (one at a time, coalesced): the next run takes over, and a sample covers
    the time since the last one (vouched for by the desktop where it follows events)."""
    log.info(
        N_(
            "the %s job was still running when it was due again (a busy machine?); "
            "its next run covers the time between"
        ),
        event.job_id,
    )
