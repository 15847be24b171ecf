"""The support line shows once a day, restarts included: the coach keeps when it last showed it.

The notifier is the macOS one with a fake osascript (the OS boundary); the coach, the policy and
the database are real."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from nudger.core.types import Reading, Visit, Window
from nudger.notify.macos import MacNotifier
from nudger.settings.models import RuleSettings, Settings
from nudger.settings.values import days_of
from nudger.shell.coach import Coach
from nudger.shell.pause import PauseFile
from nudger.store import Store
from tests.notify.test_notifiers_with_fake_os import FakeOsascript
from tests.shell.ticking import Ticking

LINE = "Sam: 555-0100"
SETTINGS = Settings(
    blocklist=(RuleSettings(name="Alex", match=("alexdoe",)),),
    summary={"timezone": "UTC"},
    support={"line": LINE},
    nudges={"night": None},
)
NOON = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC).timestamp()


def coach_on(store: Store, tmp_path: Path, osascript: FakeOsascript) -> Ticking:
    notifier = MacNotifier(run=osascript.run, which=osascript.which)
    return Ticking(
        Coach(
            SETTINGS, store, notifier, PauseFile(tmp_path), days_of(SETTINGS), rng=random.Random(2)
        )
    )


def visit_at(at: float) -> Visit:
    return Visit("blocklist", "Alex", "title", "front", at - 30, at)


def test_the_support_line_shows_once_a_day_even_across_a_restart(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "nudger.db")
    # Three earlier visits today: a hard day, so the next nudge may carry the line.
    store.save_visits([visit_at(NOON - hours * 3600) for hours in (3, 2, 1)])
    osascript = FakeOsascript()
    reading = Reading(Window("safari", "alexdoe"), 0.0)
    first = coach_on(store, tmp_path, osascript).consider(NOON, reading, [], [visit_at(NOON)])
    assert first is not None and first.body.endswith(LINE)

    # nudger restarts; an hour later the same day is still hard, and the line stays out.
    later = NOON + 3600
    again = coach_on(store, tmp_path, osascript).consider(later, reading, [], [visit_at(later)])
    assert again is not None and again.heavy_day and LINE not in again.body
    assert [LINE in call[-1] for call in osascript.calls] == [True, False]
    store.close()
