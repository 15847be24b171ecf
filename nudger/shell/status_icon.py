"""The status icon's part of the daemon: it tells the icon what is true (watching or paused,
and today's time and looks) and carries out what the icon's menu asks.

The icon's own thread only hands a command over (`SignalInbox.post`); the daemon's main thread
takes it with the signals and calls carry_out(), so a menu click changes the pause the same way,
on the same thread, as `nudger pause` and SIGHUP do. Opening the report, the help list and the
settings runs nudger's own commands as child processes, so the daemon never waits on a browser.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from nudger import paths
from nudger.core.days import LocalDays
from nudger.core.outcomes import SNOOZE_SECONDS
from nudger.core.summary import DayIndex, summarize_day
from nudger.core.translate import ENGLISH, N_, Translator
from nudger.errors import NudgerError
from nudger.shell.pause import Pause, PauseFile
from nudger.store import Store, StoreError
from nudger.tray.base import COMMANDS, Command, Mode, StatusIcon, TrayState, view_of

log = logging.getLogger(__name__)

# Today's line is read from the store at most this often (it counts visits already written).
TODAY_EVERY_SECONDS = 30.0
PAUSE_SECONDS = SNOOZE_SECONDS  # "Pause 1 hour"
# What each menu line runs: nudger's own commands, which open a page or a file as they do
# from a terminal.
_CHILD_COMMANDS: dict[str, tuple[str, ...]] = {
    "summary": ("report", "--open"),
    "help": ("help-now", "--open"),
    "settings": ("config", "open"),
}


class StatusIconFeed:
    def __init__(
        self,
        icon: StatusIcon,
        pause_file: PauseFile,
        store: Store,
        days: Callable[[], LocalDays],
        *,
        config_file: Path,
        data_dir: Path,
        post: Callable[[str], None],
        translator: Callable[[], Translator] = lambda: ENGLISH,
    ) -> None:
        self.icon = icon
        # Read at each update: a reload may have changed the language.
        self._translator = translator
        self.pause_file = pause_file
        self.store = store
        self.days = days
        self.config_file = config_file
        self.data_dir = data_dir
        self._post = post
        self._state: tuple[TrayState, str] | None = None
        self._today: tuple[float, int] = (0.0, 0)
        self._today_read_at: float | None = None
        self._children: list[subprocess.Popen[bytes]] = []
        self.enabled = False
        self.started = False
        self._applied = False
        # update() comes from the sampling job and from the main thread (a menu command).
        self._showing = threading.Lock()

    def apply(self, enabled: bool) -> None:
        """[ui] status_icon, at start and on each reload: put the icon up or take it down."""
        self.enabled = enabled
        if enabled and not self.started:
            if self.icon.needs_main_thread and self._applied:
                # macOS: the main thread's run loop runs only if the icon was there at start.
                log.info(N_("the status icon appears at nudger's next start"))
                return
            self._start()
        elif not enabled and self.started:
            self.icon.close()
            self.started = False
            self._state = None
        self._applied = True

    def settings_in_use(self) -> dict[str, list[object]]:
        return {"ui.status_icon": [self.enabled]}

    def _start(self) -> None:
        try:
            self.icon.start(self._post)
        except Exception as error:  # noqa: BLE001 - no icon is never a reason not to watch
            # Said, not warned: a desktop without a session bus or a tray is not a fault.
            log.info(N_("no status icon: %s"), error)
            return
        self.started = True
        self.update(time.time())

    @property
    def needs_main_thread(self) -> bool:
        return self.started and self.icon.needs_main_thread

    def update(self, now: float, *, read_today: bool = False) -> None:
        """Show the state as it is at `now`. Call with the daemon's store lock held when
        read_today is set (today's line reads the store)."""
        if not self.started:
            return
        if read_today and (
            self._today_read_at is None or now - self._today_read_at >= TODAY_EVERY_SECONDS
        ):
            self._today = self._read_today(now)
            self._today_read_at = now
        mode: Mode = "paused" if self.pause_file.current(now) is not None else "watching"
        state = TrayState(mode=mode, today_seconds=self._today[0], today_looks=self._today[1])
        t = self._translator()
        with self._showing:
            if (state, t.language) != self._state:
                self._state = (state, t.language)
                self.icon.show(view_of(state, t))

    def carry_out(self, command: str) -> None:
        """Do what the menu asked. On the daemon's main thread."""
        if command not in COMMANDS:
            log.warning(N_("the status icon asked for something unknown: %r"), command)
            return
        chosen: Command = command  # type: ignore[assignment]
        now = time.time()
        if chosen == "pause":
            self._pause(now)
        elif chosen == "resume":
            self.pause_file.clear()
            log.info(N_("resumed from the status icon"))
        else:
            self._run_child(_CHILD_COMMANDS[chosen])
        self.update(now)

    def _pause(self, now: float) -> None:
        """An hour's pause; while a promise runs, it waits the cool-off as `nudger pause` does."""
        from nudger.shell.promise import Keeper  # noqa: PLC0415 - only for a click

        try:
            waiting = Keeper(self.config_file, self.data_dir).ask("pause", now, PAUSE_SECONDS)
        except (OSError, NudgerError) as error:
            # A promise is there but cannot be read now: no pause rather than one it holds.
            log.warning(N_("cannot record the pause with the promise now: %s"), error)
            return
        if waiting is not None:
            log.info(N_("the pause from the status icon waits for the promise's cool-off"))
            return
        self.pause_file.set(Pause(until=now + PAUSE_SECONDS, set_at=now))
        log.info(N_("paused for an hour from the status icon"))

    def close(self) -> None:
        if self.started:
            self.icon.close()
        self._children = [child for child in self._children if child.poll() is None]

    def _read_today(self, now: float) -> tuple[float, int]:
        days = self.days()
        today = days.day_of(now)
        start, end = DayIndex(days, today, today).bounds(today)
        try:
            visits = self.store.visits_between(start, end)
        except StoreError as error:
            log.debug("cannot read today's time for the status icon: %s", error)
            return self._today
        summary = summarize_day(today, start, end, visits)
        return summary.total_seconds, sum(target.visits for target in summary.targets)

    def _run_child(self, arguments: tuple[str, ...]) -> None:
        # Children finished since the last click are reaped here; none is waited for.
        self._children = [child for child in self._children if child.poll() is None]
        # The child uses the daemon's settings and data, however the daemon was pointed at them.
        env = {**os.environ, "NUDGER_CONFIG": str(self.config_file)}
        if self.data_dir != paths.data_dir():
            env["NUDGER_DATA_DIR"] = str(self.data_dir)
        try:
            self._children.append(
                subprocess.Popen(
                    [sys.executable, "-m", "nudger", *arguments],
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        except OSError as error:
            log.warning(N_("cannot run nudger %s: %s"), " ".join(arguments), error)
