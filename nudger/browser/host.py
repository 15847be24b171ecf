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
import re
import select
import socket
import stat
import struct
import sys
import threading
import tomllib
from collections import deque
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO, Protocol

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
# Unix-domain sockets: Linux and macOS. Python on Windows has none: there the host reaches the
# daemon over a named pipe only the same user can open (pipe_name; the daemon's end is winpipe.py).
LOCAL_SOCKET: int | None = getattr(socket, "AF_UNIX", None)
_KEPT_WHILE_AWAY = frozenset({"pause", "pause_answer", "holding", "feeling"})
# As many as the companion itself keeps while the host is away (KEPT_AT_MOST in background.js):
# what it hands over here must not be cut shorter while the daemon is away.
_UNSENT_KEPT = 100

# -- the companion's own pages (pages/ in the extension): requests and their replies ------------
# A request: {"type": "page", "v": 1, "id": "...", "kind": "...", "args": {...}}; its reply:
# {"type": "page_reply", "v": 1, "id": "...", "ok": true, "data": {...}} or, refused,
# {..., "ok": false, "error": {"code": "...", "reason": "..."}}. Every request is answered or
# refused within PAGE_SECONDS; a request larger than MAX_PAGE_REQUEST bytes, of another version
# or of a kind not listed here is refused at once, and the daemon is never asked.
PAGE_VERSION = 1
PAGE_KINDS = frozenset(
    {
        "today",
        "blocklist",
        "block_test",
        "block_add",
        "block_edit",
        "block_remove",
        "help",
        "pause",
        "resume",
    }
)
PAGE_SECONDS = 1.0
MAX_PAGE_REQUEST = 16 * 1024
MAX_PAGE_PENDING = 8
_PAGE_ID = 64


# A local socket's address holds its path and a closing NUL in `sun_path`: 108 bytes on Linux,
# 104 on macOS and the BSDs.
_SOCKET_PATH_BYTES = 108 if sys.platform.startswith("linux") else 104


def pipe_name(env: Mapping[str, str] | None = None) -> str:
    """Windows: the daemon's named pipe, one per user and data folder (as the socket is). The
    pipe's own security descriptor keeps everyone else out; the name only keeps nudgers apart."""
    env = os.environ if env is None else env
    who = f"{env.get('USERNAME', '')}|{env.get('NUDGER_DATA_DIR', '')}"
    return rf"\\.\pipe\nudger-browser-{binascii.crc32(who.encode()):08x}"


class _Connection(Protocol):
    """The daemon's end as the host uses it: a local socket, or on Windows the pipe."""

    def sendall(self, data: bytes, /) -> None: ...
    def recv(self, size: int, /) -> bytes: ...
    def close(self) -> None: ...


if sys.platform == "win32":
    import _winapi
    import ctypes
    from ctypes import wintypes

    _advapi32 = ctypes.WinDLL("advapi32", use_last_error=True)
    _kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    _TOKEN_QUERY = 0x0008
    _TOKEN_USER = 1
    _SE_KERNEL_OBJECT = 6
    _OWNER_SECURITY_INFORMATION = 0x00000001
    _READ_WRITE = 0x80000000 | 0x40000000  # GENERIC_READ | GENERIC_WRITE
    _OPEN_EXISTING = 3
    _OVERLAPPED = 0x40000000  # FILE_FLAG_OVERLAPPED

    class _PipeClient:
        def __init__(self, handle: int) -> None:
            self._handle = handle

        def sendall(self, data: bytes, /) -> None:
            overlapped, _ = _winapi.WriteFile(self._handle, data, overlapped=True)
            overlapped.GetOverlappedResult(True)

        def recv(self, size: int, /) -> bytes:
            overlapped, _ = _winapi.ReadFile(self._handle, size, overlapped=True)
            try:
                overlapped.GetOverlappedResult(True)
            except BrokenPipeError:
                return b""
            return bytes(overlapped.getbuffer() or b"")

        def close(self) -> None:
            _winapi.CloseHandle(self._handle)

    def user_sid() -> str:
        """This process's user, as a string SID (S-1-5-21-...)."""
        token = wintypes.HANDLE()
        if not _advapi32.OpenProcessToken(
            _kernel32.GetCurrentProcess(), _TOKEN_QUERY, ctypes.byref(token)
        ):
            raise ctypes.WinError(ctypes.get_last_error())
        try:
            size = wintypes.DWORD()
            _advapi32.GetTokenInformation(token, _TOKEN_USER, None, 0, ctypes.byref(size))
            buffer = ctypes.create_string_buffer(size.value)
            if not _advapi32.GetTokenInformation(
                token, _TOKEN_USER, buffer, size, ctypes.byref(size)
            ):
                raise ctypes.WinError(ctypes.get_last_error())
            sid = ctypes.cast(buffer, ctypes.POINTER(ctypes.c_void_p)).contents  # TOKEN_USER.Sid
            return _sid_text(sid)
        finally:
            _kernel32.CloseHandle(token)

    def _sid_text(sid: ctypes.c_void_p) -> str:
        text = wintypes.LPWSTR()
        if not _advapi32.ConvertSidToStringSidW(sid, ctypes.byref(text)):
            raise ctypes.WinError(ctypes.get_last_error())
        try:
            return str(text.value)
        finally:
            _kernel32.LocalFree(text)

    def _served_by_me(handle: int) -> bool:
        """The pipe's owner is this user: the daemon makes it so (winpipe.owner_only_sddl). A
        pipe of the same name that someone else made first is never spoken to."""
        owner = ctypes.c_void_p()
        descriptor = ctypes.c_void_p()
        failed = _advapi32.GetSecurityInfo(
            wintypes.HANDLE(handle),
            _SE_KERNEL_OBJECT,
            _OWNER_SECURITY_INFORMATION,
            ctypes.byref(owner),
            None,
            None,
            None,
            ctypes.byref(descriptor),
        )
        if failed:
            return False
        try:
            return _sid_text(owner) == user_sid()
        except OSError:
            return False
        finally:
            _kernel32.LocalFree(descriptor)

    def open_pipe(name: str) -> _Connection | None:
        """Connect to the daemon's pipe (None when it is not there, or not the user's own).
        Overlapped I/O, so the host's reading and writing threads never wait for each other."""
        try:
            handle = _winapi.CreateFile(name, _READ_WRITE, 0, 0, _OPEN_EXISTING, _OVERLAPPED, 0)
        except OSError:
            return None
        if not _served_by_me(handle):
            _winapi.CloseHandle(handle)
            return None
        return _PipeClient(handle)

else:

    def open_pipe(name: str) -> _Connection | None:
        """Named pipes of this kind are Windows's: elsewhere the host uses the socket."""
        return None


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


def page_refused(request_id: str, code: str, reason: str = "") -> dict[str, Any]:
    """The reply that refuses a page's request: `code` says why, for the page to put in words."""
    error = {"code": code, "reason": reason[:500]}
    return {"type": "page_reply", "v": PAGE_VERSION, "id": request_id, "ok": False, "error": error}


def page_answered(request_id: str, data: Mapping[str, Any]) -> dict[str, Any]:
    return {"type": "page_reply", "v": PAGE_VERSION, "id": request_id, "ok": True, "data": data}


def check_page_request(message: Mapping[str, Any]) -> dict[str, Any] | None:
    """None for a request the daemon may be asked, else the reply that refuses it."""
    request_id = message.get("id")
    if not isinstance(request_id, str) or not 0 < len(request_id) <= _PAGE_ID:
        request_id = ""
    if not request_id:
        return page_refused("", "bad_request")
    if len(_compact(message)) > MAX_PAGE_REQUEST:
        return page_refused(request_id, "too_large")
    if message.get("v") != PAGE_VERSION:
        return page_refused(request_id, "version", str(PAGE_VERSION))
    if message.get("kind") not in PAGE_KINDS:
        return page_refused(request_id, "unknown_kind")
    if not isinstance(message.get("args", {}), dict):
        return page_refused(request_id, "bad_request")
    return None


# -- someone to talk to: the packaged table, read here too, so the list shows without nudger ----

# The settings file is read for its [support] table only, within the limits nudger's own
# settings check sets (nudger.paths.MAX_READ_BYTES, SupportSettings): what the daemon would
# refuse is not shown here either.
_SETTINGS_READ_LIMIT = 4 * 1024 * 1024
_OWN_LINE_LIMIT = 160
_NUMBER_IN_CONTACT = re.compile(r"\+?\d(?:[ -]?\d)+|\d")
_CALLING = re.compile(r"\b(call|phone)\b", re.IGNORECASE)
_TEXTING = re.compile(r"\b(text|sms|texto|mensaje|whatsapp)\b", re.IGNORECASE)


def support_table_path() -> Path | None:
    """config/support.toml: inside the installed package (nudger/config), or at the top of a
    source checkout (config/, installed as nudger.config in editable mode)."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "config", here.parent.parent / "config"):
        if (candidate / "support.toml").is_file():
            return candidate / "support.toml"
    return None


def _links(contact: str) -> list[dict[str, str]]:
    """The numbers in a contact, each as a link that dials (tel:) or texts (sms:): "text HOME to
    741741" texts, "call or text 988" does both, any other number dials."""
    links: list[dict[str, str]] = []
    for found in _NUMBER_IN_CONTACT.finditer(contact):
        clause = re.split(r"[,;]", contact[: found.start()])[-1]
        number = re.sub(r"[ -]", "", found.group())
        if len(number) < 3:  # the shortest helpline numbers: 112, 988
            continue
        texts = _TEXTING.search(clause) is not None
        schemes = (
            ["tel", "sms"] if texts and _CALLING.search(clause) else ["sms" if texts else "tel"]
        )
        links += [
            {"scheme": scheme, "number": number, "text": found.group()}
            for scheme in schemes
            # A number named twice ("call or text 988 ... text AYUDA to 988") is one link each
            # way: a crisis page must stay short and plain.
            if (scheme, number) not in {(link["scheme"], link["number"]) for link in links}
        ]
    return links


def help_list(
    country: str | None, language: str, own_line: str = "", table: Path | None = None
) -> dict[str, Any]:
    """The help-now list for `country` (two letters), as data for the page: the country's own
    services with links to call or text, or what works anywhere when it has no list."""
    path = table or support_table_path()
    data: dict[str, Any] = {}
    if path is not None:
        with contextlib.suppress(OSError, ValueError):
            data = tomllib.loads(path.read_text(encoding="utf-8"))
    code = (country or "").strip().upper()
    code = "GB" if code == "UK" else code
    elsewhere = data.get("elsewhere", {}) if isinstance(data.get("elsewhere"), dict) else {}
    entry = data.get(code) if code and code != "ELSEWHERE" else None
    resources = []
    if isinstance(entry, dict):
        for item in entry.get("resources", []):
            contact = str(item.get(f"contact_{language}", item.get("contact", "")))
            resources.append(
                {
                    "kind": str(item.get("kind", "")),
                    "who": str(item.get("who", "anyone")),
                    "name": str(item.get("name", "")),
                    "contact": contact,
                    "hours": str(item.get(f"hours_{language}", item.get("hours", ""))),
                    "source": str(item.get("source", "")),
                    "links": _links(str(item.get("contact", ""))),
                }
            )
    return {
        "country": code or None,
        "country_name": str(entry.get("name", code)) if isinstance(entry, dict) else code,
        "resources": resources,
        "own_line": own_line,
        "own_links": _links(own_line),
        "eu": code in elsewhere.get("eu", []),
        "emergency": str(elsewhere.get("eu_number", "112")),
        "directory": str(elsewhere.get("directory", "https://findahelpline.com")),
        "countries": sorted(key for key in data if key != "elsewhere"),
    }


def country_hint(args: Mapping[str, Any]) -> str | None:
    """The country of the browser's own language ("en-GB" -> "GB"), when nothing else says."""
    hint = args.get("hint")
    return hint.upper() if isinstance(hint, str) and re.fullmatch(r"[A-Za-z]{2}", hint) else None


def country_of_locale(env: Mapping[str, str]) -> str | None:
    """The country part of the locale ("de_AT.UTF-8" -> "AT"), as help-now finds it."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            found = re.match(r"^[a-zA-Z]{2,3}_([a-zA-Z]{2})(?:[.@].*)?$", value)
            return _normal_country(found.group(1)) if found else None
    return None


def _normal_country(code: str) -> str:
    code = code.strip().upper()
    return "GB" if code == "UK" else code


def chosen_country(
    asked: str | None, configured: str, env: Mapping[str, str], hint: str | None = None
) -> str | None:
    """The order nudger.core.support.chosen_country gives (the host imports nothing of nudger's):
    asked, [support] country, the locale's, the browser language's. A test holds them equal."""
    for given in (asked, configured):
        if given and given.strip():
            return _normal_country(given)
    return country_of_locale(env) or (_normal_country(hint) if hint and hint.strip() else None)


def own_support(env: Mapping[str, str]) -> tuple[str, str]:
    """[support] line and country from the person's settings file (NUDGER_CONFIG, which the
    launcher carries), so that the Talk page shows their own line while nudger is stopped too.
    Anything unreadable is left out: the packaged list still shows."""
    name = env.get("NUDGER_CONFIG")
    if not name:
        return "", ""
    try:
        # Without blocking, and a plain file only: a FIFO or a device there must not hold up
        # the list someone is waiting for.
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return "", ""
            text = handle.read(_SETTINGS_READ_LIMIT)
        support = tomllib.loads(text.decode("utf-8")).get("support", {})
    except (OSError, ValueError):
        return "", ""
    if not isinstance(support, dict):
        return "", ""
    line, country = support.get("line", ""), support.get("country", "")
    line = line if isinstance(line, str) and len(line) <= _OWN_LINE_LIMIT else ""
    country = country.strip() if isinstance(country, str) else ""
    return line, (country if re.fullmatch(r"[A-Za-z]{2}", country) else "")


class Relay:
    """The host's two directions. The browser side is the caller's (stdin, stdout)."""

    def __init__(self, to_browser: BinaryIO, env: Mapping[str, str] | None = None) -> None:
        self._to_browser = to_browser
        try:
            self._path = socket_path(env)
        except NoSocketPlace:
            self._path = None  # the daemon cannot listen either: "nudger_stopped" says so
        self._pipe = pipe_name(env) if LOCAL_SOCKET is None else None
        self._daemon: _Connection | None = None
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._last_state: dict[str, Any] | None = None
        self._hello: dict[str, Any] | None = None
        # Pauses and their answers while the daemon is away: kept (a few), as nudges are.
        self._unsent: deque[dict[str, Any]] = deque(maxlen=_UNSENT_KEPT)
        pid = os.getppid()
        # A Flatpak browser starts the host through flatpak-spawn (sandboxed.py), whose wrapper
        # names the browser: the host's parent is then Flatpak's helper, not the browser.
        named = (env if env is not None else os.environ).get("NUDGER_BROWSER")
        self._browser = {"browser_pid": pid, "browser": named or browser_name(pid)}
        # The pages' requests the daemon has not answered yet: id -> the timer that refuses it.
        self._pages: dict[str, threading.Timer] = {}
        self._writing = threading.Lock()  # the pages' replies come from several threads
        self._env = os.environ if env is None else env

    def from_browser(self, message: dict[str, Any]) -> None:
        """Pass one message on to the daemon, or drop it quietly when there is none."""
        if not message:
            return  # skipped: too large, or not a message at all
        message = {**message, **self._browser}
        kind = message.get("type")
        if kind == "page":
            self._page_request(message)
            return
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
                    self._write({"type": "nudger_stopped"})
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

    def _connect(self) -> _Connection | None:
        if self._pipe is not None:
            return open_pipe(self._pipe)
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

    def _catch_up(self, daemon: _Connection) -> None:
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

    def _listen(self, daemon: _Connection) -> None:
        pending = b""
        while not self._stopping.is_set():
            # A pipe cannot be waited on with select: its read waits (the host ends with it).
            if isinstance(daemon, socket.socket):
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
                        self._from_daemon(message)
        with self._lock:
            if self._daemon is daemon:
                self._daemon = None
        with contextlib.suppress(OSError):
            daemon.close()

    # -- the companion's own pages ---------------------------------------------------------------

    def _write(self, message: Mapping[str, Any]) -> None:
        with self._writing:
            write_message(self._to_browser, message)

    def _from_daemon(self, message: dict[str, Any]) -> None:
        if message.get("type") == "page_reply":
            with self._lock:
                timer = self._pages.pop(str(message.get("id")), None)
            if timer is None:
                return  # refused already (too late), or never asked: nothing waits for it
            timer.cancel()
        self._write(message)

    def _page_request(self, message: dict[str, Any]) -> None:
        """Answer a page within PAGE_SECONDS: the daemon's reply, or a refusal saying why."""
        refused = check_page_request(message)
        if refused is not None:
            self._write(refused)
            return
        request_id = str(message["id"])
        timer: threading.Timer | None = None
        with self._lock:
            daemon = self._daemon
            busy = len(self._pages) >= MAX_PAGE_PENDING or request_id in self._pages
            if daemon is not None and not busy:
                timer = threading.Timer(PAGE_SECONDS * 0.9, self._page_late, (message,))
                timer.daemon = True
                self._pages[request_id] = timer
        if daemon is None:
            self._write(self._without_daemon(message))
        elif busy:
            self._write(page_refused(request_id, "busy"))
        elif timer is not None:
            timer.start()
            self._send(daemon, message)

    def _page_late(self, message: dict[str, Any]) -> None:
        with self._lock:
            waiting = self._pages.pop(str(message["id"]), None)
        if waiting is not None:
            late = page_refused(str(message["id"]), "timeout")
            # The daemon is slow: the help list is read here rather than not shown.
            help_here = message["kind"] == "help"
            self._write(self._help_here(message, "slow") if help_here else late)

    def _without_daemon(self, message: dict[str, Any]) -> dict[str, Any]:
        """nudger is not running: the pages say so; the help list is still read here."""
        if message["kind"] == "help":
            return self._help_here(message, "stopped")
        return page_refused(str(message["id"]), "nudger_stopped")

    def _help_here(self, message: dict[str, Any], why: str) -> dict[str, Any]:
        args = message.get("args", {})
        asked = args.get("country") if isinstance(args.get("country"), str) else None
        language = args.get("language") if args.get("language") in {"en", "de", "es"} else "en"
        own_line, configured = own_support(self._env)
        country = chosen_country(asked, configured, self._env, country_hint(args))
        data = help_list(country, language, own_line)
        return page_answered(str(message["id"]), {**data, "from_host": why})

    def _send(self, daemon: _Connection, message: Mapping[str, Any]) -> None:
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
