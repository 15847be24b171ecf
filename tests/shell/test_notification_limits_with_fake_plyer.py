"""The plyer notifier with a fake plyer (the OS boundary: Windows' balloon cannot run here).

Windows takes 255 characters of message and 63 of title, and plyer fails on more inside a
thread, where the failure is lost: nudger keeps every text within those limits itself."""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest

from nudger.notify.base import SNOOZE_HINT, Notification
from nudger.notify.plyer_ import MESSAGE_LIMIT, PlyerNotifier


class FakePlyerNotification:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def notify(self, **kwargs: Any) -> None:
        self.calls.append(kwargs)


@pytest.fixture
def fake_plyer(monkeypatch: pytest.MonkeyPatch) -> FakePlyerNotification:
    fake = FakePlyerNotification()
    module = types.ModuleType("plyer")
    module.notification = fake  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "plyer", module)
    return fake


def test_fake_plyer_gets_texts_within_the_windows_limits(fake_plyer: FakePlyerNotification) -> None:
    body = "Maybe a short walk? " * 20 + "\nSam: " + "5" * 150
    delivery = PlyerNotifier().send(Notification("A moment for you " * 6, body, 20))
    assert delivery.delivered
    sent = fake_plyer.calls[0]
    assert len(sent["message"]) <= MESSAGE_LIMIT
    assert sent["message"].endswith(SNOOZE_HINT)
    assert len(sent["title"]) <= 63 and sent["title"].endswith("…")


def test_fake_plyer_keeps_a_short_text_as_it_is(fake_plyer: FakePlyerNotification) -> None:
    PlyerNotifier().send(Notification("A short walk?", "How about ten minutes outside?", 20))
    assert fake_plyer.calls[0]["message"] == f"How about ten minutes outside?\n{SNOOZE_HINT}"
    assert fake_plyer.calls[0]["title"] == "A short walk?"
