"""The X server goes away mid-run: the daemon waits, logs once, and picks up on a new one."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.desktop.rig import Desktop, free_display_number, running_desktop, wait_until
from tests.nudger_process import NudgerDaemon

pytestmark = pytest.mark.desktop

ALEX = '[[blocklist]]\nname = "Alex"\nmatch = ["Alex Doe"]\n'


@pytest.fixture
def own_display(tmp_path: Path) -> Iterator[Desktop]:
    """A desktop on a display number that no other test takes while its X server is down:
    otherwise the daemon could find another test's server there, and its windows."""
    with running_desktop(tmp_path / "desktop", number=free_display_number()) as desktop:
        yield desktop


def test_the_daemon_survives_the_x_server_dying_and_resumes_on_a_new_one(
    own_display: Desktop, daemon_factory: Callable[..., NudgerDaemon]
) -> None:
    desktop = own_display
    daemon = daemon_factory(desktop, ALEX).start()
    daemon.wait_watching()
    window = desktop.open_xterm("Alex Doe - messages")
    desktop.activate(window)
    daemon.wait_for_visit("blocklist", "Alex", min_seconds=1, timeout=30)

    desktop.kill_x()  # returns once Xvfb has exited
    killed_at = time.time()
    wait_until(lambda: "lost the X display" in daemon.log(), 30, "the daemon to notice")
    time.sleep(2)
    assert daemon.process is not None and daemon.process.poll() is None, daemon.log()
    # The visit ended where it was last seen, not when the daemon noticed. Only the window in
    # front counts here: without a display the daemon also notes running social apps, and a
    # parallel test may be running a fake Discord just then.
    [(ended_at,)] = daemon.query("SELECT max(ended_at) FROM visits WHERE source = 'front'")
    assert ended_at <= killed_at + 0.01, (killed_at, daemon.query("SELECT * FROM visits"))

    desktop.start_x(desktop.number)
    desktop.start_window_manager()
    again = desktop.open_xterm("Alex Doe - messages, again")
    desktop.activate(again)
    wait_until(
        lambda: daemon.query("SELECT count(*) FROM visits WHERE source = 'front'")[0][0] >= 2,
        40,
        "a new visit",
    )
    assert daemon.stop(signal.SIGINT) == 0
    assert "Traceback" not in daemon.log()
