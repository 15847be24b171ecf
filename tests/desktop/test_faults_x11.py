"""Faults on a real desktop: kill -9, the notification server dying, hostile window titles."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable

import pytest
from Xlib import X, display

from tests.desktop.rig import Desktop, wait_until
from tests.nudger_process import NudgerDaemon

pytestmark = pytest.mark.desktop

JAMIE = '[[blocklist]]\nname = "Jamie"\nmatch = ["Jamie Rivers"]\n'
POLL, FLUSH = 1.0, 5.0


def test_kill_9_loses_at_most_one_sample_and_one_flush(
    desktop: Desktop, daemon_factory: Callable[..., NudgerDaemon]
) -> None:
    daemon = daemon_factory(desktop, JAMIE).start()
    daemon.wait_watching()
    desktop.activate(desktop.open_xterm("Jamie Rivers - chat"))
    daemon.wait_for_visit("blocklist", "Jamie", timeout=30)
    time.sleep(9)
    assert daemon.process is not None
    killed_at = time.time()
    daemon.process.send_signal(signal.SIGKILL)
    daemon.process.wait()

    daemon.start()  # after a restart the record still stands, and counting goes on
    daemon.wait_watching()
    [(end,)] = daemon.query("SELECT ended_at FROM visits ORDER BY started_at LIMIT 1")
    assert killed_at - end <= POLL + FLUSH, f"lost {killed_at - end:.1f} s"
    assert end <= killed_at
    wait_until(
        lambda: daemon.query("SELECT count(*) FROM visits")[0][0] == 2,
        5,
        "a new visit after the restart",
    )
    assert daemon.stop() == 0


def test_a_dying_notification_server_means_undelivered_then_delivered_again(
    desktop: Desktop, daemon_factory: Callable[..., NudgerDaemon]
) -> None:
    # No night: its rules space nudges out, and the test would wait in vain after 23:00.
    quick = JAMIE + '[nudges]\nmin_gap_minutes = 0\nblocklist_repeat_minutes = 0.25\nnight = ""\n'
    daemon = daemon_factory(desktop, quick).start()
    daemon.wait_watching()
    desktop.activate(desktop.open_xterm("Jamie Rivers - chat"))
    wait_until(
        lambda: daemon.query("SELECT delivered FROM nudges") == [(1,)],
        30,  # the nudge comes 5 s into the visit; a loaded machine takes its time to show it
        "a first, delivered nudge",
    )

    desktop.stop_notifications()
    wait_until(
        lambda: daemon.query("SELECT id FROM nudges WHERE delivered = 0"),
        25,
        "an undelivered nudge",
    )
    assert daemon.process is not None and daemon.process.poll() is None
    undelivered = daemon.query("SELECT id FROM nudges WHERE delivered = 0")

    desktop.start_notifications()
    wait_until(
        lambda: (
            daemon.query("SELECT delivered FROM nudges WHERE id = ?", (undelivered[0][0],))
            == [(1,)]
        ),
        25,
        "delivery to resume with the server",
    )
    assert daemon.seconds_for("blocklist", "Jamie") > 15, "counting went on throughout"


HOSTILE_TITLES = [
    b"",
    b"\xff\xfe\xfd not utf-8 \xc3\x28 at all",
    b"\x00\x01\x02\x1b[31m control characters \x07\x08" * 50,
    b"(" * 5000 + b"a" * 5000 + b")*$",
    ("\u202eevil bidi " + "\U0001f600" * 500).encode(),
    b"x" * 200_000,  # near the largest property one X request can carry
    b"\x1b]2;nested\x07 Jamie Rivers \xff\x00 hidden in noise",
]


def test_hostile_window_titles_are_survived(
    desktop: Desktop, daemon_factory: Callable[..., NudgerDaemon]
) -> None:
    daemon = daemon_factory(desktop, JAMIE).start()
    daemon.wait_watching()
    x = display.Display(desktop.display_name)
    root = x.screen().root
    net_wm_name, utf8 = x.intern_atom("_NET_WM_NAME"), x.intern_atom("UTF8_STRING")
    windows = []
    for raw in HOSTILE_TITLES:
        window = root.create_window(
            0, 0, 200, 100, 0, x.screen().root_depth, X.InputOutput, X.CopyFromParent
        )
        window.change_property(net_wm_name, utf8, 8, raw)
        window.set_wm_name(b"hostile")
        window.map()
        windows.append(window)
    x.sync()
    for window in windows:
        window.set_input_focus(X.RevertToParent, X.CurrentTime)
        root.change_property(
            x.intern_atom("_NET_ACTIVE_WINDOW"), x.intern_atom("WINDOW"), 32, [window.id]
        )
        x.sync()
        time.sleep(1.5)
        assert daemon.process is not None and daemon.process.poll() is None, daemon.log()
    # Only the one title with the blocklist words in it counted.
    assert daemon.query("SELECT DISTINCT target FROM visits") == [("Jamie",)]
    assert "Traceback" not in daemon.log()
    x.close()
    assert daemon.stop() == 0
