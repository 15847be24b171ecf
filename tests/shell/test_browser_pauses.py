"""The daemon's side of the pause: the coach records each pause and its answer as a nudge (with
a real database), a pause counts for the rate limits, and the companion tells the browsers what
to hold back only while nudger is not paused (through a real relay socket)."""

from __future__ import annotations

import contextlib
import json
import random
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nudger.browser.relay import BrowserRelay
from nudger.core.browsing import PauseReport
from nudger.core.session import HeldBack
from nudger.core.types import Hit, Reading, Visit, Window
from nudger.notify.dbus import DbusNotifier
from nudger.settings.catalogue import all_rules
from nudger.settings.models import BrowserSettings, RuleSettings, Settings
from nudger.settings.values import days_of
from nudger.shell.coach import Coach
from nudger.shell.companion import Companion
from nudger.shell.pause import PauseFile
from nudger.store import Store
from tests.desktop.rig import wait_until
from tests.shell.ticking import Ticking

ALEX_PAGE = "https://www.instagram.com/alexdoe/"
SETTINGS = Settings(
    blocklist=(RuleSettings(name="Alex", match=("instagram.com/alexdoe",)),),
    summary={"timezone": "UTC"},
)


def held(report: PauseReport) -> list[HeldBack]:
    """The pause as the watcher hands it on: with the rules its address belongs to."""
    hits = (Hit("blocklist", "Alex", "url"),) if "alexdoe" in report.url else ()
    return [HeldBack(report, hits)]


def new_coach(folder: Path) -> Ticking:
    folder.mkdir(exist_ok=True)
    store = Store.open(folder / "nudger.db")
    # No session bus in this test: the notifier is the real one, and would fail to deliver.
    notifier = DbusNotifier({"DBUS_SESSION_BUS_ADDRESS": f"unix:path={folder / 'no-bus'}"})
    return Ticking(
        Coach(SETTINGS, store, notifier, PauseFile(folder), days_of(SETTINGS), rng=random.Random(1))
    )


@pytest.fixture
def coach(tmp_path: Path) -> Iterator[Ticking]:
    made = new_coach(tmp_path)
    yield made
    made.coach.store.close()


def pause(ticks: Ticking, report: PauseReport) -> None:
    """A tick in which the browser reported a pause (or its answer), with nothing in front."""
    ticks.consider(report.at, None, [], [], held(report))


def pauses_in(ticks: Ticking) -> list[tuple[Any, ...]]:
    return [
        (row.kind, row.target, row.reason, row.delivered, row.action, row.heeded)
        for row in ticks.coach.store.nudges_between(0, 2e9)
    ]


def test_a_pause_and_its_answer_are_one_nudge(coach: Ticking) -> None:
    now = time.time()
    pause(coach, PauseReport(now, "p1", ALEX_PAGE))
    assert pauses_in(coach) == [("blocklist", "Alex", "pause", True, None, None)]
    pause(coach, PauseReport(now + 3, "p1", ALEX_PAGE, "away"))
    assert pauses_in(coach) == [("blocklist", "Alex", "pause", True, "away", True)]
    pause(coach, PauseReport(now + 9, "p2", ALEX_PAGE))
    pause(coach, PauseReport(now + 12, "p2", ALEX_PAGE, "go_on"))
    assert pauses_in(coach)[1] == ("blocklist", "Alex", "pause", True, "go_on", False)


def test_a_pause_answered_within_one_tick_is_one_nudge(coach: Ticking) -> None:
    now = time.time()
    reports = [PauseReport(now, "p1", ALEX_PAGE), PauseReport(now + 1, "p1", ALEX_PAGE, "away")]
    coach.consider(now + 1, None, [], [], [held(report)[0] for report in reports])
    assert pauses_in(coach) == [("blocklist", "Alex", "pause", True, "away", True)]


def test_an_answer_whose_pause_was_missed_is_still_recorded(coach: Ticking) -> None:
    pause(coach, PauseReport(time.time(), "lost", ALEX_PAGE, "away"))
    assert pauses_in(coach) == [("blocklist", "Alex", "pause", True, "away", True)]


def test_the_address_is_not_what_is_recorded(coach: Ticking) -> None:
    pause(coach, PauseReport(time.time(), "p1", "https://elsewhere.example/page"))
    rows = coach.coach.store.nudges_between(0, 2e9)
    assert rows[0].target is None  # no rule owns it: nothing names it
    database = b"".join(
        p.read_bytes() for p in Path(coach.coach.pause_file.path.parent).glob("nudger.db*")
    )
    assert b"elsewhere" not in database and b"alexdoe" not in database


def test_after_a_pause_no_notification_says_the_same_again(tmp_path: Path) -> None:
    now = time.time()
    visit = Visit("blocklist", "Alex", "url", "front", now - 30, now)
    reading = Reading(Window("chromium", "Instagram"), 0.0)
    # Without a pause, 30 s on the page earn a nudge ...
    alone = new_coach(tmp_path / "alone")
    assert alone.consider(now, reading, [], [visit]) is not None
    alone.coach.store.close()
    # ... but not right after the person chose to go on past the pause.
    paused = new_coach(tmp_path / "paused")
    pause(paused, PauseReport(now - 31, "p1", ALEX_PAGE))
    pause(paused, PauseReport(now - 30, "p1", ALEX_PAGE, "go_on"))
    assert paused.consider(now, reading, [], [visit]) is None
    paused.coach.store.close()


class Peer:
    """A host, as the relay sees it: a socket that reads what the daemon says."""

    def __init__(self, path: Path) -> None:
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.socket.connect(str(path))
        self.socket.settimeout(0.2)
        self.pending = b""
        self.messages: list[dict[str, Any]] = []

    def read(self) -> list[dict[str, Any]]:
        with contextlib.suppress(TimeoutError):
            self.pending += self.socket.recv(65536)
        *lines, self.pending = self.pending.split(b"\n")
        self.messages += [json.loads(line) for line in lines]
        return self.messages


def test_the_browsers_hold_back_nothing_while_nudger_is_paused(tmp_path: Path) -> None:
    env = {"XDG_RUNTIME_DIR": str(tmp_path), "NUDGER_DATA_DIR": str(tmp_path / "d")}
    companion = Companion(BrowserRelay.start(env), SETTINGS, all_rules(SETTINGS))
    assert companion.relay is not None
    try:
        peer = Peer(companion.relay.path)
        companion.tell(paused=False)
        wait_until(peer.read, 5, "the rules")
        rules = peer.messages[-1]
        assert rules["type"] == "pause_rules" and rules["pause_seconds"] == 5
        assert [r["kind"] for r in rules["rules"]] == ["blocklist"]  # sites only when asked
        companion.tell(paused=False)  # nothing changed: nothing said
        companion.tell(paused=True)
        wait_until(lambda: len(peer.read()) == 2, 5, "the pause")
        assert peer.messages[-1]["rules"] == []
        companion.tell(paused=False)
        wait_until(lambda: len(peer.read()) == 3, 5, "the rules again")
        assert peer.messages[-1] == rules

        with_sites = SETTINGS.model_copy(update={"browser": BrowserSettings(pause_sites=True)})
        companion.apply(with_sites, all_rules(with_sites))
        companion.tell(paused=False)
        wait_until(lambda: len(peer.read()) == 4, 5, "the sites too")
        assert {r["kind"] for r in peer.messages[-1]["rules"]} == {"blocklist", "site"}
        assert companion.settings_in_use()["browser.pause_sites"] == [True]
        off = SETTINGS.model_copy(update={"browser": BrowserSettings(pause_seconds=0)})
        companion.apply(off, all_rules(off))
        companion.tell(paused=False)
        wait_until(lambda: len(peer.read()) == 5, 5, "the pause turned off")
        assert peer.messages[-1]["rules"] == []
    finally:
        companion.close()


def test_the_daemon_runs_on_when_it_cannot_listen_for_browsers(tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    companion = Companion.open(
        SETTINGS,
        all_rules(SETTINGS),
        {"XDG_RUNTIME_DIR": str(blocked)}
        | {"NUDGER_BROWSER_SOCKET": str(blocked / "browser.sock")},
    )
    assert companion.relay is None
    companion.tell(paused=False)  # a no-op, never an error
    assert companion.contacts() == []
    companion.close()
