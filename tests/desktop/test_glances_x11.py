"""A glance shorter than one sample still counts: X11 focus and title changes are followed as they
happen, on a real X server, and replayed into the visits at the moments they happened."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from Xlib import Xatom, display

from nudger import sensing
from nudger.sensing.x11 import X11Sensor
from nudger.settings.catalogue import all_rules
from nudger.settings.loader import load
from nudger.shell.watcher import Watcher
from nudger.store import Store
from tests.desktop.rig import Desktop, wait_until
from tests.nudger_process import NudgerDaemon

pytestmark = [pytest.mark.desktop]

ALEX = """
[[blocklist]]
name = "Alex"
match = ["Alex Doe", "@alexdoe"]
"""
PROFILE = "Alex Doe (@alexdoe) - chat"
GLANCE_SECONDS = 0.5


def blocklist_visits(database: Path) -> list[tuple[float, float]]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT started_at, ended_at FROM visits WHERE kind = 'blocklist' AND target = 'Alex'"
        ).fetchall()
    return [(float(start), float(end)) for start, end in rows]


def changes_read(watcher: Watcher) -> list[float]:
    """When the follower reads each change from now on, whatever came to the front (the daemon's
    sampler is told only of the changes worth a look at once). The test takes its samples
    itself, once the follower has read what it made."""
    seen: list[float] = []
    sensor = watcher._sensor
    assert isinstance(sensor, X11Sensor)
    sensor.tell_changes(lambda _window: seen.append(time.time()))
    return seen


@pytest.fixture
def watcher(desktop: Desktop, tmp_path: Path) -> Iterator[Watcher]:
    """The real sampler, in this process, so the test decides when each sample is taken."""
    config = tmp_path / "config.toml"
    config.write_text(ALEX, encoding="utf-8")
    store = Store.open(tmp_path / "data" / "nudger.db")
    settings = load(config, env={}).settings
    running = Watcher(settings, sensing.detect(desktop.env), store, rules=all_rules(settings))
    yield running
    running.stop()
    store.close()


def test_a_window_in_front_between_two_samples_is_a_visit_of_its_own_length(
    desktop: Desktop, watcher: Watcher, tmp_path: Path
) -> None:
    notes = desktop.open_xterm("notes.txt")
    profile = desktop.open_xterm(PROFILE)
    desktop.activate(notes)
    # The test takes its sample once both changes are read, however slow the machine.
    assert watcher.tick().reading is not None  # connected, notes in front
    changes_seen = changes_read(watcher)

    before = time.time()
    desktop.activate(profile)
    time.sleep(GLANCE_SECONDS)
    desktop.activate(notes)
    after = time.time()
    wait_until(
        lambda: len([at for at in changes_seen if at >= before]) >= 2,
        30,
        lambda: f"the follower to read both changes (read: {changes_seen}, since {before})",
    )

    sample = watcher.tick()
    assert sample.reading is not None and sample.reading.window is not None
    assert sample.reading.window.title == "notes.txt"
    assert [h.target for h in sample.hits] == [], "no sample ever saw the profile in front"
    assert watcher.stop()

    [(start, end)] = blocklist_visits(tmp_path / "data" / "nudger.db")
    assert before <= start < end <= after + 0.2
    assert GLANCE_SECONDS - 0.2 <= end - start <= (after - before) + 0.2, end - start


def test_a_tab_switch_between_two_samples_is_a_visit(
    desktop: Desktop, watcher: Watcher, tmp_path: Path
) -> None:
    # A browser switching tabs changes only its window's title; an xterm retitled is the same event.
    browser = desktop.open_xterm("Recipes - Chromium")
    desktop.activate(browser)
    watcher.tick()
    changes_seen = changes_read(watcher)

    before = time.time()
    desktop.retitle(browser, PROFILE)
    time.sleep(GLANCE_SECONDS)
    desktop.retitle(browser, "Recipes - Chromium")
    wait_until(
        lambda: len([at for at in changes_seen if at >= before]) >= 2,
        30,
        lambda: f"the follower to read both titles (read: {changes_seen}, since {before})",
    )
    watcher.tick()
    assert watcher.stop()

    [(start, end)] = blocklist_visits(tmp_path / "data" / "nudger.db")
    assert GLANCE_SECONDS - 0.2 <= end - start <= GLANCE_SECONDS + 1.0, end - start


def test_the_daemon_at_5_s_polling_counts_a_half_second_glance(
    desktop: Desktop, daemon_factory: Callable[..., NudgerDaemon]
) -> None:
    notes = desktop.open_xterm("notes.txt")
    profile = desktop.open_xterm(PROFILE)
    desktop.activate(notes)
    daemon = daemon_factory(desktop, "[watch]\npoll_seconds = 5\n" + ALEX).start()
    daemon.wait_watching()

    desktop.activate(profile)
    time.sleep(GLANCE_SECONDS)
    desktop.activate(notes)
    # The next sample replays the glance; a visit that begins is written at once.
    daemon.wait_for_visit("blocklist", "Alex", timeout=30)
    assert daemon.stop() == 0

    [(start, end)] = blocklist_visits(daemon.database)
    assert GLANCE_SECONDS - 0.2 <= end - start <= GLANCE_SECONDS + 1.0, end - start


def test_a_sample_that_comes_before_the_follower_has_read_a_change_waits_for_it(
    desktop: Desktop,
) -> None:
    """A starved follower thread reads a change late. A sample taken in between sees the new
    window in front before the follower has kept the change: it waits for the follower, so the
    change keeps the moment it happened (the follower's own record would otherwise come after
    this sample, and be dropped as older than it)."""
    notes = desktop.open_xterm("notes.txt")
    profile = desktop.open_xterm(PROFILE)
    desktop.activate(notes)
    sensor = X11Sensor(desktop.env["DISPLAY"])
    try:
        follower = sensor._follower
        assert follower is not None and follower.alive
        sensor.read()
        # Starve the follower: each burst of events waits a moment before it is read.
        burst = follower._burst

        def starved_burst() -> None:
            time.sleep(0.4)
            burst()

        follower._burst = starved_burst  # type: ignore[method-assign]
        switched = desktop.switch_to(profile)
        reading = sensor.read()
        assert reading.window is not None and reading.window.title == PROFILE
        assert [g.window.title for g in reading.glances if g.window] == [PROFILE]
        assert abs(reading.glances[0].at - switched) < 0.2  # the change's own moment
    finally:
        sensor.close()


def test_a_moment_with_nothing_in_front_during_a_switch_does_not_split_the_visit(
    desktop: Desktop, watcher: Watcher, tmp_path: Path
) -> None:
    """Window managers clear the active window for a moment during a switch, sometimes back
    onto the same window (openbox did, under load): one visit, not two."""
    notes = desktop.open_xterm("notes.txt")
    profile = desktop.open_xterm(PROFILE)
    desktop.activate(profile)
    watcher.tick()
    changes_seen = changes_read(watcher)

    x = display.Display(desktop.display_name)
    try:
        root = x.screen().root
        active = x.intern_atom("_NET_ACTIVE_WINDOW")
        for wid in (0, profile.wid):  # what openbox sets, a moment apart
            root.change_property(active, Xatom.WINDOW, 32, [wid])
            x.sync()
            time.sleep(0.03)  # time for the follower to read the moment of nothing
    finally:
        x.close()
    watcher.tick()
    time.sleep(0.3)  # longer than the follower waits before nothing in front counts
    watcher.tick()

    before = time.time()
    desktop.activate(notes)
    wait_until(
        lambda: any(at >= before for at in changes_seen),
        30,
        lambda: f"the follower to read the switch (read: {changes_seen}, since {before})",
    )
    watcher.tick()
    assert watcher.stop()

    visits = blocklist_visits(tmp_path / "data" / "nudger.db")
    assert len(visits) == 1, visits
