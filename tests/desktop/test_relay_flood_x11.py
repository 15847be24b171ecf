"""Another program of the person's floods the browser companion's socket (2,000 connections,
then 5 s of messages as fast as it can, hostile ones among them) while a visit is measured on a
real X11 desktop: the daemon's count of that visit must stay true (within 5 %), and its log must
hold no traceback."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.desktop.rig import Desktop, wait_until
from tests.nudger_process import NudgerDaemon

pytestmark = [pytest.mark.desktop]

CONNECTIONS = 2000
FLOOD_SECONDS = 5

# A separate process, so the flood does not share the test's interpreter.
FLOODER = textwrap.dedent(
    """
    import json, resource, socket, sys, time
    path, count, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(max(soft, count + 256), hard), hard))
    peers = []
    for _ in range(count):
        peer = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        peer.connect(path)
        peer.setblocking(False)
        peers.append(peer)
    state = {"type": "state", "browser_pid": 4242, "browser": "chromium", "focused": True,
             "url": "https://www.instagram.com/someone/", "title": "x", "at": time.time() * 1000}
    lines = [
        json.dumps(state).encode(),
        b"not json",
        b"[" * 20000 + b"]" * 20000,
        b'{"type": "state", "browser_pid": 1e400}',
        b'{"type": "state", "browser_pid": 4242, "at": NaN}',
        b'{"type": "holding", "browser_pid": 4242, "count": 1e400}',
    ]
    batch = b"\\n".join(lines * 20) + b"\\n"
    messages = len(lines) * 20
    sent = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end and peers:
        for peer in list(peers):
            try:
                peer.send(batch)
                sent += messages
            except BlockingIOError:
                pass
            except OSError:
                peers.remove(peer)
                peer.close()
    print(sent, flush=True)
    """
)


def socket_of(daemon: NudgerDaemon) -> str:
    marker = "listening for the browser companion at "
    wait_until(lambda: marker in daemon.log(), 20, "the daemon to listen for browsers")
    [line] = [line for line in daemon.log().splitlines() if marker in line]
    return line.split(marker, 1)[1].strip()


def test_a_flood_on_the_companions_socket_leaves_the_visit_true(
    desktop: Desktop, daemon_factory: Callable[..., NudgerDaemon]
) -> None:
    daemon = daemon_factory(desktop, '[[blocklist]]\nname = "Alex"\nmatch = ["Alex Doe"]\n')
    alex = desktop.open_xterm("Alex Doe - chat")
    notes = desktop.open_xterm("notes.txt")
    desktop.switch_to(notes)
    daemon.start().wait_watching()
    path = socket_of(daemon)
    assert Path(path).exists()

    arrived = desktop.switch_to(alex)
    flooder = subprocess.run(
        [sys.executable, "-c", FLOODER, path, str(CONNECTIONS), str(FLOOD_SECONDS)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    over = time.time()
    assert flooder.returncode == 0, flooder.stderr
    assert int(flooder.stdout) > 10_000, "the flood was a flood"
    # Once it is over, a while longer in front (the daemon samples twice more), then away.
    wait_until(
        lambda: (daemon.status() or {}).get("last_sample_at", 0) > over + 1.5,
        20,
        "samples after the flood",
    )
    left = desktop.switch_to(notes)
    truly = left - arrived
    wait_until(lambda: daemon.seconds_for("blocklist", "Alex") > 0, 20, "the visit to be written")
    assert daemon.stop() == 0

    recorded = daemon.seconds_for("blocklist", "Alex")
    log = daemon.log()
    assert abs(recorded - truly) <= 0.05 * truly, (
        f"recorded {recorded:.2f} s; truly {truly:.2f} s\n{log[-3000:]}"
    )
    assert "Traceback" not in log, log[-5000:]
    assert "refused" in log  # one warning says the crowd was turned away
