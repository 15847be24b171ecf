"""A daemon that is held up still counts the time that happened (issue 24).

The real `nudger run` on a real X server is stopped with SIGSTOP for 10 s, as a busy machine or a
debugger would hold it, while a blocklisted window stays in front. The X server keeps queueing
focus and title events meanwhile; once the daemon runs again its follower reads them, dated by
the server, and vouches that nothing else changed. The stall is then time on that window, and a
change made during the stall ends the visit at that change.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable

import pytest

from tests.desktop.rig import Desktop, wait_until
from tests.nudger_process import NudgerDaemon

pytestmark = pytest.mark.desktop

CONFIG = '[[blocklist]]\nname = "Jamie"\nmatch = ["Jamie Rivers"]\n'
STOPPED_SECONDS = 10.0


def _visits(daemon: NudgerDaemon) -> list[tuple[float, float]]:
    return [
        (row[0], row[1])
        for row in daemon.query(
            "SELECT started_at, ended_at FROM visits WHERE target = 'Jamie' ORDER BY started_at"
        )
    ]


def _ended_after(daemon: NudgerDaemon, moment: float) -> bool:
    """The daemon has seen the window leave: a visit ends at or after `moment` - 1 s."""
    visits = _visits(daemon)
    return bool(visits) and visits[-1][1] >= moment - 1.0


def _run_and_leave(
    desktop: Desktop,
    daemon_factory: Callable[..., NudgerDaemon],
    *,
    switch_during_stop: bool,
) -> tuple[NudgerDaemon, float, float]:
    notes = desktop.open_xterm("notes.txt")
    chat = desktop.open_xterm("Jamie Rivers - chat")
    desktop.switch_to(notes)
    daemon = daemon_factory(desktop, CONFIG).start()
    daemon.wait_watching()
    desktop.touch_input()
    arrived = desktop.switch_to(chat)
    daemon.wait_for_visit("blocklist", "Jamie", min_seconds=1.0, timeout=30)
    time.sleep(1.5)

    daemon.send(signal.SIGSTOP)
    try:
        time.sleep(STOPPED_SECONDS / 2)
        left = desktop.switch_to(notes) if switch_during_stop else 0.0
        desktop.touch_input()
        time.sleep(STOPPED_SECONDS / 2)
    finally:
        daemon.send(signal.SIGCONT)
    if not switch_during_stop:
        time.sleep(3.0)
        left = desktop.switch_to(notes)
    wait_until(lambda: _ended_after(daemon, left), 30, "the visit to end once the window left")
    assert daemon.stop() == 0
    return daemon, arrived, left


def test_a_stopped_daemon_counts_the_stall_the_desktop_vouches_for(
    desktop: Desktop, daemon_factory: Callable[..., NudgerDaemon]
) -> None:
    daemon, arrived, left = _run_and_leave(desktop, daemon_factory, switch_during_stop=False)
    truly = left - arrived
    recorded = daemon.seconds_for("blocklist", "Jamie")
    assert recorded >= 0.95 * truly, (
        f"{recorded:.2f} s counted of {truly:.2f} s in front: {_visits(daemon)}\n"
        f"{daemon.log()[-3000:]}"
    )
    assert recorded <= truly + 0.5
    assert len(_visits(daemon)) == 1, "one continuous visit, not one cut at the stall"


def test_a_switch_during_the_stall_ends_the_visit_at_the_switch(
    desktop: Desktop, daemon_factory: Callable[..., NudgerDaemon]
) -> None:
    daemon, arrived, left = _run_and_leave(desktop, daemon_factory, switch_during_stop=True)
    visits = _visits(daemon)
    assert len(visits) == 1, visits
    started, ended = visits[0]
    # Dated by the X server's timestamp, not by when the stopped daemon got round to reading it.
    assert abs(ended - left) <= 0.5, (
        f"the visit ended {ended - left:+.2f} s from the switch\n{daemon.log()[-3000:]}"
    )
    assert abs(started - arrived) <= 1.5
