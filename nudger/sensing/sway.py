"""sway (and i3): the focused window through the IPC socket, kept current by window events.

One query at start (get_tree) finds the focused window; after that the compositor pushes focus,
title and close events. A listener thread takes them as they come, so a sample only reads what is
already known, and a window or tab that was in front between two samples is kept as a Glance.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from nudger.core.translate import N_, Said
from nudger.sensing import i3ipc
from nudger.sensing.base import Reading, SensorUnavailable, Window
from nudger.sensing.listening import GlanceBuffer, Vouching, Wakeup
from nudger.sensing.processes import process_name
from nudger.sensing.wayland_idle import IdleWatch

# A read this long after the previous one came late: the event stream is asked to vouch for the
# gap (see x11.py, which does the same with a marker through the X server).
_LATE_AFTER_SECONDS = 1.25
_CATCH_UP_SECONDS = 0.5


def walk(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in (*node.get("nodes", ()), *node.get("floating_nodes", ())):
        yield from walk(child)


def focused_window(tree: dict[str, Any]) -> dict[str, Any] | None:
    """The focused window in a get_tree reply, or None when an empty workspace has the focus."""
    for node in walk(tree):
        if node.get("focused") and node.get("type") in {"con", "floating_con"}:
            return node
    return None


def window_from_node(node: dict[str, Any] | None) -> Window | None:
    if node is None:
        return None
    pid = node.get("pid")
    properties = node.get("window_properties") or {}  # Xwayland windows have a class instead
    wm_class = tuple(v for v in (properties.get("instance"), properties.get("class")) if v)
    app = (
        node.get("app_id")
        or (properties.get("class") or "")
        or (process_name(pid) if pid else "")
        or ""
    )
    return Window(app=str(app), title=str(node.get("name") or ""), pid=pid, wm_class=wm_class)


class SwaySensor:
    name = "sway"

    def __init__(self, socket_path: str) -> None:
        self._path = socket_path
        self._idle: IdleWatch | None = None
        try:
            self._query = self._connect()
            self._events = self._connect()
            i3ipc.request(self._events, i3ipc.SUBSCRIBE, json.dumps(["window", "workspace"]))
            self._events.setblocking(False)
            self._focused = focused_window(i3ipc.request(self._query, i3ipc.GET_TREE))
        except (OSError, ValueError) as error:
            self.close()
            raise SensorUnavailable(
                Said(
                    N_("cannot talk to sway at {socket_path}: {error}"),
                    {"socket_path": socket_path, "error": error},
                )
            ) from None
        self._buffer = bytearray()
        self._front = window_from_node(self._focused)
        self._lock = threading.Lock()  # the listener updates what the sampler reads
        # A checkpoint through the event socket: sway answers a request after every event it
        # queued before it, so once the answer is read, every change before it has been too.
        self._caught_up = threading.Condition(self._lock)
        self._asked = self._answered = 0
        self._last_read: float | None = None
        self._vouching = Vouching()
        self._since = time.time()  # since when every event has been read
        self.on_change: Callable[[Window | None], None] | None = None
        self._glances = GlanceBuffer()
        self._lost: str | None = None
        self._wakeup = Wakeup()
        self._listener = threading.Thread(target=self._listen, name="nudger-sway", daemon=True)
        self._listener.start()

    def attach_idle(self, idle: IdleWatch | None) -> None:
        self._idle = idle

    def _connect(self) -> socket.socket:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(5)
        connection.connect(self._path)
        return connection

    @property
    def follows_events(self) -> bool:
        return self._listener.is_alive() and self._lost is None and self._vouching.relied_on

    def tell_changes(self, call: Callable[[Window | None], None]) -> None:
        """Call `call` with the window now in front (on the listener's thread) whenever a change
        in front is seen."""
        self.on_change = call

    def _vouch_if_late(self) -> float | None:
        now = time.monotonic()
        late = self._last_read is not None and now - self._last_read > _LATE_AFTER_SECONDS
        self._last_read = now
        if not late:
            return None
        since = self._checkpoint()
        self._vouching.late_read(since is not None)
        return since

    def _checkpoint(self) -> float | None:
        """Since when every event has been read, once sway has answered a request sent now on
        the event socket (None when it did not answer in time, or the socket is lost)."""
        with self._lock:
            if self._lost is not None:
                return None
            self._asked += 1
            wanted = self._asked
            try:
                self._events.send(i3ipc.encode(i3ipc.GET_VERSION))
            except OSError:
                return None
            if not self._caught_up.wait_for(
                lambda: self._answered >= wanted or self._lost is not None, _CATCH_UP_SECONDS
            ):
                return None
            return self._since if self._lost is None else None

    def read(self) -> Reading:
        followed_since = self._vouch_if_late()
        with self._lock:
            if self._lost is not None:
                raise SensorUnavailable(
                    Said(N_("lost the sway IPC socket: {lost}"), {"lost": self._lost})
                )
            window = self._front
            glances = self._glances.take()
        idle = self._idle.idle_seconds() if self._idle else 0.0
        return Reading(window, idle, glances, followed_since)

    def _listen(self) -> None:
        try:
            self._wakeup.follow(self._events.fileno(), self._on_events)
        except (OSError, ValueError) as error:
            with self._lock:
                self._lost = str(error) or type(error).__name__
                self._caught_up.notify_all()

    def _on_events(self, at: float) -> None:
        changed = False
        with self._lock:
            before = self._focused
            self._drain_events()
            now = self._front
            if self._focused is not before:  # each event brings a fresh container
                now = window_from_node(self._focused)
                if now != self._front:
                    self._front = now
                    self._glances.add(at, now)
                    changed = True
        if changed and self.on_change is not None:
            self.on_change(now)

    def _drain_events(self) -> None:
        while True:
            try:
                chunk = self._events.recv(65536)
            except BlockingIOError:
                break
            if not chunk:
                raise i3ipc.IpcError("sway closed the connection")
            self._buffer += chunk
        refresh = False
        for kind, event in i3ipc.split_messages(self._buffer):
            if kind == i3ipc.WINDOW_EVENT:
                self._on_window(event)
            elif kind == i3ipc.WORKSPACE_EVENT and event.get("change") == "focus":
                refresh = True  # maybe to an empty workspace: ask which window has the focus now
            elif kind == i3ipc.GET_VERSION:
                self._answered += 1  # a checkpoint: read once the changes before it are
        if refresh:
            self._focused = focused_window(i3ipc.request(self._query, i3ipc.GET_TREE))
        self._caught_up.notify_all()

    def _on_window(self, event: dict[str, Any]) -> None:
        change, container = event.get("change"), event.get("container") or {}
        focused_id = self._focused.get("id") if self._focused else None
        if change == "focus" or (
            change in {"title", "mark", "urgent", "floating"} and container.get("id") == focused_id
        ):
            self._focused = container
        elif change == "close" and container.get("id") == focused_id:
            self._focused = None

    def close(self) -> None:
        listener = getattr(self, "_listener", None)
        if listener is not None:
            self._wakeup.stop(listener)
        for name in ("_query", "_events"):
            connection = getattr(self, name, None)
            if connection is not None:
                with contextlib.suppress(OSError):
                    connection.close()
        if self._idle is not None:
            self._idle.close()
