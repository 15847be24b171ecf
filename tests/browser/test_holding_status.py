"""What a browser holds back, what it only counts, and whether its pause can work at all, as
the extension says it and as `nudger browser status` (and `doctor`) tell the person."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from nudger.browser import host
from nudger.browser.relay import BrowserRelay
from nudger.cli.browser_cmd import _contact_state
from nudger.core.translate import ENGLISH
from nudger.settings.catalogue import all_rules
from nudger.settings.models import RuleSettings, Settings
from nudger.shell.companion import Companion
from tests.browser.test_host_and_relay import BrowserSide
from tests.desktop.rig import wait_until


def test_the_relay_keeps_what_the_extension_says_it_holds_and_only_counts(
    relay: BrowserRelay, env: dict[str, str]
) -> None:
    browser = BrowserSide(env)
    try:
        browser.send({"type": "holding", "count": 950, "only_counted": 51, "site_access": False})
        wait_until(
            lambda: (
                [(c.holding, c.only_counted, c.site_access) for c in relay.contacts()]
                == [(950, 51, False)]
            ),
            10,
            "the holding report",
        )
        browser.send({"type": "hello", "version": "1"})  # later messages keep what it said
        time.sleep(0.3)
        assert [(c.holding, c.site_access) for c in relay.contacts()] == [(950, False)]
    finally:
        browser.close()


def contact(**said: Any) -> dict[str, Any]:
    return {"browser": "chromium", "browser_pid": 0, "last_seen": time.time(), **said}


def test_status_says_how_many_are_held_back_and_how_many_only_counted() -> None:
    state = _contact_state(ENGLISH, contact(connected=True, holding=950, only_counted=9050))
    assert "it pauses before 950 addresses" in state
    assert "9050 more addresses are beyond what the browser can hold back" in state
    assert "only counted" in state
    assert "beyond" not in _contact_state(
        ENGLISH, contact(connected=True, holding=3, only_counted=0)
    )


def test_status_says_the_pause_is_off_when_site_access_was_withdrawn() -> None:
    state = _contact_state(ENGLISH, contact(connected=True, holding=1, site_access=False))
    assert "the pause is off" in state and "pauses before" not in state
    assert "access to all websites" in state
    assert "the pause is off" not in _contact_state(
        ENGLISH, contact(connected=True, site_access=True)
    )


def test_status_tells_an_extension_switched_off_from_a_browser_closed(tmp_path: Path) -> None:
    """The host goes when either happens; a browser process still there means the extension
    was switched off or removed."""
    fake = tmp_path / "chromium"  # a process named like the browser, standing in for it
    sleep = shutil.which("sleep")
    assert sleep is not None
    shutil.copy(sleep, fake)
    running = subprocess.Popen([str(fake), "60"])
    try:
        off = _contact_state(ENGLISH, contact(connected=False, browser_pid=running.pid))
        assert "the extension is off or removed" in off and "has closed" not in off
    finally:
        running.kill()
        running.wait()
    closed = _contact_state(ENGLISH, contact(connected=False, browser_pid=running.pid))
    assert "the browser has closed" in closed
    mine = _contact_state(
        ENGLISH, contact(connected=False, browser_pid=os.getpid())
    )  # not a browser
    assert "the browser has closed" in mine


def test_the_rules_for_ten_thousand_entries_fit_in_one_message_toward_the_browser() -> None:
    """The host drops a message over 1 MB toward the browser: the rules never grow past it."""
    blocklist = tuple(
        RuleSettings(name=f"P{i}", match=(f"example{i}.org/" + "x" * 20,)) for i in range(10_000)
    )
    settings = Settings(blocklist=blocklist)
    sent: list[dict[str, Any]] = []

    class Relay:
        def instruct(self, message: dict[str, Any]) -> None:
            sent.append(message)

    companion = Companion(None, settings, all_rules(settings))
    companion.relay = Relay()  # type: ignore[assignment]
    companion.tell(paused=False)
    (message,) = sent
    held = sum(rule["entries"] for rule in message["rules"])
    assert held + message["only_counted"] == 10_000 and message["only_counted"] > 0
    assert all_rules(settings)  # the entries are valid settings
    sink = io.BytesIO()
    host.write_message(sink, message)  # drops (writes nothing) what is over its frame limit
    assert len(sink.getvalue()) > 100_000
