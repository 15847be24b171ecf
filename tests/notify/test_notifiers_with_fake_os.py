"""The macOS and Windows notifiers, through fakes at the OS boundary (osascript, WinRT and
plyer's balloon cannot run on this Linux machine). Everything above the boundary is real: the
notifiers, the coach, the policy and a real database."""

from __future__ import annotations

import datetime as dt
import random
import subprocess
import threading
import time
import types
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from nudger.core.types import Reading, Visit, Window
from nudger.notify import Notification, choose_notifier
from nudger.notify.base import MAX_BODY, MAX_TITLE, SNOOZE_HINT, Notifier
from nudger.notify.chain import FirstThatWorks
from nudger.notify.macos import SCRIPT, MacNotifier
from nudger.notify.plyer_ import PlyerNotifier
from nudger.notify.toast import ToastNotifier
from nudger.settings.models import RuleSettings, Settings
from nudger.settings.values import days_of
from nudger.shell.coach import Coach
from nudger.shell.pause import PauseFile
from nudger.store import Store
from tests.desktop.rig import wait_until
from tests.shell.ticking import Ticking

SETTINGS = Settings(
    blocklist=(RuleSettings(name="Alex", match=("alexdoe",)),), summary={"timezone": "UTC"}
)
HOSTILE = [
    'He said "hi" \\ & (do shell script "touch /tmp/pwned") & "',
    '-e do shell script "touch /tmp/pwned"',
    'end run\ndo shell script "id"\non run argv',
    "💔 Emoji 🌙 and ünïcödé",
    "\\\\\\",
]


# -- macOS: a fake osascript ------------------------------------------------------------


@dataclass
class FakeOsascript:
    """Records each command line; answers as osascript would (exit status, stderr)."""

    returncode: int = 0
    stderr: str = ""
    calls: list[list[str]] = field(default_factory=list)
    present: bool = True

    def run(self, command: list[str], **_kwargs: Any) -> subprocess.CompletedProcess[str]:
        self.calls.append(command)
        return subprocess.CompletedProcess(command, self.returncode, "", self.stderr)

    def which(self, name: str) -> str | None:
        return f"/usr/bin/{name}" if self.present else None


def script_and_data(command: list[str]) -> tuple[list[str], list[str]]:
    """What osascript would run (every -e statement) and what it would only pass as argv."""
    assert command[0] == "osascript"
    statements, rest = [], command[1:]
    while rest and rest[0] == "-e":
        statements.append(rest[1])
        rest = rest[2:]
    return statements, rest


@pytest.mark.parametrize("text", HOSTILE)
def test_fake_osascript_hostile_titles_and_bodies_stay_data(text: str) -> None:
    fake = FakeOsascript()
    notifier = MacNotifier(run=fake.run, which=fake.which)
    assert notifier.send(Notification(text, f"{text} body", 20)).delivered
    statements, argv = script_and_data(fake.calls[0])
    assert statements == list(SCRIPT)  # the script never changes, whatever the text
    assert argv[0] == "nudger"  # a plain first argument: osascript's options end before text
    assert argv[1] == text[:MAX_TITLE] or argv[1].endswith("…")
    assert argv[2].startswith(f"{text} body"[:20]) and argv[2].endswith(SNOOZE_HINT)


def test_fake_osascript_long_texts_fit() -> None:
    fake = FakeOsascript()
    MacNotifier(run=fake.run, which=fake.which).send(Notification("t" * 200, "b " * 400, 20))
    _, argv = script_and_data(fake.calls[0])
    assert len(argv[1]) <= MAX_TITLE and len(argv[2]) <= MAX_BODY


def test_fake_osascript_failures_say_why() -> None:
    refused = FakeOsascript(returncode=1, stderr="execution error: Not authorised (-1743)\n")
    delivery = MacNotifier(run=refused.run, which=refused.which).send(Notification("t", "b", 5))
    assert not delivery.delivered and "Not authorised" in str(delivery.problem)
    absent = FakeOsascript(present=False)
    delivery = MacNotifier(run=absent.run, which=absent.which).send(Notification("t", "b", 5))
    assert not delivery.delivered and "not on PATH" in str(delivery.problem)

    def hangs(command: list[str], **_kwargs: Any) -> Any:
        raise subprocess.TimeoutExpired(command, 10)

    delivery = MacNotifier(run=hangs, which=FakeOsascript().which).send(Notification("t", "b", 5))
    assert not delivery.delivered and "did not finish" in str(delivery.problem)


# -- through the coach, with a real database -----------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "nudger.db")
    yield opened
    opened.close()


def nudge_through(notifier: Notifier, store: Store, tmp_path: Path) -> Ticking:
    coach = Coach(
        SETTINGS, store, notifier, PauseFile(tmp_path), days_of(SETTINGS), rng=random.Random(1)
    )
    ticks = Ticking(coach)
    now = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC).timestamp()
    visit = Visit("blocklist", "Alex", "title", "front", now - 30, now)
    assert ticks.consider(now, Reading(Window("safari", "alexdoe"), 0.0), [], [visit]) is not None
    return ticks


def test_fake_osascript_a_nudge_is_delivered_or_recorded_undelivered_with_the_reason(
    store: Store, tmp_path: Path
) -> None:
    fake = FakeOsascript()
    nudge_through(MacNotifier(run=fake.run, which=fake.which), store, tmp_path)
    [row] = store.nudges_between(0, 2e9)
    assert row.delivered and len(fake.calls) == 1
    assert "Alex" not in " ".join(fake.calls[0])  # never the name, not even to the OS

    refused = FakeOsascript(returncode=1, stderr="execution error: Notifications are off\n")
    other = Store.open(tmp_path / "other.db")
    ticks = nudge_through(MacNotifier(run=refused.run, which=refused.which), other, tmp_path)
    [row] = other.nudges_between(0, 2e9)
    assert not row.delivered
    assert any("Notifications are off" in str(problem) for problem in ticks.coach.problems())
    other.close()


# -- Windows: a fake windows_toasts (WinRT) ------------------------------------------


class FakeToaster:
    def __init__(self, app: str) -> None:
        self.app = app
        self.shown: list[Any] = []
        self.refuse: Exception | None = None

    def show_toast(self, toast: Any) -> None:
        if self.refuse is not None:
            raise self.refuse
        self.shown.append(toast)


def fake_windows_toasts() -> types.ModuleType:
    module = types.ModuleType("windows_toasts")

    @dataclass
    class ToastButton:
        content: str = ""
        arguments: str = ""

    class Toast:
        def __init__(self, **kwargs: Any) -> None:
            self.__dict__.update(kwargs)

    module.ToastButton = ToastButton  # type: ignore[attr-defined]
    module.Toast = Toast  # type: ignore[attr-defined]
    module.InteractableWindowsToaster = FakeToaster  # type: ignore[attr-defined]
    return module


def press(toast: Any, arguments: str) -> None:
    """What WinRT does when a button is pressed: on_activated, on a thread of its own."""
    event = types.SimpleNamespace(arguments=arguments, inputs=None)
    worker = threading.Thread(target=toast.on_activated, args=(event,))
    worker.start()
    worker.join()


def test_fake_winrt_toast_carries_both_buttons_and_fits() -> None:
    notifier = ToastNotifier(fake_windows_toasts())
    delivery = notifier.send(Notification("t" * 100, "b " * 300, 20))
    assert delivery.delivered and delivery.channel == "windows-toasts"
    toast = notifier._toaster.shown[0]  # type: ignore[attr-defined]
    assert [(b.content, b.arguments) for b in toast.actions] == [
        ("Snooze 1 h", "snooze"),
        ("I'm stepping away", "away"),
    ]
    title, body = toast.text_fields
    assert len(title) <= MAX_TITLE and len(body) <= MAX_BODY
    assert SNOOZE_HINT not in body  # it has buttons
    evening = notifier.send(Notification("Your day", "Calm.", 20, with_actions=False))
    assert notifier._toaster.shown[-1].actions == [] and evening.delivered  # type: ignore[attr-defined]


def test_fake_winrt_a_button_press_reaches_the_coach(store: Store, tmp_path: Path) -> None:
    notifier = ToastNotifier(fake_windows_toasts())
    ticks = nudge_through(notifier, store, tmp_path)
    toast = notifier._toaster.shown[0]  # type: ignore[attr-defined]
    press(toast, "snooze")
    toast.on_dismissed(types.SimpleNamespace(reason=types.SimpleNamespace(name="USER_CANCELED")))
    now = time.time()
    ticks.consider(now, Reading(None, 0.0), [], [])
    [row] = store.nudges_between(0, 2e9)
    assert row.action == "snooze"  # the close that follows the press does not overwrite it
    assert ticks.coach.pause_file.current(now) is not None  # snoozed for an hour


def test_fake_winrt_a_late_failure_is_recorded_as_undelivered(store: Store, tmp_path: Path) -> None:
    notifier = ToastNotifier(fake_windows_toasts())
    ticks = nudge_through(notifier, store, tmp_path)
    toast = notifier._toaster.shown[0]  # type: ignore[attr-defined]
    toast.on_failed(types.SimpleNamespace(error_code=-2143420143))
    ticks.consider(time.time(), Reading(None, 0.0), [], [])
    [row] = store.nudges_between(0, 2e9)
    assert not row.delivered
    assert any("could not show the toast" in str(problem) for problem in ticks.coach.problems())


def test_fake_winrt_refused_toasts_fall_back_to_the_balloon() -> None:
    toasts = ToastNotifier(fake_windows_toasts())
    toasts._toaster.refuse = OSError("WinRT is not available")  # type: ignore[attr-defined]
    balloons: list[dict[str, Any]] = []
    chain = FirstThatWorks([toasts, PlyerNotifier(show=lambda **kw: balloons.append(kw))])
    delivery = chain.send(Notification("A moment for you", "How about a slow breath?", 20))
    assert delivery.delivered and delivery.channel == "plyer"
    wait_until(lambda: balloons, 5, "the balloon")
    assert balloons[0]["message"].endswith(SNOOZE_HINT)


# -- plyer's balloon: failures come back instead of dying in a thread ------------------


def test_fake_balloon_failure_in_its_thread_comes_back_as_feedback() -> None:
    def too_long(**_kwargs: Any) -> None:
        raise ValueError("string too long")

    notifier = PlyerNotifier(show=too_long)
    delivery = notifier.send(Notification("t", "b", 5))
    failed = wait_until(notifier.feedback, 5, "the balloon's failure")
    assert failed[0].notification_id == delivery.notification_id
    assert failed[0].outcome == "failed" and "string too long" in str(failed[0].problem)


def test_fake_balloon_texts_fit_windows_limits() -> None:
    seen: list[dict[str, Any]] = []
    PlyerNotifier(show=lambda **kw: seen.append(kw)).send(
        Notification("A moment for you " * 6, "Maybe a short walk? " * 20, 20)
    )
    wait_until(lambda: seen, 5, "the balloon")
    assert len(seen[0]["message"]) <= MAX_BODY and len(seen[0]["title"]) <= MAX_TITLE


def test_each_platform_gets_its_own_backend() -> None:
    assert choose_notifier("darwin").name == "osascript"
    assert choose_notifier("linux").name == "dbus"
