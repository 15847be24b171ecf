"""The native-messaging host (a real subprocess, started as browsers start it) and the daemon's
relay (real sockets): the wire formats, privacy of the socket, and what happens when either
side comes and goes."""

from __future__ import annotations

import ast
import contextlib
import json
import math
import os
import re
import resource
import shutil
import socket
import stat
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import psutil
import pytest

from nudger import paths
from nudger.browser import host
from nudger.browser.relay import BrowserRelay
from tests.desktop.rig import wait_until

BACKGROUND_JS = Path(host.__file__).with_name("extension") / "background.js"

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


@pytest.fixture
def short_tmp() -> Iterator[Path]:
    """A folder with a short path (pytest's are long), for sockets at their natural place."""
    folder = Path(tempfile.mkdtemp(prefix="n-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_without_a_runtime_folder_the_socket_is_in_a_folder_of_the_persons_own(
    short_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp_path = short_tmp
    # Never a shared /tmp name (TMPDIR is ignored): under the person's own state folder, so
    # nudgers with their own homes never share a socket.
    shared = tmp_path / "tmp"
    shared.mkdir(mode=0o1777)
    homes = [tmp_path / "one", tmp_path / "two"]
    places = []
    for home in homes:
        monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local/state"))
        env = {"TMPDIR": str(shared), "HOME": str(home)}
        relay = BrowserRelay.start(env)
        relay.close()
        assert relay.path == home / ".local/state/nudger/run/browser.sock"
        assert stat.S_IMODE(relay.path.parent.stat().st_mode) == 0o700
        places.append(relay.path)
    assert places[0] != places[1]
    assert list(shared.iterdir()) == []
    # With a data folder of its own, the socket is beside the data.
    data = tmp_path / "data"
    assert host.socket_path({"NUDGER_DATA_DIR": str(data)}, paths.socket_folder(
        {"NUDGER_DATA_DIR": str(data)}
    )) == data / "run" / "browser.sock"  # fmt: skip
    # The host, which has no platformdirs, finds the folder in its launcher's environment.
    assert host.socket_path({"NUDGER_SOCKET_FOLDER": "/x/run"}) == Path("/x/run/browser.sock")
    assert host.socket_path({}) is None


def test_a_folder_others_may_enter_or_someone_elses_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {"NUDGER_DATA_DIR": str(tmp_path / "data")}
    relay = BrowserRelay.start(env)
    relay.close()
    folder = relay.path.parent
    folder.chmod(0o755)
    assert not host.is_private_folder(folder)
    folder.chmod(0o700)
    assert host.is_private_folder(folder)
    monkeypatch.setattr(host.os, "getuid", lambda: os.geteuid() + 1)
    assert not host.is_private_folder(folder)


def test_a_socket_path_too_long_gives_way_to_a_short_one_of_the_persons_own(
    tmp_path: Path,
) -> None:
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    env = {"NUDGER_DATA_DIR": str(deep), "HOME": str(tmp_path / "home")}
    relay = BrowserRelay.start(env)
    try:
        assert len(str(deep / "run" / "browser.sock")) > 108
        assert relay.path.parent.parent == tmp_path / "home"
        assert relay.path.parent.name.startswith(".nudger-")
        assert stat.S_IMODE(relay.path.parent.stat().st_mode) == 0o700
        # The host finds the same one from what the installer wrote for it.
        assert host.socket_path({**env, "NUDGER_SOCKET_FOLDER": str(deep / "run")}) == relay.path
    finally:
        relay.close()

    # Where nothing fits, one line says so, and nudger watches windows without the companion.
    env["HOME"] = str(deep)
    with pytest.raises(host.NoSocketPlace) as refused:
        BrowserRelay.start(env)
    assert "NUDGER_BROWSER_SOCKET" in str(refused.value)
    assert "\n" not in str(refused.value)


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


def test_the_host_keeps_as_many_pauses_for_the_daemon_as_the_companion_keeps_for_it(
    env: dict[str, str], browser: BrowserSide
) -> None:
    """A day of pauses while nudger is stopped: the companion keeps up to 100 for the host
    (KEPT_AT_MOST in background.js), and the host passes each one on once nudger is back."""
    found = re.search(r"const KEPT_AT_MOST = (\d+);", BACKGROUND_JS.read_text(encoding="utf-8"))
    assert found, "background.js says how many it keeps"
    kept_by_the_companion = int(found.group(1))
    wait_until(lambda: {"type": "nudger_stopped"} in browser.received, 10, "nudger_stopped")
    for n in range(kept_by_the_companion):
        browser.send({"type": "pause", "pause_id": f"p{n}", "url": "https://example.org/x"})
    # No wait needed: having said nudger_stopped, the host tries the daemon again only after
    # _RETRY_SECONDS, so every pause above is held by the host when the relay comes.
    assert host._RETRY_SECONDS >= 3
    relay = BrowserRelay.start(env)
    try:
        pauses: list[Any] = []
        wait_until(
            lambda: pauses.extend(relay.pauses()) or len(pauses) >= kept_by_the_companion,
            15,
            lambda: f"every pause (got {len(pauses)})",
        )
        assert [p.pause_id for p in pauses] == [f"p{n}" for n in range(kept_by_the_companion)]
    finally:
        relay.close()
    assert browser.close() == 0


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


def test_a_two_megabyte_address_is_cut_and_the_companion_goes_on(
    relay: BrowserRelay, browser: BrowserSide
) -> None:
    # A page can make its address as long as the browser allows (2 MB in Chromium).
    long = "https://www.instagram.com/alexdoe/" + "a/" * (1024 * 1024)
    browser.send(state(long))
    taken: list[Any] = []
    wait_until(lambda: taken.extend(relay.take()[1]) or taken, 10, "the cut report")
    [report] = taken
    assert report.url.startswith("https://www.instagram.com/alexdoe/")
    assert len(report.url) <= host.MAX_TEXT and report.url.endswith("/")
    assert browser.process.poll() is None, "the host is still there"

    # Another tab, and the same one again: all still heard, by the same host.
    for url in ("https://example.org/other-tab", long, "https://example.org/back"):
        browser.send(state(url))
    urls: list[str] = []
    wait_until(
        lambda: urls.extend(r.url for r in relay.take()[1]) or len(urls) == 3, 10, "three reports"
    )
    assert urls[0] == "https://example.org/other-tab" and urls[2] == "https://example.org/back"
    assert browser.process.poll() is None


def test_whatever_the_browser_sends_the_host_goes_on(
    relay: BrowserRelay, browser: BrowserSide
) -> None:
    stdin = browser.process.stdin
    assert stdin is not None
    huge = b'{"type": "state", "url": "' + b"x" * (9 * 1024 * 1024) + b'"}'
    deep = b"[" * 200_000 + b"]" * 200_000
    for data in (huge, deep, b"not json", b"\xff\xfe", b"[1]"):
        stdin.write(struct.pack("=I", len(data)) + data)
    stdin.flush()
    browser.send(state("https://example.org/after"))
    taken: list[Any] = []
    wait_until(lambda: taken.extend(relay.take()[1]) or taken, 20, "the report after them")
    assert [r.url for r in taken] == ["https://example.org/after"]
    assert browser.process.poll() is None
    assert browser.close() == 0


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


def test_a_tap_on_the_pause_page_comes_through_as_the_answer_and_time_only(
    relay: BrowserRelay, browser: BrowserSide
) -> None:
    browser.send({"type": "feeling", "feeling": "not one offered"})
    browser.send({"type": "feeling", "feeling": "skip"})
    browser.send(
        {"type": "feeling", "feeling": "lonely", "url": "https://www.instagram.com/alexdoe/"}
    )
    feelings: list[Any] = []
    wait_until(lambda: feelings.extend(relay.feelings()) or len(feelings) >= 1, 10, "the tap")
    assert len(feelings) == 1
    at, feeling = feelings[0]
    assert feeling == "lonely" and abs(at - time.time()) < 60


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


def test_hostile_lines_are_dropped_and_the_connection_goes_on(relay: BrowserRelay) -> None:
    peer = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    peer.connect(str(relay.path))
    hostile = [
        b"[" * 200_000 + b"]" * 200_000,  # RecursionError
        b'{"type": "state", "browser_pid": 1e400, "url": "https://x.org/a"}',  # OverflowError
        b'{"type": "state", "browser_pid": 99, "url": "https://x.org/nan", "at": NaN}',
        b'{"type": "state", "browser_pid": 99, "url": "https://x.org/inf", "at": 1e400}',
        b'{"type": "state", "browser_pid": 99, "url": "https://x.org/big", "at": 1' + b"0" * 400
        + b"}",
        b'{"type": ["state"], "browser_pid": 99}',
        b'{"type": "state", "browser_pid": ' + b"9" * 5000 + b"}",
    ]  # fmt: skip
    peer.sendall(b"\n".join(hostile) + b"\n")
    good = {"type": "state", "browser_pid": 99, "browser": "firefox-esr", "url": "https://x.org/"}
    peer.sendall(json.dumps(good).encode() + b"\n")
    taken: list[Any] = []
    wait_until(lambda: taken.extend(relay.take()[1]) or any(r.url == good["url"] for r in taken),
               10, "the good report after the hostile ones")  # fmt: skip
    # No NaN or infinite time ever reaches the daemon: such a line is dropped whole.
    assert [r.url for r in taken] == ["https://x.org/big", "https://x.org/"]
    assert all(math.isfinite(r.at) and abs(r.at - time.time()) < 60 for r in taken)
    peer.close()


def test_two_thousand_connections_keep_no_browser_out(
    relay: BrowserRelay, env: dict[str, str]
) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(max(soft, 8192), hard), hard))
    crowd: list[socket.socket] = []
    try:
        for _ in range(2000):
            peer = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            crowd.append(peer)
            peer.connect(str(relay.path))
        # A browser starts its host while they are all still there.
        browser = BrowserSide(env)
        try:
            browser.send(state("https://www.instagram.com/alexdoe/"))
            taken: list[Any] = []
            wait_until(lambda: taken.extend(relay.take()[1]) or taken, 20, "the host's report")
            assert taken[0].url == "https://www.instagram.com/alexdoe/"
            # The crowd was refused cleanly: closed, not left hanging.
            refused = 0
            for peer in crowd:
                peer.settimeout(0.01)
                with contextlib.suppress(TimeoutError, ConnectionResetError):
                    refused += peer.recv(1) == b""
            assert refused >= 2000 - 64
        finally:
            browser.close()
    finally:
        for peer in crowd:
            peer.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_a_flood_on_one_connection_is_read_at_its_own_pace(relay: BrowserRelay) -> None:
    flooder = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    flooder.connect(str(relay.path))
    flooder.settimeout(0.5)
    line = json.dumps(state("https://x.org/flood", browser_pid=7)).encode() + b"\n"
    flooding = threading.Event()
    flooding.set()
    sent = [0]

    def flood() -> None:
        with contextlib.suppress(OSError):
            while flooding.is_set():
                with contextlib.suppress(TimeoutError):
                    flooder.sendall(line * 100)
                    sent[0] += 100

    thread = threading.Thread(target=flood, daemon=True)
    thread.start()
    try:
        # A host that behaves is heard at once all the same.
        host_peer = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        host_peer.connect(str(relay.path))
        good = json.dumps(state("https://x.org/host", browser_pid=8)).encode() + b"\n"
        began = time.monotonic()
        taken: list[Any] = []
        host_peer.sendall(good)
        wait_until(lambda: taken.extend(relay.take()[1]) or any(r.browser_pid == 8 for r in taken),
                   5, "the host's report during the flood")  # fmt: skip
        while time.monotonic() - began < 2.0:
            taken.extend(relay.take()[1])
            time.sleep(0.05)
        flooded = sum(r.browser_pid == 7 for r in taken)
        # At most its burst and its share per second: the rest waits in its own socket.
        assert flooded <= 200 + 50 * (time.monotonic() - began + 0.5), (flooded, sent[0])
        assert sent[0] > flooded
        host_peer.close()
    finally:
        flooding.clear()
        flooder.close()
        thread.join(timeout=5)


def test_the_daemon_is_woken_when_a_browser_speaks_and_when_it_goes(
    relay: BrowserRelay, browser: BrowserSide
) -> None:
    """News from a browser wakes the daemon at once (its sampler), as a focus event does:
    otherwise a pause or a connection would wait for the next confirming sample (10 s)."""
    woken = threading.Event()
    relay.on_news = woken.set
    browser.send(state("https://www.instagram.com/alexdoe/"))
    assert woken.wait(10), "not woken by the report"
    woken.clear()
    assert browser.close() == 0
    assert woken.wait(10), "not woken by the browser going"
    assert not relay.contacts()[0].connected  # told after the contact ended, not before


def test_lines_that_arrive_together_wake_the_daemon_once(relay: BrowserRelay) -> None:
    """A host's lines read in one go (its hello, the tab in front, what it holds back) are one
    piece of news: the daemon reads them all at once, so one wake-up, not one per line."""
    wakes: list[float] = []
    relay.on_news = lambda: wakes.append(time.monotonic())
    peer = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    peer.connect(str(relay.path))
    lines = [
        {"type": "hello", "browser_pid": 42, "browser": "chromium", "version": "0.1.0"},
        state("https://www.instagram.com/alexdoe/", browser_pid=42),
        {"type": "holding", "browser_pid": 42, "browser": "chromium", "count": 1},
    ]
    peer.sendall(b"".join(json.dumps(line).encode() + b"\n" for line in lines))
    # The wake-up comes after the last line is taken in.
    wait_until(lambda: wakes and relay.contacts()[0].holding == 1, 10, "the lines and a wake-up")
    assert len(wakes) == 1
    peer.close()
