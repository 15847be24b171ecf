"""The daemon's end of the browser companion: a private local socket the hosts connect to.

Each browser with the extension starts a host (host.py), which connects here. What the
browsers report is kept in memory for the watcher (the active tab, as TabReports) and the coach
(pauses and their answers); what the daemon has to say (which addresses to pause before) is
sent to every browser, now and whenever it changes.

The socket lives in a folder only the user can enter (0700) and is itself 0600. Nothing that
comes in is written anywhere: an address that matches no rule lives only in memory.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import select
import socket
import threading
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nudger.browser.host import LOCAL_SOCKET, is_private_folder, socket_path
from nudger.core.browsing import PauseAnswer, PauseReport, TabReport
from nudger.paths import PRIVATE_FILE, ensure_private_dir

log = logging.getLogger(__name__)

# Reports kept between two samples at most; a sample takes them all.
_MAX_WAITING = 512
_MAX_LINE = 1024 * 1024
_JOIN_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class Contact:
    """A browser whose extension spoke since the daemon started."""

    browser: str
    browser_pid: int
    last_seen: float
    connected: bool = True
    holding: int | None = None  # how many addresses it holds back for a pause (once it says)
    only_counted: int | None = None  # addresses beyond its limits: counted, never paused
    site_access: bool | None = None  # False: the person withdrew the access the pause needs


class BrowserRelay:
    def __init__(self, listener: socket.socket, path: Path) -> None:
        self.path = path
        self._listener = listener
        self._lock = threading.Lock()
        self._reports: deque[TabReport] = deque(maxlen=_MAX_WAITING)
        self._pauses: deque[PauseReport] = deque(maxlen=_MAX_WAITING)
        self._latest: dict[int, TabReport] = {}
        self._contacts: dict[int, Contact] = {}
        self._peers: set[socket.socket] = set()
        self._instructions: dict[str, Any] | None = None
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="nudger-browsers", daemon=True)
        self._thread.start()

    @classmethod
    def start(cls, env: Mapping[str, str] | None = None) -> BrowserRelay:
        """Listen at the socket for this user and data folder. Raises OSError when it cannot."""
        path = socket_path(env)
        ensure_private_dir(path.parent)
        if not is_private_folder(path.parent):
            raise OSError(f"{path.parent} belongs to someone else or others may enter it")
        with contextlib.suppress(FileNotFoundError):
            path.unlink()  # left by a daemon that was killed; only one daemon runs per user
        if LOCAL_SOCKET is None:
            raise OSError(
                "this system has no local sockets; the companion works on Linux and macOS"
            )
        listener = socket.socket(LOCAL_SOCKET, socket.SOCK_STREAM)
        try:
            listener.bind(str(path))
            path.chmod(PRIVATE_FILE)
            listener.listen(8)
        except OSError:
            listener.close()
            raise
        return cls(listener, path)

    # -- for the daemon -----------------------------------------------------------------------

    def take(self) -> tuple[dict[int, TabReport], list[TabReport]]:
        """(each browser's last report before these, the reports since the last call)."""
        with self._lock:
            reports = list(self._reports)
            self._reports.clear()
            before = dict(self._latest)
            for report in reports:
                self._latest[report.browser_pid] = report
            for pid, contact in self._contacts.items():
                if not contact.connected:
                    self._latest.pop(pid, None)  # reports that came in before it closed
        return before, reports

    def pauses(self) -> list[PauseReport]:
        with self._lock:
            taken = list(self._pauses)
            self._pauses.clear()
        return taken

    def contacts(self) -> list[Contact]:
        """The browsers that spoke since the daemon started, and when each last did."""
        with self._lock:
            return sorted(self._contacts.values(), key=lambda contact: contact.browser)

    def instruct(self, message: dict[str, Any]) -> None:
        """Tell every browser (and every one that connects later) `message`."""
        with self._lock:
            self._instructions = message
            peers = list(self._peers)
        for peer in peers:
            self._send(peer, message)

    def close(self) -> None:
        self._stopping.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        with self._lock:
            peers = list(self._peers)
        for peer in peers:
            with contextlib.suppress(OSError):
                peer.close()
        self._thread.join(timeout=_JOIN_SECONDS)
        with contextlib.suppress(OSError):
            self.path.unlink()

    # -- the connections ------------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                readable, _, _ = select.select([self._listener], [], [], 1.0)
                if not readable:
                    continue
                peer, _ = self._listener.accept()
            except OSError:
                if self._stopping.is_set():
                    return
                continue
            with self._lock:
                self._peers.add(peer)
                instructions = self._instructions
            if instructions is not None:
                self._send(peer, instructions)
            threading.Thread(
                target=self._serve, args=(peer,), name="nudger-browser", daemon=True
            ).start()

    def _serve(self, peer: socket.socket) -> None:
        pending = b""
        pid: int | None = None
        try:
            while not self._stopping.is_set():
                readable, _, _ = select.select([peer], [], [], 1.0)
                if not readable:
                    continue
                chunk = peer.recv(65536)
                if not chunk:
                    break
                *lines, pending = (pending + chunk).split(b"\n")
                if len(pending) > _MAX_LINE:
                    break  # not a host speaking: close rather than grow
                for line in lines:
                    pid = self._received(line) or pid
        except OSError:
            pass
        finally:
            with self._lock:
                self._peers.discard(peer)
                if pid is not None:
                    # That browser closed (or its host stopped): its tab is no longer in front.
                    self._latest.pop(pid, None)
                    contact = self._contacts.get(pid)
                    if contact is not None:
                        self._contacts[pid] = dataclasses.replace(contact, connected=False)
            with contextlib.suppress(OSError):
                peer.close()

    def _received(self, line: bytes) -> int | None:
        """Take one message in; returns the browser's pid when the message named it."""
        try:
            message = json.loads(line)
            pid = int(message["browser_pid"])
            browser = str(message.get("browser", ""))
            kind = message.get("type")
        except (ValueError, KeyError, TypeError):
            return None
        now = time.time()
        with self._lock:
            earlier = self._contacts.get(pid)
            said = earlier or Contact(browser, pid, now)
            if kind == "holding":
                access = message.get("site_access")
                said = dataclasses.replace(
                    said,
                    holding=_count(message.get("count")),
                    only_counted=_count(message.get("only_counted")),
                    site_access=access if isinstance(access, bool) else None,
                )
            self._contacts[pid] = dataclasses.replace(
                said, browser=browser, last_seen=now, connected=True
            )
            if kind == "state":
                self._reports.append(_tab_report(message, pid, browser, now))
            elif kind in {"pause", "pause_answer"}:
                self._pauses.append(_pause_report(message, now))
        return pid

    def _send(self, peer: socket.socket, message: dict[str, Any]) -> None:
        data = json.dumps(message, separators=(",", ":")).encode("utf-8") + b"\n"
        with contextlib.suppress(OSError):
            peer.sendall(data)


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _seconds(value: Any, default: float) -> float:
    """A browser time (milliseconds since the epoch) in seconds, never later than now."""
    try:
        return min(float(value) / 1000.0, default)
    except (TypeError, ValueError):
        return default


def _tab_report(message: dict[str, Any], pid: int, browser: str, now: float) -> TabReport:
    idle_since = message.get("idle_since")
    return TabReport(
        at=_seconds(message.get("at"), now),
        browser_pid=pid,
        browser=browser,
        focused=bool(message.get("focused")),
        url=str(message.get("url") or ""),
        title=str(message.get("title") or ""),
        incognito=bool(message.get("incognito")),
        idle_since=None if idle_since is None else _seconds(idle_since, now),
    )


def _pause_report(message: dict[str, Any], now: float) -> PauseReport:
    answer: PauseAnswer | None = None
    if message.get("type") == "pause_answer":
        answer = "go_on" if message.get("answer") == "go_on" else "away"
    return PauseReport(
        at=_seconds(message.get("at"), now),
        pause_id=str(message.get("pause_id", ""))[:64],
        url=str(message.get("url") or ""),
        answer=answer,
    )
