"""True time when the person switches fast: the case from the field, on a real X11 desktop.

A Chromium window on an Instagram profile and an xterm, focus moving between them every 2 s for
32 s, the real `nudger run` at its default 1 s polling. The time recorded on Instagram must be
the time Instagram was really in front (within 5 %), not the time away bridged into one visit.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest

from tests.desktop.rig import Desktop
from tests.nudger_process import NudgerDaemon, run_cli

pytestmark = [pytest.mark.desktop, pytest.mark.browser]

PROFILE = "Alex Doe (@alexdoe) • Instagram photos and videos"
STINT_SECONDS = 2.0
SWITCHES = 16


def test_switching_every_two_seconds_records_the_true_time_on_the_page(
    desktop: Desktop, daemon_factory: Callable[..., NudgerDaemon]
) -> None:
    browser = desktop.open_chromium(PROFILE)
    notes = desktop.open_xterm("notes.txt")
    desktop.switch_to(notes)
    daemon = daemon_factory(desktop).start()
    daemon.wait_watching()

    truly_on_page = 0.0
    for _ in range(SWITCHES // 2):
        arrived = desktop.switch_to(browser)
        time.sleep(max(0.0, arrived + STINT_SECONDS - time.time()))
        left = desktop.switch_to(notes)
        truly_on_page += left - arrived
        time.sleep(max(0.0, left + STINT_SECONDS - time.time()))
    assert daemon.stop() == 0

    recorded = daemon.seconds_for("site", "Instagram")
    visits = daemon.query("SELECT count(*) FROM visits WHERE target = 'Instagram'")[0][0]
    assert abs(recorded - truly_on_page) <= 0.05 * truly_on_page, (
        f"recorded {recorded:.2f} s on Instagram in {visits} visits; truly {truly_on_page:.2f} s"
        f"\n{daemon.log()[-3000:]}"
    )
    rows = daemon.query("SELECT started_at, ended_at FROM visits WHERE target = 'Instagram'")
    assert visits == SWITCHES // 2, [(round(a, 3), round(b - a, 3)) for a, b in rows]

    # What the person reads agrees: the summary rounds to whole seconds.
    summary = json.loads(run_cli(daemon.env, "summary", "--json").stdout)
    [instagram] = [t for t in summary["targets"] if t["name"] == "Instagram"]
    assert abs(instagram["seconds"] - truly_on_page) <= 0.05 * truly_on_page + 0.5
    assert instagram["visits"] == SWITCHES // 2
