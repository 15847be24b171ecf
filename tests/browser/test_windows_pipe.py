"""Windows: the host reaches the daemon over a named pipe only the same user can open
(nudger/browser/winpipe.py, host.open_pipe), with the same lines and limits as the Unix socket.

Named pipes cannot be made here, so these tests run through a fake of the Windows calls
(FakePipes: CreateNamedPipe, ConnectNamedPipe, ReadFile, WriteFile, CloseHandle, and CreateFile
for the client), the OS boundary; everything above it (the listener, its bridges, the daemon's
relay and the host's relay) is nudger's real code. The Windows calls themselves are type-checked
with mypy's win32 platform (scripts/test)."""

from __future__ import annotations

import io
import json
import struct
import threading
from collections import deque
from collections.abc import Iterator
from typing import Any

import pytest

from nudger.browser import host, winpipe
from nudger.browser.relay import BrowserRelay
from tests.desktop.rig import wait_until

SID = "S-1-5-21-3623811015-3361044348-30300820-1013"


class FakePipe:
    """One instance of a pipe: what each side has written and not yet read, and who closed."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.to_server = bytearray()
        self.to_client = bytearray()
        self.client = False
        self.server_closed = False
        self.client_closed = False


class FakeClient:
    """The host's end, as CreateFile on the pipe's name gives it."""

    def __init__(self, pipe: FakePipe) -> None:
        self.pipe = pipe

    def sendall(self, data: bytes, /) -> None:
        with self.pipe.cond:
            if self.pipe.server_closed:
                raise BrokenPipeError(32, "The pipe is being closed")
            self.pipe.to_server += data
            self.pipe.cond.notify_all()

    def recv(self, size: int, /) -> bytes:
        pipe = self.pipe
        with pipe.cond:
            pipe.cond.wait_for(lambda: pipe.to_client or pipe.server_closed or pipe.client_closed)
            data = bytes(pipe.to_client[:size])
            del pipe.to_client[:size]
            return data

    def close(self) -> None:
        with self.pipe.cond:
            self.pipe.client_closed = True
            self.pipe.cond.notify_all()


class FakePipes:
    """The Windows calls winpipe.PipeSystem names, kept in memory."""

    def __init__(self, taken: frozenset[str] = frozenset()) -> None:
        self.taken = taken  # names another program already made
        self.created: list[tuple[str, int, int, int]] = []
        self.instances: dict[int, FakePipe] = {}
        self.listening: deque[int] = deque()
        self.cond = threading.Condition()

    def create(self, name: str, open_mode: int, pipe_mode: int, max_instances: int) -> int:
        with self.cond:
            self.created.append((name, open_mode, pipe_mode, max_instances))
            if open_mode & winpipe.FILE_FLAG_FIRST_PIPE_INSTANCE and name in self.taken:
                raise PermissionError(13, "Access is denied")
            live = [p for p in self.instances.values() if not p.server_closed]
            if len(live) >= max_instances:
                raise OSError(231, "All pipe instances are busy")
            handle = len(self.instances) + 1
            self.instances[handle] = FakePipe()
            return handle

    def wait_for_client(self, handle: int) -> None:
        pipe = self.instances[handle]
        with self.cond:
            self.listening.append(handle)
            self.cond.notify_all()
        with pipe.cond:
            pipe.cond.wait_for(lambda: pipe.client or pipe.server_closed)

    def read(self, handle: int, size: int) -> bytes:
        pipe = self.instances[handle]
        with pipe.cond:
            pipe.cond.wait_for(lambda: pipe.to_server or pipe.client_closed or pipe.server_closed)
            data = bytes(pipe.to_server[:size])
            del pipe.to_server[:size]
            return data

    def write(self, handle: int, data: bytes) -> None:
        pipe = self.instances[handle]
        with pipe.cond:
            if pipe.client_closed:
                raise BrokenPipeError(232, "The pipe is being closed")
            pipe.to_client += data
            pipe.cond.notify_all()

    def close(self, handle: int) -> None:
        pipe = self.instances[handle]
        with pipe.cond:
            pipe.server_closed = True
            pipe.cond.notify_all()

    def poke(self, name: str) -> None:
        self.connect(name, timeout=2).close()

    def connect(self, name: str, timeout: float = 10) -> FakeClient:
        """CreateFile on the pipe's name: the next instance waiting for a client."""
        with self.cond:
            if not self.cond.wait_for(lambda: self.listening, timeout):
                raise FileNotFoundError(2, "The system cannot find the file specified")
            handle = self.listening.popleft()
        pipe = self.instances[handle]
        with pipe.cond:
            pipe.client = True
            pipe.cond.notify_all()
        return FakeClient(pipe)


@pytest.fixture
def env(tmp_path: Any) -> dict[str, str]:
    return {"USERNAME": "sam", "NUDGER_DATA_DIR": str(tmp_path / "data")}


@pytest.fixture
def pipes() -> FakePipes:
    return FakePipes()


@pytest.fixture
def relay(env: dict[str, str], pipes: FakePipes) -> Iterator[BrowserRelay]:
    started = BrowserRelay.start_pipe(env, pipes)
    yield started
    started.close()


def test_the_pipe_is_the_user_s_alone_and_local_only_through_a_fake(
    relay: BrowserRelay, pipes: FakePipes, env: dict[str, str]
) -> None:
    # Only the user's own SID may open it: a protected list (no inherited entries), one entry.
    sddl = winpipe.owner_only_sddl(SID)
    assert sddl == f"O:{SID}G:{SID}D:P(A;;GA;;;{SID})"
    assert sddl.count("(") == 1 and "D:P(" in sddl
    name, open_mode, pipe_mode, max_instances = pipes.created[0]
    assert name == host.pipe_name(env) == str(relay.path)
    assert name.startswith("\\\\.\\pipe\\nudger-browser-")
    assert open_mode & winpipe.FILE_FLAG_FIRST_PIPE_INSTANCE  # a name taken first: no sharing
    assert open_mode & winpipe.FILE_FLAG_OVERLAPPED
    assert pipe_mode & winpipe.PIPE_REJECT_REMOTE_CLIENTS  # never over the network
    assert max_instances == winpipe.MAX_INSTANCES
    # One pipe per user and data folder, as one socket.
    assert host.pipe_name({**env, "USERNAME": "alex"}) != name
    assert host.pipe_name({**env, "NUDGER_DATA_DIR": "C:\\other"}) != name


def test_a_pipe_name_another_program_took_first_fails_the_start_through_a_fake(
    env: dict[str, str],
) -> None:
    squatted = FakePipes(taken=frozenset({host.pipe_name(env)}))
    with pytest.raises(OSError):
        BrowserRelay.start_pipe(env, squatted)


def native(message: dict[str, Any]) -> bytes:
    data = json.dumps(message).encode()
    return struct.pack("=I", len(data)) + data


class BrowserEnd(io.RawIOBase):
    """What the host writes to the browser, kept to be read back as native messages."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.lock = threading.Lock()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        with self.lock:
            self.data += bytes(data)
        return len(data)

    def messages(self) -> list[dict[str, Any]]:
        with self.lock:
            stream = io.BytesIO(bytes(self.data))
        found = []
        while (message := host.read_message(stream)) is not None:
            found.append(message)
        return found


def test_the_host_and_the_daemon_speak_over_the_pipe_through_a_fake(
    relay: BrowserRelay, pipes: FakePipes, env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The host's real relay, as on Windows (no Unix sockets; CreateFile on the pipe), and the
    daemon's real relay: a tab's report reaches the daemon, the daemon's rules reach the
    browser."""
    monkeypatch.setattr(host, "LOCAL_SOCKET", None)
    opened: list[str] = []

    def open_pipe(name: str) -> FakeClient:
        opened.append(name)
        return pipes.connect(name)

    monkeypatch.setattr(host, "open_pipe", open_pipe)
    browser = BrowserEnd()
    side = host.Relay(browser, {**env, "NUDGER_BROWSER": "msedge"})  # type: ignore[arg-type]
    threading.Thread(target=side.run_daemon_side, daemon=True).start()
    try:
        side.from_browser({"type": "hello", "version": "0.1.0"})
        side.from_browser({"type": "state", "focused": True, "url": "https://x.org/a",
                           "title": "A", "incognito": False, "idle_since": None, "at": 1})  # fmt: skip
        taken: list[Any] = []
        wait_until(lambda: taken.extend(relay.take()[1]) or taken, 20, "the report")
        assert taken[0].url == "https://x.org/a"
        assert opened == [host.pipe_name(env)]
        wait_until(relay.contacts, 20, "the contact")
        assert relay.contacts()[0].browser == "msedge"  # named by the Flatpak-style wrapper

        relay.instruct({"type": "pause_rules", "rules": [], "pause_seconds": 5})
        wait_until(
            lambda: any(m.get("type") == "pause_rules" for m in browser.messages()),
            20,
            "the rules at the browser",
        )
    finally:
        side.stop()


def test_the_pipe_keeps_the_socket_s_limits_through_a_fake(
    relay: BrowserRelay, pipes: FakePipes
) -> None:
    """A line longer than a host ever sends closes that connection (as on the socket), and the
    next connection is served."""
    name = str(relay.path)
    flood = pipes.connect(name)
    flood.sendall(b"x" * (1024 * 1024 + 10))
    wait_until(lambda: flood.pipe.server_closed, 20, "the flooding connection closed")

    good = pipes.connect(name)
    good.sendall(b'{"type": "state", "browser_pid": 99, "url": "https://x.org/b"}\n')
    taken: list[Any] = []
    wait_until(lambda: taken.extend(relay.take()[1]) or taken, 20, "the good report")
    assert [r.url for r in taken] == ["https://x.org/b"]
    good.close()
