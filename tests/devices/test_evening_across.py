"""The evening sentence counts every device's day, when the person shares a folder. The
notification itself is caught at the notifier (the OS boundary); the store and files are real."""

from __future__ import annotations

import time
from pathlib import Path

from nudger.core.translate import ENGLISH
from nudger.core.types import Visit
from nudger.devices import setup
from nudger.notify.base import Delivery, Notification
from nudger.settings.models import Settings
from nudger.settings.values import days_of
from nudger.shell import devices
from nudger.shell.evening import EveningSummary
from nudger.shell.pause import PauseFile
from nudger.store import Store
from tests.devices.homes import PASSPHRASE


class Caught:
    name = "caught"

    def __init__(self) -> None:
        self.sent: list[Notification] = []

    def send(self, notification: Notification) -> Delivery:
        self.sent.append(notification)
        return Delivery(True, "caught", 1)


def test_the_evening_counts_the_other_device(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    laptop_data, desktop_data = tmp_path / "laptop", tmp_path / "desktop"
    settings = Settings()
    days = days_of(settings)
    # Ten minutes early in today (as the summary's days count, from day_starts_at).
    start = days.start_of(days.day_of(time.time())) + 60
    desktop_store = Store.open(desktop_data / "nudger.db")
    desktop_store.save_visits([Visit("site", "Reddit", "title", "front", start, start + 600)])
    setup.turn_on(desktop_data, folder, PASSPHRASE, "desktop")
    assert devices.Sharing(desktop_data).write(desktop_store)
    desktop_store.close()

    laptop_store = Store.open(laptop_data / "nudger.db")
    setup.turn_on(laptop_data, folder, PASSPHRASE, "laptop")
    caught = Caught()

    def evening(*, across: bool) -> str:
        laptop_store.set_meta("evening_sent_for", "")
        EveningSummary(
            laptop_store,
            caught,  # type: ignore[arg-type]
            PauseFile(laptop_data),
            days=lambda: days,
            translator=lambda: ENGLISH,
            is_quiet=lambda _local: False,
            expire_seconds=lambda: 10.0,
            source=(lambda: devices.across(laptop_store, settings, ENGLISH, laptop_data))
            if across
            else None,
        )()
        return caught.sent[-1].body

    try:
        assert evening(across=False).startswith("No time on social sites today.")
        assert evening(across=True).startswith("10 min on social sites today")
    finally:
        laptop_store.close()
