"""The wall clock jumps (suspend, resume, someone setting it): no time that did not happen.

The watcher runs for real (real X server, real window, real SQLite); only its clock is injected,
so the wall clock can be moved while monotonic time goes on as it would.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from nudger import sensing
from nudger.settings.catalogue import all_rules
from nudger.settings.models import RuleSettings, Settings
from nudger.shell.watcher import Watcher
from nudger.store import Store
from tests.desktop.rig import Desktop

pytestmark = pytest.mark.desktop


class MovableClock:
    """Real monotonic time; wall time that a test can move."""

    def __init__(self) -> None:
        self.offset = 0.0

    def wall(self) -> float:
        return time.time() + self.offset

    def monotonic(self) -> float:
        return time.monotonic()

    def boot(self) -> float | None:
        return time.clock_gettime(time.CLOCK_BOOTTIME) + self.slept

    slept = 0.0  # a suspend, faked: the boot-time clock runs ahead of the monotonic one


def run_for(watcher: Watcher, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        watcher.tick()
        time.sleep(0.5)


@pytest.mark.parametrize("jump", [3600.0, -3600.0], ids=["forward", "backward"])
def test_a_clock_jump_adds_no_phantom_time(desktop: Desktop, tmp_path: Path, jump: float) -> None:
    desktop.activate(desktop.open_xterm("Jamie Rivers - chat"))
    settings = Settings(
        blocklist=(RuleSettings(name="Jamie", match=("Jamie Rivers",)),),
        watch={"poll_seconds": 0.5},
    )
    store = Store.open(tmp_path / "nudger.db")
    clock = MovableClock()
    watcher = Watcher(
        settings, sensing.detect(desktop.env), store, clock, rules=all_rules(settings)
    )
    began = time.monotonic()
    run_for(watcher, 3)
    clock.offset += jump
    run_for(watcher, 3)
    watcher.stop()
    real = time.monotonic() - began

    visits = store.visits_between(-1e12, 1e12)
    counted = sum(v.seconds for v in visits)
    assert counted <= real, f"{counted:.1f} s counted in {real:.1f} s of real time"
    assert counted >= real - 2.5, "the time that did happen is all there"
    assert len(visits) == 2, "the jump ends one visit and starts another"
    assert all(v.seconds < 10 for v in visits)


def test_a_suspend_ends_the_visit_where_it_was_last_seen(desktop: Desktop, tmp_path: Path) -> None:
    """A suspend, faked at the clock (no machine here can sleep): the boot-time clock runs ahead of
    the monotonic one. The follower saw no change in the gap, yet nobody was watching while the
    machine slept: the visit ends at the last sample before it."""
    desktop.activate(desktop.open_xterm("Jamie Rivers - chat"))
    desktop.touch_input()
    settings = Settings(blocklist=(RuleSettings(name="Jamie", match=("Jamie Rivers",)),))
    store = Store.open(tmp_path / "nudger.db")
    clock = MovableClock()
    watcher = Watcher(
        settings, sensing.detect(desktop.env), store, clock, rules=all_rules(settings)
    )
    run_for(watcher, 2)
    watcher.flush()
    last_seen_before = store.visits_between(-1e12, 1e12)
    clock.slept += 1800.0
    run_for(watcher, 2)
    watcher.stop()

    visits = store.visits_between(-1e12, 1e12)
    assert len(visits) == 2, "the suspend ends one visit and the next sample starts another"
    assert last_seen_before and abs(visits[0].ended_at - last_seen_before[0].ended_at) < 1.0
    assert visits[1].started_at >= visits[0].ended_at
