"""nudger's native-messaging host: the small program a browser starts for nudger's extension.

It relays, and does nothing else. Messages from the extension (the active tab, focus, idle, a
pause and its answer) go to the running daemon over a private local socket; messages from the
daemon (which addresses to pause before) go back to the extension. It opens no network socket,
keeps nothing, and logs nothing: an address that matches no rule must not be written anywhere.

When the daemon is not running, messages are dropped quietly (the newest report of the active
tab is kept in memory, so the daemon learns it as soon as it is back), and the connection is
tried again every few seconds.

Standard library only, and started with `python -I -S`: it loads almost nothing (tens of
milliseconds, a few MB) each time a browser starts.

The wire formats:
- browser <-> host: native messaging, a 32-bit length in the machine's byte order, then UTF-8
  JSON (at most 1 MB towards the browser);
- host <-> daemon: one JSON object per line.
"""

from __future__ import annotations

import binascii
import contextlib
import json
import os
import select
import socket
import struct
import sys
import threading
from collections import deque
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO

NAME = "app.nudger.companion"
_LENGTH = struct.Struct("=I")
_MAX_MESSAGE = 1024 * 1024
_RETRY_SECONDS = 3.0
# Unix-domain sockets: Linux and macOS. Python on Windows has none, and the user-only named pipe
# that would take their place there is not built yet: on Windows the host finds no daemon.
LOCAL_SOCKET: int | None = getattr(socket, "AF_UNIX", None)
_KEPT_WHILE_AWAY = frozenset({"pause", "pause_answer", "holding"})
_UNSENT_KEPT = 32


def socket_path(env: Mapping[str, str] | None = None) -> Path:
    """Where the daemon listens for hosts: in the user's runtime folder (private to them), one
    socket per data folder, so that two nudgers with their own data never cross."""
    env = os.environ if env is None else env
    explicit = env.get("NUDGER_BROWSER_SOCKET")
    if explicit:
        return Path(explicit)
    runtime = env.get("XDG_RUNTIME_DIR")
    folder = Path(runtime) / "nudger" if runtime and Path(runtime).is_dir() else _private_temp(env)
    data = env.get("NUDGER_DATA_DIR")
    name = "browser.sock"
    if data:
        # A checksum, not a hash: hashlib would load OpenSSL into the daemon and every host.
        name = f"browser-{binascii.crc32(data.encode()):08x}.sock"
    return folder / name


def _private_temp(env: Mapping[str, str]) -> Path:
    # Not tempfile.gettempdir(): tempfile imports random and hashlib, which the host can spare.
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return Path(env.get("TMPDIR") or "/tmp") / f"nudger-{uid}"  # noqa: S108 - checked as ours


def is_private_folder(folder: Path) -> bool:
    """The folder is the user's own and nobody else may enter it. A host speaks only to a
    socket in such a folder: in a shared /tmp, someone else could have made it to listen."""
    if not hasattr(os, "getuid"):
        return True
    try:
        info = folder.lstat()
    except OSError:
        return False
    return info.st_uid == os.getuid() and not info.st_mode & 0o077 and folder.is_dir()


def browser_name(pid: int) -> str:
    """The process name of the browser that started this host: from /proc on Linux, from ps
    elsewhere (macOS), once per host."""
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/comm").read_text(encoding="utf-8").strip()
    import subprocess  # noqa: PLC0415 - only where there is no /proc

    with contextlib.suppress(OSError, subprocess.SubprocessError):
        found = subprocess.run(
            ["ps", "-o", "comm=", "-p", str(pid)],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
        return Path(found.stdout.strip()).name
    return ""


def read_message(stream: BinaryIO) -> dict[str, Any] | None:
    """One message from the browser, or None when the browser closed the pipe."""
    header = stream.read(_LENGTH.size)
    if len(header) < _LENGTH.size:
        return None
    (length,) = _LENGTH.unpack(header)
    if length > _MAX_MESSAGE:
        raise ValueError(f"a message of {length} bytes from the browser")
    data = stream.read(length)
    if len(data) < length:
        return None
    message = json.loads(data)
    return message if isinstance(message, dict) else {}


def write_message(stream: BinaryIO, message: Mapping[str, Any]) -> None:
    data = json.dumps(message, separators=(",", ":")).encode("utf-8")
    if len(data) > _MAX_MESSAGE:
        return  # the browser would close the port: better to drop one message
    with contextlib.suppress(OSError):  # the browser is closing: the reading side ends the host
        stream.write(_LENGTH.pack(len(data)) + data)
        stream.flush()


class Relay:
    """The host's two directions. The browser side is the caller's (stdin, stdout)."""

    def __init__(self, to_browser: BinaryIO, env: Mapping[str, str] | None = None) -> None:
        self._to_browser = to_browser
        self._path = socket_path(env)
        self._daemon: socket.socket | None = None
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._last_state: dict[str, Any] | None = None
        self._hello: dict[str, Any] | None = None
        # Pauses and their answers while the daemon is away: kept (a few), as nudges are.
        self._unsent: deque[dict[str, Any]] = deque(maxlen=_UNSENT_KEPT)
        pid = os.getppid()
        self._browser = {"browser_pid": pid, "browser": browser_name(pid)}

    def from_browser(self, message: dict[str, Any]) -> None:
        """Pass one message on to the daemon, or drop it quietly when there is none."""
        message = {**message, **self._browser}
        kind = message.get("type")
        if kind == "hello":
            self._hello = message
        elif kind == "state":
            self._last_state = message
        with self._lock:
            daemon = self._daemon
            if daemon is None and kind in _KEPT_WHILE_AWAY:
                self._unsent.append(message)
        if daemon is not None:
            self._send(daemon, message)

    def run_daemon_side(self) -> None:
        """Keep a connection to the daemon, and pass what it says to the browser. A thread."""
        said_stopped = False
        while not self._stopping.is_set():
            daemon = self._connect()
            if daemon is None:
                if not said_stopped:
                    # nudger is not running: the browser holds nothing back until it is again.
                    write_message(self._to_browser, {"type": "nudger_stopped"})
                    said_stopped = True
                self._stopping.wait(_RETRY_SECONDS)
                continue
            said_stopped = False
            self._catch_up(daemon)
            self._listen(daemon)

    def stop(self) -> None:
        self._stopping.set()
        with self._lock:
            daemon, self._daemon = self._daemon, None
        if daemon is not None:
            with contextlib.suppress(OSError):
                daemon.close()

    def _connect(self) -> socket.socket | None:
        if LOCAL_SOCKET is None or not is_private_folder(self._path.parent):
            return None
        connection = socket.socket(LOCAL_SOCKET, socket.SOCK_STREAM)
        try:
            connection.connect(str(self._path))
        except OSError:
            connection.close()
            return None
        return connection

    def _catch_up(self, daemon: socket.socket) -> None:
        """Tell a daemon just reached what it missed, in order, before anything new goes to
        it directly: an answer must never arrive before the pause it answers."""
        if self._hello is not None:
            self._send(daemon, self._hello)
        while True:
            with self._lock:
                unsent = list(self._unsent)
                self._unsent.clear()
                if not unsent:
                    self._daemon = daemon  # from now on, messages go straight to it
                    break
            for message in unsent:
                self._send(daemon, message)
        if self._last_state is not None:
            self._send(daemon, self._last_state)

    def _listen(self, daemon: socket.socket) -> None:
        pending = b""
        while not self._stopping.is_set():
            readable, _, _ = select.select([daemon], [], [], 1.0)
            if not readable:
                continue
            try:
                chunk = daemon.recv(65536)
            except OSError:
                chunk = b""
            if not chunk:
                break
            *lines, pending = (pending + chunk).split(b"\n")
            for line in lines:
                with contextlib.suppress(ValueError):
                    message = json.loads(line)
                    if isinstance(message, dict):
                        write_message(self._to_browser, message)
        with self._lock:
            if self._daemon is daemon:
                self._daemon = None
        with contextlib.suppress(OSError):
            daemon.close()

    def _send(self, daemon: socket.socket, message: Mapping[str, Any]) -> None:
        try:
            daemon.sendall(json.dumps(message, separators=(",", ":")).encode("utf-8") + b"\n")
        except OSError:
            with self._lock:
                if self._daemon is daemon:
                    self._daemon = None  # the daemon stopped: the listener reconnects


def main() -> int:
    relay = Relay(sys.stdout.buffer)
    daemon_side = threading.Thread(target=relay.run_daemon_side, daemon=True)
    daemon_side.start()
    try:
        while True:
            try:
                message = read_message(sys.stdin.buffer)
            except ValueError:
                return 1  # not the browser speaking native messaging
            if message is None:
                return 0  # the browser closed the port: the host's work is done
            relay.from_browser(message)
    finally:
        relay.stop()


if __name__ == "__main__":
    sys.exit(main())
