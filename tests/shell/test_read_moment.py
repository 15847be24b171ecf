"""A sample is dated when its read ended: a change that arrived while the read waited for the
event stream (x11 and sway wait for a checkpoint when a sample comes late) ends the visit at its
own moment.

The window system is a scripted sensor (a fake at the OS boundary) whose read takes time, as a
wait for the stream does; the watcher, tracker and store are real. Before the fix, the sample was
dated when its read began, the change came after it and was dropped, and the 5 s visit ended where
it was last seen: 0 s were kept (bench/accuracy.py on sway, 5 s stints, recorded a third).
"""

from __future__ import annotations

from pathlib import Path

from nudger.sensing import Backend, Why
from nudger.sensing.base import Glance, Reading, Window
from nudger.settings.catalogue import all_rules
from nudger.settings.models import Settings
from nudger.shell.watcher import Watcher
from nudger.store import Store
from tests.shell.test_soak import START, ScriptedClock

INSTA = Window("chromium", "Instagram - Chromium", 10, ("chromium", "Chromium"))
NOTES = Window("xterm", "notes.txt", 13, ("xterm", "XTerm"))


class SlowSensor:
    """Reads take `wait` seconds of the scripted clock; a change can happen during the wait."""

    name = "slow"

    def __init__(self, clock: ScriptedClock) -> None:
        self.clock = clock
        self.window: Window | None = NOTES
        self.wait = 0.0
        self.change_during_wait: tuple[float, Window] | None = None  # (after, window)
        self.followed_since = START - 60

    def read(self) -> Reading:
        glances: tuple[Glance, ...] = ()
        if self.change_during_wait is not None:
            after, window = self.change_during_wait
            self.change_during_wait = None
            self.advance(after)
            self.window = window
            glances = (Glance(self.clock.now, window),)
        self.advance(self.wait)
        return Reading(self.window, 0.0, glances, self.followed_since)

    def advance(self, seconds: float) -> None:
        self.clock.now += seconds
        self.clock.mono += seconds

    def close(self) -> None:
        """Nothing to release."""


def test_a_change_during_a_late_reads_wait_ends_the_visit_at_its_own_moment(
    tmp_path: Path,
) -> None:
    settings = Settings(
        watch={"poll_seconds": 1.0, "idle_seconds": 86400, "browsers": ("chromium",)}
    )
    clock = ScriptedClock()
    sensor = SlowSensor(clock)
    store = Store.open(tmp_path / "nudger.db")
    watcher = Watcher(
        settings,
        Backend("slow", Why("a test"), lambda _idle: sensor),
        store,
        clock,
        rules=all_rules(settings),
    )
    try:
        sensor.wait = 0.05  # every read takes a moment
        watcher.tick()  # notes in front
        sensor.advance(1.0)
        switched_to = clock.now
        sensor.change_during_wait = (0.0, INSTA)
        watcher.tick()  # the change's event woke the sampler
        # 5 s later a late sample begins; while it waits for the stream, the person switches.
        sensor.advance(5.0)
        switched_away = clock.now + 0.2
        sensor.change_during_wait = (0.2, NOTES)
        watcher.tick()
        watcher.stop()
        rows = [
            (visit.started_at, visit.ended_at)
            for visit in store.visits_between(START - 3600, START + 3600)
            if visit.target == "Instagram"
        ]
    finally:
        store.close()
    assert [(round(a - START, 3), round(b - START, 3)) for a, b in rows] == [
        (round(switched_to - START, 3), round(switched_away - START, 3))
    ]
