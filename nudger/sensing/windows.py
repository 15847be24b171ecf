"""Windows: the foreground window through user32 (ctypes), its process through psutil, and idle
time from GetLastInputInfo.

The user32 calls sit behind `User32`, so the decisions here are tested on Linux through a fake
of that boundary; the ctypes code is type-checked with mypy's win32 platform.
"""

from __future__ import annotations

import sys
from typing import Protocol

from nudger.sensing.base import Reading, SensorUnavailable, Window
from nudger.sensing.processes import process_name

TITLE_LIMIT = 2048


class User32(Protocol):
    def foreground_window(self) -> int: ...
    def window_title(self, hwnd: int) -> str: ...
    def window_class(self, hwnd: int) -> str: ...
    def window_pid(self, hwnd: int) -> int: ...
    def idle_milliseconds(self) -> int: ...


class WindowsSensor:
    name = "windows"

    def __init__(self, user32: User32) -> None:
        self._user32 = user32

    def read(self) -> Reading:
        try:
            hwnd = self._user32.foreground_window()
            idle = self._user32.idle_milliseconds() / 1000.0
            if not hwnd:  # the desktop, a lock screen or a switch in progress
                return Reading(None, idle)
            title = self._user32.window_title(hwnd)
            pid = self._user32.window_pid(hwnd)
            window_class = self._user32.window_class(hwnd)
        except OSError as error:
            raise SensorUnavailable(f"cannot read the foreground window: {error}") from None
        app = (process_name(pid) if pid else None) or window_class
        return Reading(
            Window(app=app, title=title, pid=pid or None, wm_class=(window_class,)), idle
        )

    def close(self) -> None:
        """Nothing to release."""


def open_sensor() -> WindowsSensor:
    if sys.platform == "win32":
        return WindowsSensor(_CtypesUser32())
    raise SensorUnavailable("the Windows backend runs on Windows only")


if sys.platform == "win32":
    import ctypes
    from ctypes import wintypes

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
