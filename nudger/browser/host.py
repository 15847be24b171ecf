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
_MAX_MESSAGE = 1024 * 1024  # towards the browser: more, and the browser closes the port
# From the browser: Chromium sends up to 64 MiB, Firefox more. A tab's state is a few hundred
# bytes, or an address of up to 2 MB (Chromium's limit): what is larger is skipped unread.
_MAX_FROM_BROWSER = 8 * 1024 * 1024
# Addresses and titles are cut to this many characters before they go on to the daemon: the
# rules look at the host and the first segments of the path, never this far.
MAX_TEXT = 8192
_RETRY_SECONDS = 3.0
# Unix-domain sockets: Linux and macOS. Python on Windows has none, and the user-only named pipe
# that would take their place there is not built yet: on Windows the host finds no daemon.
LOCAL_SOCKET: int | None = getattr(socket, "AF_UNIX", None)
_KEPT_WHILE_AWAY = frozenset({"pause", "pause_answer", "holding", "feeling"})
_UNSENT_KEPT = 32


# A local socket's address holds its path and a closing NUL in `sun_path`: 108 bytes on Linux,
# 104 on macOS and the BSDs.
_SOCKET_PATH_BYTES = 108 if sys.platform.startswith("linux") else 104


class NoSocketPlace(OSError):
    """No path for the socket fits in a local socket's address."""


def socket_path(
    env: Mapping[str, str] | None = None, own_folder: Path | None = None
) -> Path | None:
    """Where the daemon listens for hosts, in a folder only the user can enter:

    - NUDGER_BROWSER_SOCKET, when set;
    - the user's runtime folder (XDG_RUNTIME_DIR), one socket per data folder, so that two
      nudgers with their own data never cross;
    - else a folder under the user's own state folder: `own_folder` (the daemon finds it with
      platformdirs) or NUDGER_SOCKET_FOLDER (the installer writes it into the host's launcher,
      as the host has no platformdirs). Never a shared /tmp name. None when there is neither.

    A path too long for a socket's address gives way to a short one in the user's home
    (~/.nudger-<checksum>/browser.sock); where even that is too long, NoSocketPlace.
    """
    env = os.environ if env is None else env
    explicit = env.get("NUDGER_BROWSER_SOCKET")
    if explicit:
        return _fitting(Path(explicit), None)
    runtime = env.get("XDG_RUNTIME_DIR")
    name = "browser.sock"
    if runtime and Path(runtime).is_dir():
        data = env.get("NUDGER_DATA_DIR")
        if data:
            # A checksum, not a hash: hashlib would load OpenSSL into the daemon and every host.
            name = f"browser-{binascii.crc32(data.encode()):08x}.sock"
        return _fitting(Path(runtime) / "nudger" / name, env)
    written = env.get("NUDGER_SOCKET_FOLDER")
    folder = own_folder or (Path(written) if written else None)
    return None if folder is None else _fitting(folder / name, env)


def _fitting(path: Path, env: Mapping[str, str] | None) -> Path:
    if _fits(path):
        return path
    if env is not None:
        home = Path(env.get("HOME") or Path("~").expanduser())
        short = home / f".nudger-{binascii.crc32(str(path).encode()):08x}" / "browser.sock"
        if _fits(short):
            return short
    raise NoSocketPlace(
        f"{path} is longer than the {_SOCKET_PATH_BYTES - 1} bytes a local socket's path may "
        "have, and so is any shorter place in the home folder; set NUDGER_BROWSER_SOCKET to a "
        "shorter path in a folder only you can enter"
    )


def _fits(path: Path) -> bool:
    return len(os.fsencode(path)) < _SOCKET_PATH_BYTES


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
    """One message from the browser, or None when the browser closed the pipe.

    Whatever a page makes the browser send, the host goes on: a message too large to hold is
    skipped (an empty one comes back in its place), one that is not a JSON object is empty,
    and an address or title too long is cut (and the message says "cut")."""
    header = stream.read(_LENGTH.size)
    if len(header) < _LENGTH.size:
        return None
    (length,) = _LENGTH.unpack(header)
    if length > _MAX_FROM_BROWSER:
        return {} if _skip(stream, length) else None
    data = stream.read(length)
    if len(data) < length:
        return None
    try:
        message = json.loads(data)
    except (ValueError, RecursionError):
        return {}
    return _within_limits(message) if isinstance(message, dict) else {}


def _skip(stream: BinaryIO, length: int) -> bool:
    """Read past `length` bytes; False when the pipe closed first."""
    while length > 0:
        chunk = stream.read(min(length, 1 << 16))
        if not chunk:
            return False
        length -= len(chunk)
    return True


def _within_limits(message: dict[str, Any]) -> dict[str, Any]:
    cut = {}
    for key in ("url", "title"):
        value = message.get(key)
        if isinstance(value, str) and len(value) > MAX_TEXT:
            cut[key] = cut_address(value) if key == "url" else value[:MAX_TEXT]
    return {**message, **cut, "cut": True} if cut else message


def cut_address(url: str, limit: int = MAX_TEXT) -> str:
    """The first `limit` characters of an address, ending where a part of it ends ("/", "?",
    "&", "#"), so a cut never makes a whole path segment that was not there."""
    if len(url) <= limit:
        return url
    head = url[:limit]
    end = max(head.rfind(mark) for mark in "/?&#")
    return head[: end + 1] if end > 0 else head


def _compact(message: Mapping[str, Any]) -> bytes:
    return json.dumps(message, separators=(",", ":")).encode("utf-8")


def write_message(stream: BinaryIO, message: Mapping[str, Any]) -> None:
    data = _compact(message)
    if len(data) > _MAX_MESSAGE:
        return  # the browser would close the port: better to drop one message
    with contextlib.suppress(OSError):  # the browser is closing: the reading side ends the host
        stream.write(_LENGTH.pack(len(data)) + data)
        stream.flush()


class Relay:
    """The host's two directions. The browser side is the caller's (stdin, stdout)."""

    def __init__(self, to_browser: BinaryIO, env: Mapping[str, str] | None = None) -> None:
        self._to_browser = to_browser
        try:
            self._path = socket_path(env)
        except NoSocketPlace:
            self._path = None  # the daemon cannot listen either: "nudger_stopped" says so
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
        if not message:
            return  # skipped: too large, or not a message at all
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
        path = self._path
        if LOCAL_SOCKET is None or path is None or not is_private_folder(path.parent):
            return None
        connection = socket.socket(LOCAL_SOCKET, socket.SOCK_STREAM)
        try:
            connection.connect(str(path))
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
            # nudger/framing.py does this for the rest of nudger; the host imports nothing of it.
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
            daemon.sendall(_compact(message) + b"\n")
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
            message = read_message(sys.stdin.buffer)
            if message is None:
                return 0  # the browser closed the port: the host's work is done
            relay.from_browser(message)
    finally:
        relay.stop()


if __name__ == "__main__":
    sys.exit(main())
