"""A promise on the real X11 desktop: loosening waits (a pause, a removal, a hand edit), the
blocklist page stays counted and nudged; adding applies at once; one pass a week applies one."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest

from tests.desktop.rig import Desktop, wait_until
from tests.nudger_process import NudgerDaemon, run_cli

pytestmark = pytest.mark.desktop

ALEX = '[[blocklist]]\nname = "Alex"\nmatch = ["Alex Doe"]\n'
QUICK = '[nudges]\nmin_gap_minutes = 0\nblocklist_repeat_minutes = 0.1\nnight = ""\n'


def nudges_shown(desktop: Desktop) -> int:
    return sum(1 for call in desktop.notify_calls() if call and call[0] == "nudger")


def reloads(daemon: NudgerDaemon) -> int:
    return daemon.log().count("config reloaded")


def still_counted_and_nudged(desktop: Desktop, daemon: NudgerDaemon, what: str) -> None:
    """The Alex page keeps being counted, and a nudge comes again."""
    seconds, shown = daemon.seconds_for("blocklist", "Alex"), nudges_shown(desktop)
    daemon.wait_for_visit("blocklist", "Alex", min_seconds=seconds + 3, timeout=30)
    wait_until(lambda: nudges_shown(desktop) > shown, 30, f"a nudge after {what}")


def waiting_line(status: str, words: str) -> re.Match[str]:
    # "00:22", or "Fri 00:22" when the wait ends on another day (an hour's wait from 23:30).
    found = re.search(
        r"^\s+(\d+)\s+((?:\w+\.? )?\d\d:\d\d)\s+.*" + re.escape(words), status, re.MULTILINE
    )
    assert found, f"{words!r} is not listed as waiting with its time:\n{status}"
    return found


def test_during_a_promise_loosening_waits_tightening_applies_and_a_pass_applies_one(
    desktop: Desktop, daemon_factory: Callable[..., NudgerDaemon]
) -> None:
    daemon = daemon_factory(desktop, ALEX + QUICK).start()
    daemon.wait_watching()
    made = run_cli(daemon.env, "promise", "7d", "--cool-off", "1h")
    assert made.returncode == 0 and "Your promise runs until" in made.stdout, made.stderr
    desktop.activate(desktop.open_xterm("Alex Doe - chat"))
    daemon.wait_for_visit("blocklist", "Alex", min_seconds=1, timeout=30)
    wait_until(lambda: nudges_shown(desktop) >= 1, 30, "the first nudge")

    # `nudger pause 1d` waits: counted and nudged still.
    paused = run_cli(daemon.env, "pause", "1d")
    assert paused.returncode == 0, paused.stderr
    assert "keeps things as they are" in paused.stdout and "help-now" in paused.stdout
    still_counted_and_nudged(desktop, daemon, "pause 1d")

    # `nudger block remove Alex` waits, though the file has it.
    before = reloads(daemon)
    removed = run_cli(daemon.env, "block", "remove", "Alex")
    assert removed.returncode == 0, removed.stderr
    assert "keeps things as they are" in removed.stdout
    wait_until(lambda: reloads(daemon) > before, 30, "the daemon to see the removal")
    still_counted_and_nudged(desktop, daemon, "block remove Alex")
    listed = run_cli(daemon.env, "block", "list")
    assert "Alex" in listed.stdout, "block list shows the settings in force"

    status = run_cli(daemon.env, "promise", "status").stdout
    pause_id = waiting_line(status, "a pause of").group(1)
    waiting_line(status, 'removing "Alex" from the blocklist')

    # Putting Alex back by hand ends that wait; a hand edit deleting Alex waits anew.
    before = reloads(daemon)
    daemon.config_path.write_text(ALEX + QUICK)
    wait_until(lambda: reloads(daemon) > before, 30, "the daemon to see Alex back")
    assert "removing" not in run_cli(daemon.env, "promise", "status").stdout
    before = reloads(daemon)
    daemon.config_path.write_text(QUICK)
    wait_until(lambda: reloads(daemon) > before, 30, "the daemon to see the hand edit")
    still_counted_and_nudged(desktop, daemon, "a hand edit deleting Alex")
    status = run_cli(daemon.env, "promise", "status").stdout
    removal_id = waiting_line(status, 'removing "Alex" from the blocklist').group(1)
    waiting_line(status, "a pause of")

    # A daemon started later keeps the settings in force too.
    assert daemon.stop() == 0
    daemon.start().wait_watching()
    started = [line for line in daemon.log().splitlines() if "watching for" in line]
    assert "blocklist entries (1)" in started[-1], "from its first look, not after a reload"
    still_counted_and_nudged(desktop, daemon, "a restart")

    # Adding applies at once.
    added = run_cli(daemon.env, "block", "add", "Sam", "--match", "Sam Rivers")
    assert added.returncode == 0 and "keeps things" not in added.stdout, added.stderr
    desktop.activate(desktop.open_xterm("Sam Rivers - chat"))
    daemon.wait_for_visit("blocklist", "Sam", min_seconds=1, timeout=30)

    # This week's pass applies the removal now; a second pass is refused, kindly.
    passed = run_cli(daemon.env, "promise", "pass", removal_id)
    assert passed.returncode == 0 and "applies now" in passed.stdout, passed.stderr
    status = run_cli(daemon.env, "promise", "status").stdout
    assert "removing" not in status and "a pause of" in status
    wait_until(
        lambda: "Alex" not in run_cli(daemon.env, "block", "list").stdout,
        30,
        "Alex to leave the settings in force",
    )

    again = run_cli(daemon.env, "promise", "pass", pause_id)
    assert again.returncode == 1, again.stderr
    assert "already used" in again.stdout and "free from" in again.stdout
    assert "a pause of" in run_cli(daemon.env, "promise", "status").stdout

    # Alex's page, in front again, is no longer counted once the daemon has the pass's change.
    desktop.activate(desktop.open_xterm("Alex Doe - again"))

    def alex_not_counted() -> bool:
        status = daemon.status() or {}
        return (
            status.get("in_front") == [] and (status.get("last_sample_at") or 0) > time.time() - 3
        )

    wait_until(alex_not_counted, 30, "Alex's page to be no longer counted")
    assert daemon.process is not None and daemon.process.poll() is None
