"""The native-messaging host (a real subprocess, started as browsers start it) and the daemon's
relay (real sockets): the wire formats, privacy of the socket, and what happens when either
side comes and goes."""

from __future__ import annotations

import ast
import contextlib
import json
import os
import socket
import stat
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import psutil
import pytest

from nudger.browser import host
from nudger.browser.relay import BrowserRelay
from tests.desktop.rig import wait_until

HOST_SCRIPT = Path(host.__file__)


def frame(message: dict[str, Any]) -> bytes:
    data = json.dumps(message).encode()
    return struct.pack("=I", len(data)) + data


class BrowserSide:
    """What a browser does with a host: starts it with pipes and speaks native messaging."""

    def __init__(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-S", str(HOST_SCRIPT), "manifest.json", "companion@x"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        self.received: list[dict[str, Any]] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def send(self, message: dict[str, Any]) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(frame(message))
        stdin.flush()

    def close(self) -> int:
        stdin = self.process.stdin
        assert stdin is not None
        stdin.close()
        return self.process.wait(timeout=10)

    def _read(self) -> None:
        stdout: IO[bytes] | None = self.process.stdout
        assert stdout is not None
        while True:
            header = stdout.read(4)
            if len(header) < 4:
                return
            (length,) = struct.unpack("=I", header)
            self.received.append(json.loads(stdout.read(length)))


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    return {"XDG_RUNTIME_DIR": str(runtime), "NUDGER_DATA_DIR": str(tmp_path / "data")}


@pytest.fixture
def relay(env: dict[str, str]) -> Iterator[BrowserRelay]:
    started = BrowserRelay.start(env)
    yield started
    started.close()


@pytest.fixture
def browser(env: dict[str, str]) -> Iterator[BrowserSide]:
    side = BrowserSide(env)
    yield side
    if side.process.poll() is None:
        side.close()


def state(url: str, **extra: Any) -> dict[str, Any]:
    return {"type": "state", "focused": True, "url": url, "title": "Instagram",
            "at": time.time() * 1000, **extra}  # fmt: skip


def test_the_socket_is_private_and_per_data_folder(
    env: dict[str, str], relay: BrowserRelay
) -> None:
    assert relay.path.parent == Path(env["XDG_RUNTIME_DIR"]) / "nudger"
    assert stat.S_IMODE(relay.path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(relay.path.stat().st_mode) == 0o600
    other = host.socket_path({**env, "NUDGER_DATA_DIR": "/somewhere/else"})
    assert other.parent == relay.path.parent and other != relay.path


def test_without_a_runtime_folder_the_socket_goes_in_a_private_temp_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = host.socket_path({"TMPDIR": str(tmp_path)})
    assert path.parent == tmp_path / f"nudger-{os.getuid()}"
    relay = BrowserRelay.start({"TMPDIR": str(tmp_path)})
    relay.close()
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    # A folder others may enter, or someone else's, is refused: in a shared /tmp, someone else
    # could have made it, to listen. (Another user's folder: the uid is faked, as no second
    # account can be assumed here.)
    path.parent.chmod(0o755)
    assert not host.is_private_folder(path.parent)
    path.parent.chmod(0o700)
    assert host.is_private_folder(path.parent)
    monkeypatch.setattr(host.os, "getuid", lambda: os.geteuid() + 1)
    assert not host.is_private_folder(path.parent)
    with pytest.raises(OSError, match="belongs to someone else"):
        BrowserRelay.start({"TMPDIR": str(tmp_path)}).close()


def test_a_report_reaches_the_daemon_with_the_browsers_process(
    relay: BrowserRelay, browser: BrowserSide
) -> None:
    browser.send({"type": "hello", "version": "0.1.0"})
    browser.send(state("https://www.instagram.com/alexdoe/", incognito=True))
    taken: list[Any] = []
    wait_until(lambda: taken.extend(relay.take()[1]) or taken, 10, "the report")
    report = taken[0]
    assert report.url == "https://www.instagram.com/alexdoe/"
    assert report.browser_pid == os.getpid()  # the host's parent: the browser
    assert report.browser == psutil.Process().name()[:15]
    assert report.focused and report.incognito
    assert abs(report.at - time.time()) < 5
    contacts = relay.contacts()
    assert [(c.browser_pid, c.connected) for c in contacts] == [(os.getpid(), True)]


def test_what_the_daemon_says_reaches_the_browser_now_and_after_it_connects(
    relay: BrowserRelay, env: dict[str, str]
) -> None:
    rules = {
        "type": "pause_rules",
        "pause_seconds": 5,
        "rules": [{"kind": "blocklist", "regex": "x"}],
    }
    relay.instruct(rules)  # before any browser is there
    first = BrowserSide(env)
    wait_until(lambda: rules in first.received, 10, "the rules, on connecting")
    changed = {**rules, "rules": []}
    relay.instruct(changed)
    wait_until(lambda: changed in first.received, 10, "the changed rules")
    assert first.close() == 0


def test_the_host_waits_quietly_for_the_daemon_and_tells_it_the_latest_on_arrival(
    env: dict[str, str], browser: BrowserSide
) -> None:
    wait_until(lambda: {"type": "nudger_stopped"} in browser.received, 10, "nudger_stopped")
    browser.send(state("https://example.org/one"))
    browser.send(state("https://example.org/two"))  # dropped, but remembered as the latest
    browser.send({"type": "pause", "pause_id": "p1", "url": "https://example.org/x"})
    browser.send({"type": "pause_answer", "pause_id": "p1", "url": "u", "answer": "away"})
    time.sleep(0.3)
    assert browser.process.poll() is None
    relay = BrowserRelay.start(env)
    try:
        taken: list[Any] = []
        wait_until(lambda: taken.extend(relay.take()[1]) or taken, 15, "the latest report")
        assert [r.url for r in taken] == ["https://example.org/two"]
        # A pause and its answer are kept for the daemon, in their order.
        assert [(p.pause_id, p.answer) for p in relay.pauses()] == [("p1", None), ("p1", "away")]
    finally:
        relay.close()
    assert browser.process.stderr is not None
    assert browser.close() == 0
    assert browser.process.stderr.read() == b""  # nothing said, nothing logged


def test_the_host_reconnects_after_the_daemon_restarts(
    env: dict[str, str], relay: BrowserRelay, browser: BrowserSide
) -> None:
    browser.send(state("https://example.org/before"))
    wait_until(lambda: relay.take()[1], 10, "the first report")
    relay.close()
    wait_until(lambda: {"type": "nudger_stopped"} in browser.received, 10, "nudger_stopped")
    assert browser.process.poll() is None
    second = BrowserRelay.start(env)
    try:
        second.instruct({"type": "pause_rules", "rules": []})
        wait_until(second.contacts, 15, "the host to connect again")
        browser.send(state("https://example.org/after"))
        urls: list[str] = []
        wait_until(
            lambda: (
                urls.extend(r.url for r in second.take()[1]) or "https://example.org/after" in urls
            ),
            10,
            "a report to the new daemon",
        )
    finally:
        second.close()


def test_a_browser_that_closes_is_no_longer_in_front(
    relay: BrowserRelay, browser: BrowserSide
) -> None:
    browser.send(state("https://www.instagram.com/alexdoe/"))
    wait_until(lambda: relay.take()[1], 10, "the report")
    assert browser.close() == 0  # the browser closed the port: the host's work is done
    wait_until(lambda: not relay.contacts()[0].connected, 10, "the contact to end")
    before, reports = relay.take()
    assert before == {} and reports == []


def test_the_host_opens_no_network_socket(relay: BrowserRelay, browser: BrowserSide) -> None:
    browser.send(state("https://example.org/"))
    wait_until(relay.contacts, 10, "the host to connect")
    process = psutil.Process(browser.process.pid)
    assert process.net_connections(kind="inet") == []
    assert len(process.net_connections(kind="unix")) == 1


def test_a_message_too_big_for_native_messaging_ends_the_host(browser: BrowserSide) -> None:
    stdin = browser.process.stdin
    assert stdin is not None
    stdin.write(struct.pack("=I", 64 * 1024 * 1024))
    stdin.flush()
    assert browser.process.wait(timeout=10) == 1


def test_the_relay_ignores_what_is_not_a_hosts_message(relay: BrowserRelay) -> None:
    peer = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    peer.connect(str(relay.path))
    peer.sendall(b'not json\n[1,2]\n{"type": "state"}\n')
    good = {"type": "state", "browser_pid": 99, "browser": "firefox-esr", "url": "https://x.org/"}
    peer.sendall(json.dumps(good).encode() + b"\n")
    taken: list[Any] = []
    wait_until(lambda: taken.extend(relay.take()[1]) or taken, 10, "the good report")
    assert [(r.browser_pid, r.url) for r in taken] == [(99, "https://x.org/")]
    # A line that never ends is not a host: the relay hangs up rather than keep it.
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        peer.sendall(b"x" * (2 * 1024 * 1024))
    wait_until(lambda: not any(c.connected for c in relay.contacts()), 10, "the hang-up")
    peer.close()


def test_pauses_and_their_answers_come_through(relay: BrowserRelay, browser: BrowserSide) -> None:
    browser.send({"type": "pause", "pause_id": "p1", "url": "https://www.instagram.com/alexdoe/"})
    browser.send(
        {
            "type": "pause_answer",
            "pause_id": "p1",
            "url": "https://www.instagram.com/alexdoe/",
            "answer": "go_on",
        }
    )
    browser.send({"type": "pause_answer", "pause_id": "p2", "url": "u", "answer": "anything"})
    pauses: list[Any] = []
    wait_until(lambda: pauses.extend(relay.pauses()) or len(pauses) == 3, 10, "three pauses")
    assert [(p.pause_id, p.answer) for p in pauses] == [
        ("p1", None),
        ("p1", "go_on"),
        ("p2", "away"),
    ]


def test_the_host_needs_nothing_but_the_standard_library() -> None:
    tree = ast.parse(HOST_SCRIPT.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            assert name.split(".")[0] in sys.stdlib_module_names or name == "__future__", name
