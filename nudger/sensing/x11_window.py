"""Reading one X11 connection: the EWMH active window, its title, class and pid, and idle time.

A connection stays open for the life of its reader: opening one costs 16-38 ms, while a query on
an open connection costs about 0.2 ms. Per read we ask the server two or three things (active
window, its title, idle time); the class, pid and process name of a window are read once and
cached until the active window changes.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from Xlib import X, Xatom, display, error
from Xlib.xobject.drawable import Window as XWindow

from nudger.sensing.base import Window
from nudger.sensing.processes import process_name
from nudger.sensing.x11_text import CompoundTextDecoder, approximate

# Longest title we read, in 32-bit units (16 KiB). Longer titles are cut here; nothing useful for
# matching lives beyond that, and a hostile program cannot make us allocate without bound.
_TITLE_UNITS = 4096

# What a lost server looks like to python-xlib.
CONNECTION_ERRORS = (error.ConnectionClosedError, error.DisplayError, OSError)


# Windows whose facts are kept (each checked against its pid before it is used again).
_FACTS_KEPT = 8


@dataclass(frozen=True, slots=True)
class _WindowFacts:
    """What does not change for the life of a window: read once per active-window change."""

    wid: int
    wm_class: tuple[str, ...]
    pid: int | None
    app: str


class WindowReader:
    """Reads the window in front through one connection. Not thread-safe: one per thread."""

    def __init__(self, connection: display.Display, display_name: str) -> None:
        self.display = connection
        self.root = connection.screen().root
        intern = connection.intern_atom
        self.net_active_window = intern("_NET_ACTIVE_WINDOW")
        self.net_wm_name = intern("_NET_WM_NAME")
        self.net_client_list = intern("_NET_CLIENT_LIST")
        self._net_wm_pid = intern("_NET_WM_PID")
        self._utf8_string = intern("UTF8_STRING")
        self._compound_text = intern("COMPOUND_TEXT")
        self.has_idle = connection.has_extension("MIT-SCREEN-SAVER")
        self._decoder = CompoundTextDecoder(display_name)
        # What never changes for a window (class, pid, program), for the windows seen last:
        # switching between two windows then reads only their titles.
        self._facts: OrderedDict[int, _WindowFacts] = OrderedDict()

    def forget(self) -> None:
        """The connection is gone: drop what belonged to it."""
        self._decoder.forget()
        self._facts.clear()

    def active_id(self) -> int:
        prop = self.root.get_property(self.net_active_window, Xatom.WINDOW, 0, 1)
        # Absent until the first window gets focus, and 0 when nothing is focused: both normal.
        return int(prop.value[0]) if prop and len(prop.value) else 0

    def keeps_client_list(self) -> bool:
        """The window manager keeps EWMH's list of client windows (its changes say when windows
        come and go)."""
        prop = self.root.get_property(self.net_client_list, X.AnyPropertyType, 0, 0)
        return prop is not None

    def active_window(
        self, wid: int | None = None, known_title: str | None = None, *, same_window: bool = False
    ) -> Window | None:
        """The window in front: `wid` when the caller has just read its id, else read here.

        `same_window` says that the caller knows `wid` is still the window it was when the
        reader last read it (no window came or went since), and `known_title` that its title has
        not changed either (see x11_heard): then nothing is asked that the reader already knows.
        """
        wid = self.active_id() if wid is None else wid
        if not wid:
            return None
        target = self.display.create_resource_object("window", wid)
        try:
            kept = self._facts.get(wid) if same_window else None
            facts = kept or self._kept_facts(target) or self._read_facts(target)
            self._facts[wid] = facts
            self._facts.move_to_end(wid)
            if len(self._facts) > _FACTS_KEPT:
                self._facts.popitem(last=False)
            title = self._title(target) if known_title is None else known_title
        except error.XError:
            # The window vanished between two requests (BadWindow): as if nothing were in front.
            self._facts.pop(wid, None)
            return None
        return Window(app=facts.app, title=title, pid=facts.pid, wm_class=facts.wm_class)

    def _kept_facts(self, target: XWindow) -> _WindowFacts | None:
        """The facts kept for this window, if its pid says it is still the same program's (an
        id a closed program's window freed can come back with another program's window)."""
        kept = self._facts.get(target.id)
        if kept is None or kept.pid is None or self._pid(target) != kept.pid:
            return None
        return kept

    def _pid(self, target: XWindow) -> int | None:
        prop = target.get_property(self._net_wm_pid, Xatom.CARDINAL, 0, 1)
        return int(prop.value[0]) if prop and len(prop.value) else None

    def _read_facts(self, target: XWindow) -> _WindowFacts:
        wm_class = tuple(target.get_wm_class() or ())
        pid = self._pid(target)
        # Tk and some other toolkits set no _NET_WM_PID: the window class names the program then.
        app = (process_name(pid) if pid else None) or (wm_class[-1] if wm_class else "")
        return _WindowFacts(target.id, wm_class, pid, app)

    def _title(self, target: XWindow) -> str:
        prop = target.get_property(self.net_wm_name, self._utf8_string, 0, _TITLE_UNITS)
        if prop and prop.value:
            return _as_text(prop.value, "utf-8")
        prop = target.get_property(Xatom.WM_NAME, X.AnyPropertyType, 0, _TITLE_UNITS)
        if not prop or not prop.value:
            return ""
        raw = prop.value if isinstance(prop.value, bytes) else bytes(prop.value)
        if prop.property_type == self._compound_text:
            return self._decoder.decode(raw) or approximate(raw)
        if prop.property_type == self._utf8_string:
            return raw.decode("utf-8", "replace")
        return raw.decode("latin-1")  # ICCCM STRING is ISO 8859-1

    def idle_seconds(self) -> float:
        if not self.has_idle:
            return 0.0
        info = self.root.screensaver_query_info()
        return float(info.idle) / 1000.0


def _as_text(value: bytes | str, encoding: str) -> str:
    if isinstance(value, str):
        return value
    return value.decode(encoding, "replace")
