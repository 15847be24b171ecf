"""Windows: the foreground window through user32 (ctypes), its process through psutil, and idle
time from GetLastInputInfo.

Changes are followed as they happen, so a glance between two samples counts: a thread installs
SetWinEventHook for EVENT_SYSTEM_FOREGROUND (another window came to the front) and
EVENT_OBJECT_NAMECHANGE (a window was retitled: a browser's tab switch), out of context, and
runs the message loop that delivers them. A change of the foreground window, or of its own title,
makes the sensor read the window once and keep it as a Glance.

The user32 calls sit behind `User32`, so the decisions here are tested on Linux through a fake
of that boundary; the ctypes code is type-checked with mypy's win32 platform.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from typing import Protocol

from nudger.core.translate import N_, Said
from nudger.sensing.base import Reading, SensorUnavailable, Window
from nudger.sensing.listening import ChangeRecorder
from nudger.sensing.processes import process_name

log = logging.getLogger(__name__)

TITLE_LIMIT = 2048
EVENT_SYSTEM_FOREGROUND = 0x0003
EVENT_OBJECT_NAMECHANGE = 0x800C
OBJID_WINDOW = 0
CHILDID_SELF = 0

# (event, hwnd, object id, child id), as a WinEvent hook hears them.
EventCallback = Callable[[int, int, int, int], None]


class User32(Protocol):
    def foreground_window(self) -> int: ...
    def window_title(self, hwnd: int) -> str: ...
    def window_class(self, hwnd: int) -> str: ...
    def window_pid(self, hwnd: int) -> int: ...
    def idle_milliseconds(self) -> int: ...

    def follow(self, heard: EventCallback) -> Callable[[], None]:
        """Hook foreground and name-change events; call `heard` for each (on the hook's own
        thread). Returns what unhooks them."""
        ...


class WindowsSensor:
    name = "windows"

    def __init__(self, user32: User32) -> None:
        self._user32 = user32
        self._foreground = 0
        self._changes = ChangeRecorder(self._front_or_none)
        try:
            self._unhook: Callable[[], None] | None = user32.follow(self._heard)
        except OSError as error:
            log.info(N_("cannot follow window changes as they happen (%s); sampling only"), error)
            self._unhook = None

    def _heard(self, event: int, hwnd: int, object_id: int, child_id: int) -> None:
        if event == EVENT_SYSTEM_FOREGROUND:
            self._foreground = hwnd
        elif not (
            event == EVENT_OBJECT_NAMECHANGE
            and (object_id, child_id) == (OBJID_WINDOW, CHILDID_SELF)
            and hwnd == self._foreground
        ):
            return  # a name change somewhere else: every button and list item has a name
        self._changes.changed(time.time())

    def _front_or_none(self) -> Window | None:
        try:
            return self._window(self._user32.foreground_window())
        except OSError:
            return None  # the sample that follows says what is wrong

    def read(self) -> Reading:
        try:
            hwnd = self._user32.foreground_window()
            idle = self._user32.idle_milliseconds() / 1000.0
            window = self._window(hwnd)
        except OSError as error:
            raise SensorUnavailable(
                Said(N_("cannot read the foreground window: {error}"), {"error": error})
            ) from None
        self._foreground = hwnd
        return Reading(window, idle, self._changes.take())

    def _window(self, hwnd: int) -> Window | None:
        if not hwnd:  # the desktop, a lock screen or a switch in progress
            return None
        title = self._user32.window_title(hwnd)
        pid = self._user32.window_pid(hwnd)
        window_class = self._user32.window_class(hwnd)
        app = (process_name(pid) if pid else None) or window_class
        return Window(app=app, title=title, pid=pid or None, wm_class=(window_class,))

    def close(self) -> None:
        if self._unhook is not None:
            self._unhook()
            self._unhook = None


def open_sensor() -> WindowsSensor:
    if sys.platform == "win32":
        return WindowsSensor(_CtypesUser32())
    raise SensorUnavailable(Said(N_("the Windows backend runs on Windows only")))


if sys.platform == "win32":
    import ctypes
    import threading
    from ctypes import wintypes

    _WINEVENT_OUTOFCONTEXT = 0x0000
    _WINEVENT_SKIPOWNPROCESS = 0x0002
    _WM_QUIT = 0x0012
    _WinEventProc = ctypes.WINFUNCTYPE(
        None,
        wintypes.HANDLE,
        wintypes.DWORD,
        wintypes.HWND,
        wintypes.LONG,
        wintypes.LONG,
        wintypes.DWORD,
        wintypes.DWORD,
    )

    class _LastInputInfo(ctypes.Structure):
        _fields_ = (("cbSize", wintypes.UINT), ("dwTime", wintypes.DWORD))

    class _CtypesUser32:
        def __init__(self) -> None:
            self._user32 = ctypes.windll.user32
            self._kernel32 = ctypes.windll.kernel32

        def foreground_window(self) -> int:
            return int(self._user32.GetForegroundWindow() or 0)

        def window_title(self, hwnd: int) -> str:
            buffer = ctypes.create_unicode_buffer(TITLE_LIMIT)
            self._user32.GetWindowTextW(hwnd, buffer, TITLE_LIMIT)
            return buffer.value

        def window_class(self, hwnd: int) -> str:
            buffer = ctypes.create_unicode_buffer(256)
            self._user32.GetClassNameW(hwnd, buffer, 256)
            return buffer.value

        def window_pid(self, hwnd: int) -> int:
            pid = wintypes.DWORD(0)
            self._user32.GetWindowThreadProcessId(hwnd, ctypes.byref(pid))
            return int(pid.value)

        def idle_milliseconds(self) -> int:
            info = _LastInputInfo()
            info.cbSize = ctypes.sizeof(info)
            if not self._user32.GetLastInputInfo(ctypes.byref(info)):
                raise ctypes.WinError()
            # Both counters wrap after 49.7 days; the difference is right modulo 2**32.
            return int((self._kernel32.GetTickCount() - info.dwTime) & 0xFFFFFFFF)

        def follow(self, heard: EventCallback) -> Callable[[], None]:
            started = threading.Event()
            thread_id = [0]

            def pump() -> None:
                # Out-of-context hooks are delivered through the message queue of the thread
                # that installed them, so this thread installs them and runs the loop.
                def on_event(
                    _hook: int, event: int, hwnd: int, obj: int, child: int, _t: int, _ms: int
                ) -> None:
                    heard(int(event), int(hwnd or 0), int(obj), int(child))

                callback = _WinEventProc(on_event)  # kept alive by this frame
                flags = _WINEVENT_OUTOFCONTEXT | _WINEVENT_SKIPOWNPROCESS
                hooks = [
                    self._user32.SetWinEventHook(kind, kind, 0, callback, 0, 0, flags)
                    for kind in (EVENT_SYSTEM_FOREGROUND, EVENT_OBJECT_NAMECHANGE)
                ]
                thread_id[0] = self._kernel32.GetCurrentThreadId()
                started.set()
                message = wintypes.MSG()
                while self._user32.GetMessageW(ctypes.byref(message), 0, 0, 0) > 0:
                    self._user32.TranslateMessage(ctypes.byref(message))
                    self._user32.DispatchMessageW(ctypes.byref(message))
                for hook in hooks:
                    if hook:
                        self._user32.UnhookWinEvent(hook)

            thread = threading.Thread(target=pump, name="nudger-win-events", daemon=True)
            thread.start()
            started.wait(timeout=2)

            def stop() -> None:
                if thread_id[0]:
                    self._user32.PostThreadMessageW(thread_id[0], _WM_QUIT, 0, 0)
                thread.join(timeout=2)

            return stop
