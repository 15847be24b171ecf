"""End to end on a real X11 desktop: real browsers, a real window manager, the real daemon."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.desktop.rig import Desktop
from tests.nudger_process import NudgerDaemon

pytestmark = [pytest.mark.desktop, pytest.mark.browser]

ALEX = """
[[blocklist]]
name = "Alex"
match = ["Alex Doe", "@alexdoe", "instagram.com/alexdoe"]
"""
PROFILE_TITLE = "Alex Doe (@alexdoe) • Instagram photos and videos"
# Time from the window coming to the front to its visit being in the database.
LOGGED_WITHIN_SECONDS = 30.0  # generous: how fast is bench/'s concern, not a test's


def _stored_bytes(daemon: NudgerDaemon) -> bytes:
    everything = b""
    for path in sorted(daemon.data_dir.rglob("*")):
        if path.is_file():
            everything += path.read_bytes()
    return everything


def test_chromium_profile_page_counts_for_instagram_and_for_the_blocklist(
    desktop: Desktop, daemon_factory: Callable[..., NudgerDaemon]
) -> None:
    notes = desktop.open_xterm("notes.txt")
    desktop.activate(notes)
    daemon = daemon_factory(desktop, ALEX).start()
    daemon.wait_watching()

    browser = desktop.open_chromium(PROFILE_TITLE)
    desktop.activate(browser)
    shown_at = time.monotonic()
    daemon.wait_for_visit("blocklist", "Alex", timeout=LOGGED_WITHIN_SECONDS)
    daemon.wait_for_visit("site", "Instagram", timeout=LOGGED_WITHIN_SECONDS)

    daemon.wait_for_visit("blocklist", "Alex", min_seconds=3, timeout=30)
    desktop.activate(notes)
    in_front_for = time.monotonic() - shown_at
    time.sleep(1.5)
    assert daemon.stop() == 0

    for kind, target in (("blocklist", "Alex"), ("site", "Instagram")):
        rows = daemon.query(
            "SELECT count(*), sum(ended_at - started_at), min(signal) FROM visits "
            "WHERE kind = ? AND target = ?",
            (kind, target),
        )
        visits, seconds, signal = rows[0]
        assert visits == 1, f"{target}: one continuous visit, got {visits}"
        # Counted from the first sample that saw it to the last; never more than it was in front.
        assert 2.0 <= seconds <= in_front_for + 0.5, (target, seconds, in_front_for)
        assert signal == "title"
    assert daemon.query(
        "SELECT count(*) FROM visits WHERE target NOT IN ('Alex', 'Instagram')"
    ) == [(0,)]

    stored = _stored_bytes(daemon)
    assert b"notes.txt" not in stored, "a title that matched nothing reached the disk"
    assert b"Alex Doe" not in stored, "titles are not stored unless privacy.store_titles is on"


def test_firefox_reddit_page_counts_for_reddit(
    desktop: Desktop, daemon_factory: Callable[..., NudgerDaemon]
) -> None:
    daemon = daemon_factory(desktop, ALEX).start()
    daemon.wait_watching()
    browser = desktop.open_firefox("r/BreakUps")
    desktop.activate(browser)
    daemon.wait_for_visit("site", "Reddit", timeout=LOGGED_WITHIN_SECONDS)
    daemon.wait_for_visit("site", "Reddit", min_seconds=2, timeout=30)
    assert daemon.stop() == 0
    assert daemon.query("SELECT DISTINCT target, kind FROM visits") == [("Reddit", "site")]


def test_an_unmatched_window_is_never_recorded(
    desktop: Desktop, daemon_factory: Callable[..., NudgerDaemon], tmp_path: Path
) -> None:
    daemon = daemon_factory(desktop, ALEX).start()
    daemon.wait_watching()
    notes = desktop.open_xterm("notes.txt")
    desktop.activate(notes)
    # Long enough for several samples and a periodic flush.
    time.sleep(7)
    assert daemon.stop() == 0
    assert daemon.query("SELECT count(*) FROM visits") == [(0,)]
    assert b"notes.txt" not in _stored_bytes(daemon)


def test_legacy_compound_text_title_is_decoded_and_matched(
    desktop: Desktop, daemon_factory: Callable[..., NudgerDaemon]
) -> None:
    config = '[[blocklist]]\nname = "Zoë"\nmatch = ["Zoë Müller"]\n'
    daemon = daemon_factory(desktop, config).start()
    daemon.wait_watching()
    window = desktop.open_legacy_xterm("chat with Zoë Müller")
    desktop.activate(window)
    daemon.wait_for_visit("blocklist", "Zoë", timeout=LOGGED_WITHIN_SECONDS)
    assert daemon.stop() == 0
