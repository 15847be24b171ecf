"""The daemon's end of the browser companion: a private local socket the hosts connect to.

Each browser with the extension starts a host (host.py), which connects here. What the
browsers report is kept in memory for the watcher (the active tab, as TabReports) and the coach
(pauses and their answers); what the daemon has to say (which addresses to pause before) is
sent to every browser, now and whenever it changes.

The socket lives in a folder only the user can enter (0700) and is itself 0600. Nothing that
comes in is written anywhere: an address that matches no rule lives only in memory.

Any program of the user's can still connect, so nothing one sends may knock the daemon over or
hold up its sampling: one thread serves every connection (selectors, so no limit on descriptor
numbers), at most _MAX_CONNECTIONS at once (when full, one that has said nothing a host says
for a while makes room, or else the newcomer is closed at once), each read at most
_RATE_PER_SECOND lines a second (beyond that it is simply not read until its turn, which slows
the sender and no one else), never sent more than _MAX_UNSENT bytes it has not read, and every
line that is not a host's message (not JSON, too deep, numbers out of range, NaN) is dropped.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import math
import selectors
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from nudger.browser.host import (
    LOCAL_SOCKET,
    MAX_TEXT,
    cut_address,
    is_private_folder,
    pipe_name,
    socket_path,
)
from nudger.browser.winpipe import PipeListener, PipeSystem, listen
from nudger.core.browsing import PauseAnswer, PauseReport, TabReport
from nudger.core.feelings import Feeling, feeling_of
from nudger.core.translate import N_
from nudger.framing import Lines, LineTooLong, NotAnObject, json_line, parse_object
from nudger.paths import PRIVATE_FILE, ensure_private_dir, socket_folder

log = logging.getLogger(__name__)

# Reports kept between two samples at most; a sample takes them all.
_MAX_WAITING = 512
_MAX_LINE = 1024 * 1024
_JOIN_SECONDS = 2.0
# A browser (each profile) starts one host; a few dozen is far more than anyone runs.
_MAX_CONNECTIONS = 32
# A host speaks as soon as it connects; a connection silent this long may make room for another.
_SILENT_SECONDS = 1.0
# A host sends a line when the tab, focus or idleness changes: a few a second at most, and a
# few dozen at once when it catches up with a daemon that restarted.
_RATE_PER_SECOND = 50.0
_BURST = 200.0
# What a connection has not read of what the daemon said: the rules are a few kilobytes.
_MAX_UNSENT = 4 * 1024 * 1024
# Browsers that closed, remembered for `nudger status` (each host connection names one).
_MAX_CONTACTS = 64
_PID_LIMIT = 2**31
_WAKE = object()


class PageDesk(Protocol):
    """Who answers the companion's pages (shell/pages.py): takes a request and, later, from any
    thread, calls `reply` once with the answer. Must not block the relay's thread."""

    def take(self, request: dict[str, Any], reply: Callable[[dict[str, Any]], None]) -> None: ...


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


@dataclass(eq=False, slots=True)
class _Peer:
    """One connection, as the relay's thread keeps it."""

    connection: socket.socket
    lines: Lines = field(default_factory=lambda: Lines(_MAX_LINE))  # received, not taken in
    unsent: bytearray = field(default_factory=bytearray)  # to send, not yet taken by the peer
    pid: int | None = None  # the browser it spoke for first; the only one it may speak for
    tokens: float = _BURST
    refilled: float = field(default_factory=time.monotonic)
    resume_at: float | None = None  # not read until then: it used its share of lines
    said_cut: bool = False
    told: int = 0  # the number of the last message of the daemon's it was given
    since: float = field(default_factory=time.monotonic)


class BrowserRelay:
    def __init__(self, listener: socket.socket | PipeListener, path: Path) -> None:
        self.path = path
        self._own_file = isinstance(listener, socket.socket)  # a pipe leaves no file behind
        self._listener = listener
        self._lock = threading.Lock()
        self._reports: deque[TabReport] = deque(maxlen=_MAX_WAITING)
        self._pauses: deque[PauseReport] = deque(maxlen=_MAX_WAITING)
        # Taps on the pause page: the answer and when, nothing of the page.
        self._feelings: deque[tuple[float, Feeling]] = deque(maxlen=_MAX_WAITING)
        self._latest: dict[int, TabReport] = {}
        self._contacts: dict[int, Contact] = {}
        self._instructions: dict[str, Any] | None = None
        self._said = 0  # how many messages the daemon has said
        self._outbox: deque[tuple[int, bytes]] = deque()  # for the thread to send, numbered
        self._peers: set[_Peer] = set()  # the thread's own: no lock
        self._refused = 0
        self.pages: PageDesk | None = None  # who answers the pages' requests, once there is one
        # Told (on the relay's thread) when a browser said something or went: the daemon looks
        # at once instead of at its next sample, as a focus event makes it.
        self.on_news: Callable[[], None] | None = None
        self._replies: deque[tuple[_Peer, bytes]] = deque()  # to one peer each
        self._selector = selectors.DefaultSelector()
        self._wake_read, self._wake_write = socket.socketpair()
        for end in (self._wake_read, self._wake_write, listener):
            end.setblocking(False)
        self._selector.register(listener, selectors.EVENT_READ, None)
        self._selector.register(self._wake_read, selectors.EVENT_READ, _WAKE)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="nudger-browsers", daemon=True)
        self._thread.start()

    @classmethod
    def start(cls, env: Mapping[str, str] | None = None) -> BrowserRelay:
        """Listen at the socket for this user and data folder. Raises OSError when it cannot."""
        if LOCAL_SOCKET is None:
            return cls.start_pipe(env)
        path = socket_path(env, socket_folder(env))
        assert path is not None  # with a folder of its own given, there is always a place
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
            listener.listen(64)
        except OSError:
            listener.close()
            raise
        return cls(listener, path)

    @classmethod
    def start_pipe(
        cls, env: Mapping[str, str] | None = None, system: PipeSystem | None = None
    ) -> BrowserRelay:
        """Windows: listen at the user-only named pipe for this user and data folder (see
        winpipe.py), with the same lines and limits as the socket. Raises OSError when the
        pipe cannot be made."""
        name = pipe_name(env)
        return cls(listen(name, system), Path(name))

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

    def feelings(self) -> list[tuple[float, Feeling]]:
        """The answers to "How are you right now?" since the last call, as (when, answer)."""
        with self._lock:
            taken = list(self._feelings)
            self._feelings.clear()
        return taken

    def contacts(self) -> list[Contact]:
        """The browsers that spoke since the daemon started, and when each last did."""
        with self._lock:
            return sorted(self._contacts.values(), key=lambda contact: contact.browser)

    def instruct(self, message: dict[str, Any]) -> None:
        """Tell every browser (and every one that connects later) `message`. Never waits for a
        browser: the relay's thread sends it."""
        with self._lock:
            self._instructions = message
            self._said += 1
            self._outbox.append((self._said, json_line(message)))
        self._wake()

    def close(self) -> None:
        self._stopping.set()
        self._wake()
        self._thread.join(timeout=_JOIN_SECONDS)
        with contextlib.suppress(OSError):
            if self._own_file:
                self.path.unlink()

    # -- the connections ------------------------------------------------------------------------

    def _wake(self) -> None:
        with contextlib.suppress(OSError):  # full: the thread is waking already; closed: gone
            self._wake_write.send(b"\0")

    def _run(self) -> None:
        try:
            while not self._stopping.is_set():
                for key, events in self._selector.select(self._timeout()):
                    if key.data is None:
                        self._accept()
                    elif key.data is _WAKE:
                        self._woken()
                    else:
                        self._serve_guarded(key.data, events)
                self._resume_due()
        finally:
            for peer in list(self._peers):
                self._hang_up(peer)
            self._selector.close()
            for end in (self._listener, self._wake_read, self._wake_write):
                with contextlib.suppress(OSError):
                    end.close()

    def _serve_guarded(self, peer: _Peer, events: int) -> None:
        """A mistake of nudger's with one connection ends that connection, not the relay."""
        try:
            self._serve(peer, events)
        except Exception:
            log.exception(N_("the browser companion's relay failed with one connection; closed it"))
            self._hang_up(peer)

    def _timeout(self) -> float | None:
        """Until a peer waiting its turn may be read again; with none waiting, until something
        happens (a connection, a line, or the wake-up pipe: closing writes to it too)."""
        waits = [peer.resume_at for peer in self._peers if peer.resume_at is not None]
        if not waits:
            return None
        return max(0.0, min(waits) - time.monotonic())

    def _accept(self) -> None:
        for _ in range(_MAX_CONNECTIONS * 4):  # everyone waiting, a batch at a time
            try:
                connection, _ = self._listener.accept()
            except OSError:  # none waiting (BlockingIOError), or out of descriptors
                return
            if len(self._peers) >= _MAX_CONNECTIONS and not self._make_room():
                connection.close()  # the closed end tells the other program at once
                self._refused += 1
                if self._refused in {1, 100, 10_000}:
                    log.warning(
                        N_(
                            "more than %d programs connected to the browser companion's socket; "
                            "%d refused so far"
                        ),
                        _MAX_CONNECTIONS,
                        self._refused,
                    )
                continue
            connection.setblocking(False)
            peer = _Peer(connection)
            self._peers.add(peer)
            with self._lock:
                instructions = self._instructions
                peer.told = self._said  # what is still in the outbox was said before it came
            if instructions is not None:
                peer.unsent += json_line(instructions)
            self._update(peer)

    def _make_room(self) -> bool:
        """Hang up the longest-silent connection that never spoke as a host, if it has been
        silent a while: programs that only connect must not keep a browser out."""
        now = time.monotonic()
        silent = [p for p in self._peers if p.pid is None and now - p.since >= _SILENT_SECONDS]
        if not silent:
            return False
        self._hang_up(min(silent, key=lambda peer: peer.since))
        return True

    def _woken(self) -> None:
        with contextlib.suppress(OSError):
            while self._wake_read.recv(4096):
                pass
        with self._lock:
            said = list(self._outbox)
            self._outbox.clear()
            replies = list(self._replies)
            self._replies.clear()
        for peer, data in replies:
            if peer in self._peers:
                peer.unsent += data
        for peer in list(self._peers):
            for number, data in said:
                if number > peer.told:
                    peer.unsent += data
                    peer.told = number
            if len(peer.unsent) > _MAX_UNSENT:
                self._hang_up(peer)  # it reads nothing: not a host
            else:
                self._update(peer)

    def _serve(self, peer: _Peer, events: int) -> None:
        if peer not in self._peers:
            return  # hung up earlier in this round
        try:
            if events & selectors.EVENT_WRITE and peer.unsent:
                sent = peer.connection.send(peer.unsent)
                del peer.unsent[:sent]
            if events & selectors.EVENT_READ and peer.resume_at is None:
                chunk = peer.connection.recv(65536)
                if not chunk:
                    self._hang_up(peer)
                    return
                peer.lines.feed(chunk)
                self._take_lines(peer)
        except BlockingIOError:
            pass
        except OSError:
            self._hang_up(peer)
            return
        if peer in self._peers:
            self._update(peer)

    def _take_lines(self, peer: _Peer) -> None:
        """Take in the complete lines received, as many as the peer's share allows."""
        now = time.monotonic()
        peer.tokens = min(_BURST, peer.tokens + (now - peer.refilled) * _RATE_PER_SECOND)
        peer.refilled = now
        news = False
        try:
            while True:
                if peer.tokens < 1 and peer.lines.has_line():
                    peer.resume_at = now + (1 - peer.tokens) / _RATE_PER_SECOND
                    return
                try:
                    line = peer.lines.next()
                except LineTooLong:
                    self._hang_up(peer)  # not a host speaking: close rather than grow
                    return
                if line is None:
                    return
                peer.tokens -= 1
                news = self._received(peer, line) or news
        finally:
            if news:  # once for the lines read together: the daemon reads them all at once
                self._tell_news()

    def _resume_due(self) -> None:
        now = time.monotonic()
        for peer in list(self._peers):
            if peer.resume_at is not None and peer.resume_at <= now:
                peer.resume_at = None
                self._take_lines(peer)
                if peer in self._peers:
                    self._update(peer)

    def _update(self, peer: _Peer) -> None:
        """Watch the peer for what it may do now: be read unless waiting its turn, be written
        to while something is unsent."""
        events = selectors.EVENT_READ if peer.resume_at is None else 0
        if peer.unsent:
            events |= selectors.EVENT_WRITE
        try:
            key = self._selector.get_key(peer.connection)
        except KeyError:
            if events:
                self._selector.register(peer.connection, events, peer)
            return
        if not events:
            self._selector.unregister(peer.connection)
        elif key.events != events:
            self._selector.modify(peer.connection, events, peer)

    def _hang_up(self, peer: _Peer) -> None:
        self._peers.discard(peer)
        with contextlib.suppress(KeyError, ValueError):
            self._selector.unregister(peer.connection)
        with contextlib.suppress(OSError):
            peer.connection.close()
        if peer.pid is None:
            return
        with self._lock:
            # That browser closed (or its host stopped): its tab is no longer in front.
            self._latest.pop(peer.pid, None)
            contact = self._contacts.get(peer.pid)
            if contact is not None:
                self._contacts[peer.pid] = dataclasses.replace(contact, connected=False)
            self._forget_old_contacts()
        self._tell_news()

    def _tell_news(self) -> None:
        if self.on_news is not None:
            self.on_news()

    def _forget_old_contacts(self) -> None:
        gone = [contact for contact in self._contacts.values() if not contact.connected]
        for contact in sorted(gone, key=lambda c: c.last_seen)[: max(0, len(gone) - _MAX_CONTACTS)]:
            del self._contacts[contact.browser_pid]

    def _received(self, peer: _Peer, line: bytes) -> bool:
        """Take one message in; anything that is not a host's message is dropped. True when it
        is news for the daemon."""
        try:
            message = parse_object(line)
        except NotAnObject:
            return False
        pid = _pid(message.get("browser_pid"))
        if pid is None:
            return False
        if peer.pid is None:
            peer.pid = pid
        elif pid != peer.pid:
            return False  # a host speaks for the one browser that started it
        browser = _text(message.get("browser"), 64)
        kind = _text(message.get("type"), 32)
        now = time.time()
        if kind == "page":
            self._page_request(peer, message)
            return False
        if kind != "state":  # the kind alone, never what it carries (--verbose, for a bug report)
            log.debug("the companion in browser %d said %s", pid, kind)
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
            elif kind == "feeling" and (feeling := feeling_of(message.get("feeling"))):
                self._feelings.append((_seconds(message.get("at"), now), feeling))
        if not peer.said_cut and _too_long(message):
            peer.said_cut = True
            log.info(
                N_("a browser reported an address over %d characters; kept its start"), MAX_TEXT
            )
        return True

    def _page_request(self, peer: _Peer, message: dict[str, Any]) -> None:
        """A page's request, handed to the desk; its reply goes back to this connection only."""
        desk = self.pages
        if desk is None:
            return  # the host refuses it in time ("timeout")

        def reply(answer: dict[str, Any]) -> None:
            with self._lock:
                self._replies.append((peer, json_line(answer)))
            self._wake()

        desk.take(message, reply)


def _pid(value: Any) -> int | None:
    """The browser process a message speaks for; None when it names none (not a host's)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < _PID_LIMIT:
        return None
    return value


def _text(value: Any, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _too_long(message: dict[str, Any]) -> bool:
    url = message.get("url")
    return bool(message.get("cut")) or (isinstance(url, str) and len(url) > MAX_TEXT)


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _seconds(value: Any, default: float) -> float:
    """A browser time (milliseconds since the epoch) in seconds, never later than now."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    try:
        seconds = float(value) / 1000.0
    except OverflowError:  # an integer too large for a float
        return default
    return min(seconds, default) if math.isfinite(seconds) else default


def _tab_report(message: dict[str, Any], pid: int, browser: str, now: float) -> TabReport:
    idle_since = message.get("idle_since")
    return TabReport(
        at=_seconds(message.get("at"), now),
        browser_pid=pid,
        browser=browser,
        focused=bool(message.get("focused")),
        url=cut_address(_text(message.get("url"), _MAX_LINE)),
        title=_text(message.get("title"), MAX_TEXT),
        incognito=bool(message.get("incognito")),
        idle_since=None if idle_since is None else _seconds(idle_since, now),
    )


def _pause_report(message: dict[str, Any], now: float) -> PauseReport:
    answer: PauseAnswer | None = None
    if message.get("type") == "pause_answer":
        answer = "go_on" if message.get("answer") == "go_on" else "away"
    return PauseReport(
        at=_seconds(message.get("at"), now),
        pause_id=_text(message.get("pause_id"), 64),
        url=cut_address(_text(message.get("url"), _MAX_LINE)),
        answer=answer,
    )
