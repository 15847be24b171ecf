"""The daemon's end of the browser companion on Windows: a named pipe only this user can open.

Python on Windows has no Unix-domain sockets, so the hosts reach the daemon over a named pipe,
`\\\\.\\pipe\\nudger-browser-<checksum>` (host.pipe_name). Its security descriptor is explicit
(SDDL `O:<you>G:<you>D:P(A;;GA;;;<you>)`): a protected access list that lets the user's own SID
in, and no one else: not other users, not Administrators, not SYSTEM, not the inherited
defaults a pipe would otherwise get. Remote clients are refused (PIPE_REJECT_REMOTE_CLIENTS),
and the first instance is created with FILE_FLAG_FIRST_PIPE_INSTANCE, so that a pipe of the same
name made first by some other program makes the daemon fail loudly rather than share it. The
host, for its part, speaks only to a pipe whose owner is its own user (host.open_pipe), so a
pipe of that name made by someone else while nudger is not running never hears a page.

Each connected pipe is bridged to one end of a local socket pair, and BrowserRelay serves the
other end as it serves a Unix-socket connection: the same lines, the same limits (line length,
rate, unsent bytes, number of connections), written once in relay.py. The pipe's instances are
capped (MAX_INSTANCES), so a program that only connects cannot make the daemon start threads
without end.

The Windows calls go through `PipeSystem`, so the decisions are tested on Linux through a fake
(tests/browser/test_windows_pipe.py); the real one uses _winapi (overlapped I/O, as
multiprocessing does) and ctypes for the security descriptor, type-checked with mypy's win32
platform.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import sys
import threading
from collections import deque
from typing import Any, Protocol

from nudger.core.translate import N_

log = logging.getLogger(__name__)

PIPE_ACCESS_DUPLEX = 0x00000003
FILE_FLAG_FIRST_PIPE_INSTANCE = 0x00080000
FILE_FLAG_OVERLAPPED = 0x40000000
PIPE_TYPE_BYTE = 0x00000000
PIPE_READMODE_BYTE = 0x00000000
PIPE_WAIT = 0x00000000
PIPE_REJECT_REMOTE_CLIENTS = 0x00000008
# More than BrowserRelay takes at once (32): the extra ones are refused there, with its message.
MAX_INSTANCES = 40
BUFFER = 65536
OPEN_MODE = PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED
PIPE_MODE = PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS


def owner_only_sddl(sid: str) -> str:
    """The pipe's security descriptor: owned by the user, and a protected access list (P: no
    inherited entries) with one entry, all access (GA) for the user's SID."""
    return f"O:{sid}G:{sid}D:P(A;;GA;;;{sid})"


class PipeSystem(Protocol):
    """The few Windows calls a pipe server makes (handles are ints)."""

    def create(self, name: str, open_mode: int, pipe_mode: int, max_instances: int) -> int: ...
    def wait_for_client(self, handle: int) -> None: ...
    def read(self, handle: int, size: int) -> bytes: ...  # b"": the client has gone
    def write(self, handle: int, data: bytes) -> None: ...
    def close(self, handle: int) -> None: ...
    def poke(self, name: str) -> None: ...  # connect once as a client: ends a wait_for_client


class PipeListener:
    """Looks like a listening socket to BrowserRelay: `accept()` gives the next bridged
    connection, and `fileno()` is readable when one is waiting."""

    def __init__(self, name: str, system: PipeSystem) -> None:
        self.name = name
        self._system = system
        self._ready_read, self._ready_write = socket.socketpair()
        self._waiting: deque[socket.socket] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        # The first instance now, so that a name already taken fails here, in the daemon's start.
        self._next = system.create(
            name, OPEN_MODE | FILE_FLAG_FIRST_PIPE_INSTANCE, PIPE_MODE, MAX_INSTANCES
        )
        self._thread = threading.Thread(target=self._serve, name="nudger-pipe", daemon=True)
        self._thread.start()

    # -- as a listening socket -----------------------------------------------------------------

    def fileno(self) -> int:
        return self._ready_read.fileno()

    def setblocking(self, flag: bool) -> None:
        self._ready_read.setblocking(flag)

    def accept(self) -> tuple[socket.socket, Any]:
        with self._lock:
            if not self._waiting:
                raise BlockingIOError("no pipe client waiting")
            connection = self._waiting.popleft()
        with contextlib.suppress(OSError):
            self._ready_read.recv(1)
        return connection, self.name

    def close(self) -> None:
        if self._stopping.is_set():
            return
        self._stopping.set()
        with contextlib.suppress(OSError):
            self._system.poke(self.name)  # ends the wait for the next client
        self._thread.join(timeout=2.0)
        with self._lock:
            waiting = list(self._waiting)
            self._waiting.clear()
        for end in (*waiting, self._ready_read, self._ready_write):
            with contextlib.suppress(OSError):
                end.close()

    # -- the pipe's side -------------------------------------------------------------------------

    def _serve(self) -> None:
        handle: int | None = self._next
        while not self._stopping.is_set():
            try:
                if handle is None:
                    handle = self._system.create(self.name, OPEN_MODE, PIPE_MODE, MAX_INSTANCES)
                self._system.wait_for_client(handle)
            except OSError:
                # All instances busy (or the pipe is closing): wait for one to go.
                if handle is not None:
                    with contextlib.suppress(OSError):
                        self._system.close(handle)
                    handle = None
                self._stopping.wait(0.5)
                continue
            if self._stopping.is_set():
                break
            self._bridge(handle)
            handle = None
        if handle is not None:
            with contextlib.suppress(OSError):
                self._system.close(handle)

    def _bridge(self, handle: int) -> None:
        ours, relays = socket.socketpair()
        closed = threading.Event()

        def finish() -> None:
            if not closed.is_set():
                closed.set()
                with contextlib.suppress(OSError):
                    ours.shutdown(socket.SHUT_RDWR)
                with contextlib.suppress(OSError):
                    self._system.close(handle)

        def from_pipe() -> None:
            try:
                while data := self._system.read(handle, BUFFER):
                    ours.sendall(data)  # blocks while the relay reads no more: back-pressure
            except OSError:
                pass
            finish()

        def to_pipe() -> None:
            try:
                while data := ours.recv(BUFFER):
                    self._system.write(handle, data)
            except OSError:
                pass
            finish()
            with contextlib.suppress(OSError):
                ours.close()

        for pump in (from_pipe, to_pipe):
            threading.Thread(target=pump, name="nudger-pipe-bridge", daemon=True).start()
        with self._lock:
            self._waiting.append(relays)
        try:
            self._ready_write.send(b"\0")
        except OSError:
            log.warning(N_("the browser companion's pipe could not wake the relay"))


def listen(name: str, system: PipeSystem | None = None) -> PipeListener:
    """The daemon's pipe listener; raises OSError when the pipe cannot be made (its name is
    taken by another program)."""
    return PipeListener(name, system if system is not None else win32_pipes())


if sys.platform == "win32":
    import _winapi
    import ctypes
    from ctypes import wintypes

    from nudger.browser.host import user_sid

    _ERROR_PIPE_CONNECTED = 535
    _GENERIC_READ_WRITE = 0x80000000 | 0x40000000
    _OPEN_EXISTING = 3
    _SDDL_REVISION_1 = 1

    class _SecurityAttributes(ctypes.Structure):
        _fields_ = [
            ("nLength", wintypes.DWORD),
            ("lpSecurityDescriptor", wintypes.LPVOID),
            ("bInheritHandle", wintypes.BOOL),
        ]

    def _owner_only_attributes() -> _SecurityAttributes:
        advapi32 = ctypes.WinDLL("advapi32", use_last_error=True)
        descriptor = ctypes.c_void_p()
        if not advapi32.ConvertStringSecurityDescriptorToSecurityDescriptorW(
            owner_only_sddl(user_sid()), _SDDL_REVISION_1, ctypes.byref(descriptor), None
        ):
            raise ctypes.WinError(ctypes.get_last_error())
        # Kept for the daemon's life (never LocalFree'd): every instance is made with it.
        attributes = _SecurityAttributes()
        attributes.nLength = ctypes.sizeof(_SecurityAttributes)
        attributes.lpSecurityDescriptor = descriptor.value
        attributes.bInheritHandle = False
        return attributes

    class _Win32Pipes:
        def __init__(self) -> None:
            self._attributes = _owner_only_attributes()

        def create(self, name: str, open_mode: int, pipe_mode: int, max_instances: int) -> int:
            return _winapi.CreateNamedPipe(
                name,
                open_mode,
                pipe_mode,
                max_instances,
                BUFFER,
                BUFFER,
                0,
                ctypes.addressof(self._attributes),
            )

        def wait_for_client(self, handle: int) -> None:
            overlapped = _winapi.ConnectNamedPipe(handle, overlapped=True)
            try:
                overlapped.GetOverlappedResult(True)
            except OSError as error:
                if getattr(error, "winerror", None) != _ERROR_PIPE_CONNECTED:
                    raise

        def read(self, handle: int, size: int) -> bytes:
            overlapped, _ = _winapi.ReadFile(handle, size, overlapped=True)
            try:
                overlapped.GetOverlappedResult(True)
            except BrokenPipeError:
                return b""
            return bytes(overlapped.getbuffer() or b"")

        def write(self, handle: int, data: bytes) -> None:
            overlapped, _ = _winapi.WriteFile(handle, data, overlapped=True)
            overlapped.GetOverlappedResult(True)

        def close(self, handle: int) -> None:
            _winapi.CloseHandle(handle)

        def poke(self, name: str) -> None:
            handle = _winapi.CreateFile(name, _GENERIC_READ_WRITE, 0, 0, _OPEN_EXISTING, 0, 0)
            _winapi.CloseHandle(handle)

    def win32_pipes() -> PipeSystem:
        return _Win32Pipes()

else:

    def win32_pipes() -> PipeSystem:
        raise OSError("named pipes of this kind exist only on Windows")
