"""A window that retitles itself in a tight loop (hundreds of thousands of times in seconds, as a
hostile or broken X client can) must not make the daemon's memory grow, nor stop it counting."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from collections.abc import Callable

import psutil
import pytest

from tests.desktop.rig import Desktop, wait_until
from tests.nudger_process import NudgerDaemon

pytestmark = [pytest.mark.desktop]

FLOOD_SECONDS = 10

# A separate process, so the flood's own memory is not the test's: it maps a window, asks the
# window manager to bring it to the front, and retitles it as fast as X allows.
FLOODER = textwrap.dedent(
    """
    import sys, time
    from Xlib import X, display, protocol
    connection = display.Display(sys.argv[1])
    screen = connection.screen()
    window = screen.root.create_window(0, 0, 300, 200, 0, screen.root_depth)
    window.set_wm_name("flood")
    window.map()
    connection.sync()
    time.sleep(0.5)
    request = protocol.event.ClientMessage(
        window=window,
        client_type=connection.intern_atom("_NET_ACTIVE_WINDOW"),
        data=(32, [2, X.CurrentTime, 0, 0, 0]),
    )
    mask = X.SubstructureRedirectMask | X.SubstructureNotifyMask
    screen.root.send_event(request, event_mask=mask)
    connection.sync()
    time.sleep(1)
    name, utf8 = connection.intern_atom("_NET_WM_NAME"), connection.intern_atom("UTF8_STRING")
    end, count = time.time() + float(sys.argv[2]), 0
    # At least the time, and at least 100,000 changes: a loaded machine floods more slowly.
    while time.time() < end or count < 100_000:
        for _ in range(1000):
            window.change_property(name, utf8, 8, b"title %d" % count)
            count += 1
        connection.flush()
    connection.sync()
    print(count, flush=True)
    # Then it settles on a title of the blocklist, and stays in front for a while.
    window.change_property(name, utf8, 8, b"Alex Doe - chat")
    connection.sync()
    time.sleep(float(sys.argv[3]))
    """
)


def test_a_window_retitling_itself_in_a_loop_leaves_memory_flat(
    desktop: Desktop, daemon_factory: Callable[..., NudgerDaemon]
) -> None:
    daemon = daemon_factory(desktop, '[[blocklist]]\nname = "Alex"\nmatch = ["Alex Doe"]\n')
    daemon.start().wait_watching()
    assert daemon.process is not None
    process = psutil.Process(daemon.process.pid)
    time.sleep(2)
    before = process.memory_info().rss

    flooder = subprocess.Popen(
        [sys.executable, "-c", FLOODER, desktop.display_name, str(FLOOD_SECONDS), "30"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert flooder.stdout is not None
    changes = int(flooder.stdout.readline().strip())
    assert changes >= 100_000, "the flood was a flood"
    right_after = process.memory_info().rss
    time.sleep(5)
    later = process.memory_info().rss
    assert right_after - before < 30 * 1024 * 1024, (before, right_after)
    assert later - right_after < 4 * 1024 * 1024, "memory stays flat once the flood stops"
    assert "hundreds of times a second" in daemon.log()

    # Still counting once the flood is over: the window's last title is on the blocklist.
    try:
        daemon.wait_for_visit("blocklist", "Alex", min_seconds=2, timeout=30)
        wait_until(
            lambda: (daemon.status() or {}).get("last_sample_at", 0) > time.time() - 6,
            10,
            "a recent look",
        )
    finally:
        flooder.kill()
        flooder.wait()
