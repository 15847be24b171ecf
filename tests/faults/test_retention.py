"""privacy.keep_days: the daemon deletes what is older, and keeps the rest."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable

from nudger.core.types import Visit
from nudger.store import Store
from tests.desktop.rig import wait_until
from tests.nudger_process import NudgerDaemon


def test_visits_older_than_keep_days_are_deleted(
    fake_discord: subprocess.Popen[bytes], headless_daemon: Callable[..., NudgerDaemon]
) -> None:
    daemon = headless_daemon("[privacy]\nkeep_days = 30\n[watch]\nprocess_scan_seconds = 1\n")
    store = Store.open(daemon.database)
    now = time.time()
    store.save_visits(
        [
            Visit("site", "Reddit", "title", "front", now - 40 * 86400, now - 40 * 86400 + 60),
            Visit("site", "Reddit", "title", "front", now - 20 * 86400, now - 20 * 86400 + 60),
        ]
    )
    store.add_nudge(
        at=now - 40 * 86400,
        kind="site",
        target="Reddit",
        reason="session",
        message_id="move.1",
        delivered=True,
        channel="dbus",
        notification_id=1,
    )
    store.close()
    daemon.start()
    wait_until(
        lambda: "deleted 1 visits older than 30 days" in daemon.log(), 15, "the old visit to go"
    )
    starts = [
        row[0] for row in daemon.query("SELECT started_at FROM visits WHERE target = 'Reddit'")
    ]
    assert starts == [now - 20 * 86400]
    assert daemon.query("SELECT count(*) FROM nudges") == [(0,)]
