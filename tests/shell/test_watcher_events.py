"""The watcher and the desktop's events: when a change wakes the sampler, and when a sample is
dated.

The window system is a scripted sensor (a fake at the OS boundary); the watcher, matcher,
tracker and store are real.

A sample is dated when its read ended: a change that arrived while the read waited for the event
stream (x11 and sway wait for a checkpoint when a sample comes late) ends the visit at its own
moment. Before that fix, the sample was dated when its read began, the change came after it and
was dropped, and the 5 s visit ended where it was last seen (bench/accuracy.py on sway, 5 s
stints, recorded a third).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

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
    watcher = watching(settings, sensor, store)
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


def watching(settings: Settings, sensor: SlowSensor, store: Store) -> Watcher:
    """The real watcher, reading the desktop through `sensor` on the sensor's clock."""
    return Watcher(
        settings,
        Backend(sensor.name, Why("a test"), lambda _idle: sensor),
        store,
        sensor.clock,
        rules=all_rules(settings),
    )


class ListeningSensor(SlowSensor):
    """A sensor with a listener thread's callback, called by the test as the desktop would."""

    def __init__(self, clock: ScriptedClock) -> None:
        super().__init__(clock)
        self.tell: Callable[[Window | None], None] | None = None

    def tell_changes(self, call: Callable[[Window | None], None]) -> None:
        self.tell = call


def test_only_a_change_to_what_may_be_watched_wakes_the_sampler_at_once(tmp_path: Path) -> None:
    """A site, the ex's page or a browser (whose page the companion may match) brings a look at
    once; a window nothing matches waits for the next sample, which replays it in time."""
    settings = Settings(
        watch={"poll_seconds": 1.0, "idle_seconds": 86400, "browsers": ("chromium",)},
        blocklist=({"name": "Alex", "match": ["Alex Doe"]},),
    )
    clock = ScriptedClock()
    sensor = ListeningSensor(clock)
    store = Store.open(tmp_path / "nudger.db")
    watcher = watching(settings, sensor, store)
    looks: list[str] = []
    watcher.on_change = lambda: looks.append("look")
    try:
        watcher.tick()  # opens the sensor, which is told whom to call
        assert sensor.tell is not None
        woken = {}
        for name, window in {
            "a site": INSTA,
            "a blocklist entry": Window("xterm", "Alex Doe - chat", 14, ("xterm", "XTerm")),
            "a browser on a page nothing matches": Window(
                "chromium", "Recipes - Chromium", 10, ("chromium", "Chromium")
            ),
            "a terminal": NOTES,
            "nothing": None,
        }.items():
            looks.clear()
            sensor.tell(window)
            woken[name] = bool(looks)
    finally:
        watcher.stop()
        store.close()
    assert woken == {
        "a site": True,
        "a blocklist entry": True,
        "a browser on a page nothing matches": True,
        "a terminal": False,
        "nothing": False,
    }


def test_a_matcher_that_fails_on_the_sensors_thread_still_brings_a_look(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(watch={"poll_seconds": 1.0, "idle_seconds": 86400})
    sensor = ListeningSensor(ScriptedClock())
    store = Store.open(tmp_path / "nudger.db")
    watcher = watching(settings, sensor, store)
    looks: list[str] = []
    watcher.on_change = lambda: looks.append("look")
    try:
        watcher.tick()
        assert sensor.tell is not None

        def broken(_window: Window) -> bool:
            raise RuntimeError("a bug")

        watcher._matcher.is_browser = broken  # type: ignore[method-assign]
        sensor.tell(NOTES)  # raises nothing into the sensor's thread
    finally:
        watcher.stop()
        store.close()
    assert looks == ["look"]
    assert "cannot tell whether the window now in front is watched" in caplog.text
