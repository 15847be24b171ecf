"""The status icon on Windows: an icon in the notification area with a small menu, through
Shell_NotifyIconW and user32 (ctypes), no extra package.

A thread of the icon's own makes a hidden message-only window, adds the icon, and runs the
window's message loop (GetMessageW blocks until a message comes: no polling). show() posts a
message to that thread, which changes the icon and its tooltip; a click on the icon pops the
menu there, and the chosen line comes back as a command. close() posts WM_CLOSE: the window
removes the icon and ends the loop.

The Windows calls sit behind `NotifyArea`, so the decisions are tested on Linux through a fake of
that boundary; the ctypes code is type-checked with mypy's win32 platform.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from typing import Protocol

from nudger.core.translate import N_
from nudger.tray.base import Handler, TrayState, TrayView, command_of, id_of, view_of
from nudger.tray.pictures import pixmaps

log = logging.getLogger(__name__)

# The small icon size of the notification area at 100 % scaling; Windows scales the rest.
ICON_SIZE = 32
TIP_LIMIT = 127  # NOTIFYICONDATAW.szTip holds 128 characters with the terminating zero


class NotifyArea(Protocol):
    def start(self, clicked: Callable[[], None]) -> None:
        """Make the hidden window and its thread; `clicked` runs on that thread."""
        ...

    def set_icon(self, size: int, argb: bytes, tip: str) -> None:
        """Add or change the icon and its tooltip. From any thread."""
        ...

    def pop_menu(self, lines: list[tuple[int, str, bool]]) -> int:
        """Show (id, label, enabled) lines at the pointer; the chosen id, 0 for none. Id 2 is a
        separator. On the window's thread."""
        ...

    def close(self) -> None: ...


class NotificationAreaIcon:
    name = "notification area"
    needs_main_thread = False

    def __init__(self, area: NotifyArea | None = None) -> None:
        self._area = area or _user32_area()
        self._view = view_of(TrayState())
        self._on_command: Handler | None = None

    def start(self, on_command: Handler) -> None:
        self._on_command = on_command
        self._area.start(self._clicked)
        self._show_icon(self._view)

    def show(self, view: TrayView) -> None:
        before, self._view = self._view, view
        if (view.mode, view.tooltip) != (before.mode, before.tooltip):
            self._show_icon(view)

    def close(self) -> None:
        self._area.close()

    def run_main_loop(self) -> None:
        """Not needed: the icon has its own thread and message loop."""

    def stop_main_loop(self) -> None:
        """Not needed: see run_main_loop."""

    def _show_icon(self, view: TrayView) -> None:
        size, _height, argb = next(p for p in pixmaps(view.mode) if p[0] == ICON_SIZE)
        self._area.set_icon(size, argb, view.tooltip[:TIP_LIMIT])

    def _clicked(self) -> None:
        lines = [(id_of(e), e.label, e.command is not None) for e in self._view.entries]
        command = command_of(self._area.pop_menu(lines))
        if command is not None and self._on_command is not None:
            self._on_command(command)


def _user32_area() -> NotifyArea:
    if sys.platform == "win32":
        return _User32Area()
    raise OSError("the notification area exists on Windows only")


if sys.platform == "win32":
    import ctypes
    from ctypes import wintypes

    _user32 = ctypes.WinDLL("user32", use_last_error=True)
    _shell32 = ctypes.WinDLL("shell32", use_last_error=True)
    _gdi32 = ctypes.WinDLL("gdi32", use_last_error=True)
    _kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)

    _LRESULT = ctypes.c_ssize_t
    _WNDPROC = ctypes.WINFUNCTYPE(
        _LRESULT, wintypes.HWND, wintypes.UINT, wintypes.WPARAM, wintypes.LPARAM
    )
    _user32.DefWindowProcW.restype = _LRESULT
    _user32.DefWindowProcW.argtypes = [
        wintypes.HWND,
        wintypes.UINT,
        wintypes.WPARAM,
        wintypes.LPARAM,
    ]
    _HWND_MESSAGE = wintypes.HWND(-3)
    _WM_CLOSE, _WM_DESTROY, _WM_APP = 0x0010, 0x0002, 0x8000
    _WM_LBUTTONUP, _WM_RBUTTONUP = 0x0202, 0x0205
    _CALLBACK, _REFRESH = _WM_APP + 1, _WM_APP + 2
    _NIM_ADD, _NIM_MODIFY, _NIM_DELETE = 0, 1, 2
    _NIF_MESSAGE, _NIF_ICON, _NIF_TIP = 0x1, 0x2, 0x4
    _MF_STRING, _MF_GRAYED, _MF_SEPARATOR = 0x0, 0x1, 0x800
    _TPM_RETURNCMD, _TPM_NONOTIFY = 0x100, 0x80

    class _NotifyIconData(ctypes.Structure):
        _fields_ = [
            ("cbSize", wintypes.DWORD),
            ("hWnd", wintypes.HWND),
            ("uID", wintypes.UINT),
            ("uFlags", wintypes.UINT),
            ("uCallbackMessage", wintypes.UINT),
            ("hIcon", wintypes.HICON),
            ("szTip", wintypes.WCHAR * 128),
        ]

    class _WndClass(ctypes.Structure):
        _fields_ = [
            ("style", wintypes.UINT),
            ("lpfnWndProc", _WNDPROC),
            ("cbClsExtra", ctypes.c_int),
            ("cbWndExtra", ctypes.c_int),
            ("hInstance", wintypes.HINSTANCE),
            ("hIcon", wintypes.HICON),
            ("hCursor", wintypes.HANDLE),
            ("hbrBackground", wintypes.HBRUSH),
            ("lpszMenuName", wintypes.LPCWSTR),
            ("lpszClassName", wintypes.LPCWSTR),
        ]

    class _IconInfo(ctypes.Structure):
        _fields_ = [
            ("fIcon", wintypes.BOOL),
            ("xHotspot", wintypes.DWORD),
            ("yHotspot", wintypes.DWORD),
            ("hbmMask", wintypes.HBITMAP),
            ("hbmColor", wintypes.HBITMAP),
        ]

    class _BitmapInfoHeader(ctypes.Structure):
        _fields_ = [
            ("biSize", wintypes.DWORD),
            ("biWidth", wintypes.LONG),
            ("biHeight", wintypes.LONG),
            ("biPlanes", wintypes.WORD),
            ("biBitCount", wintypes.WORD),
            ("biCompression", wintypes.DWORD),
            ("biSizeImage", wintypes.DWORD),
            ("biXPelsPerMeter", wintypes.LONG),
            ("biYPelsPerMeter", wintypes.LONG),
            ("biClrUsed", wintypes.DWORD),
            ("biClrImportant", wintypes.DWORD),
        ]

    def _icon_from_argb(size: int, argb: bytes) -> int:
        """An HICON from ARGB32 (network order): a top-down 32-bit DIB in BGRA and an empty
        mask, so the alpha channel draws the edges."""
        bgra = bytearray(len(argb))
        bgra[0::4], bgra[1::4], bgra[2::4], bgra[3::4] = (
            argb[3::4],
            argb[2::4],
            argb[1::4],
            argb[0::4],
        )
        header = _BitmapInfoHeader(ctypes.sizeof(_BitmapInfoHeader), size, -size, 1, 32, 0)
        bits = ctypes.c_void_p()
        colour = _gdi32.CreateDIBSection(None, ctypes.byref(header), 0, ctypes.byref(bits), None, 0)
        ctypes.memmove(bits, bytes(bgra), len(bgra))
        mask = _gdi32.CreateBitmap(size, size, 1, 1, None)
        info = _IconInfo(True, 0, 0, mask, colour)
        icon = int(_user32.CreateIconIndirect(ctypes.byref(info)))
        _gdi32.DeleteObject(mask)
        _gdi32.DeleteObject(colour)
        return icon

    class _User32Area:
        def __init__(self) -> None:
            self._hwnd = 0
            self._ready = threading.Event()
            self._lock = threading.Lock()
            self._wanted: tuple[int, bytes, str] | None = None
            self._icon = 0
            self._added = False
            self._clicked: Callable[[], None] = lambda: None
            # Kept: ctypes must not free the callback while Windows may call it.
            self._procedure = _WNDPROC(self._window_procedure)

        def start(self, clicked: Callable[[], None]) -> None:
            self._clicked = clicked
            threading.Thread(target=self._loop, name="nudger-tray", daemon=True).start()
            if not self._ready.wait(10) or not self._hwnd:
                raise OSError("the notification area's window did not come up")

        def set_icon(self, size: int, argb: bytes, tip: str) -> None:
            with self._lock:
                self._wanted = (size, argb, tip)
            _user32.PostMessageW(self._hwnd, _REFRESH, 0, 0)

        def pop_menu(self, lines: list[tuple[int, str, bool]]) -> int:
            menu = _user32.CreatePopupMenu()
            try:
                for item_id, label, enabled in lines:
                    if item_id == 2:
                        _user32.AppendMenuW(menu, _MF_SEPARATOR, 0, None)
                    else:
                        flags = _MF_STRING if enabled else _MF_STRING | _MF_GRAYED
                        _user32.AppendMenuW(menu, flags, item_id, label)
                point = wintypes.POINT()
                _user32.GetCursorPos(ctypes.byref(point))
                # Without this, the menu stays open when the person clicks elsewhere.
                _user32.SetForegroundWindow(self._hwnd)
                flags = _TPM_RETURNCMD | _TPM_NONOTIFY
                chosen = _user32.TrackPopupMenu(menu, flags, point.x, point.y, 0, self._hwnd, None)
                return int(chosen)
            finally:
                _user32.DestroyMenu(menu)

        def close(self) -> None:
            if self._hwnd:
                _user32.PostMessageW(self._hwnd, _WM_CLOSE, 0, 0)

        def _loop(self) -> None:
            instance = _kernel32.GetModuleHandleW(None)
            window_class = _WndClass()
            window_class.lpfnWndProc = self._procedure
            window_class.hInstance = instance
            window_class.lpszClassName = "nudger-status-icon"
            _user32.RegisterClassW(ctypes.byref(window_class))
            self._hwnd = int(
                _user32.CreateWindowExW(
                    0,
                    "nudger-status-icon",
                    "nudger",
                    0,
                    0,
                    0,
                    0,
                    0,
                    _HWND_MESSAGE,
                    None,
                    instance,
                    None,
                )
            )
            self._ready.set()
            message = wintypes.MSG()
            # GetMessageW blocks until a message comes; 0 means WM_QUIT, -1 an error.
            while _user32.GetMessageW(ctypes.byref(message), None, 0, 0) > 0:
                _user32.TranslateMessage(ctypes.byref(message))
                _user32.DispatchMessageW(ctypes.byref(message))

        def _data(self, flags: int) -> _NotifyIconData:
            data = _NotifyIconData()
            data.cbSize = ctypes.sizeof(_NotifyIconData)
            data.hWnd = self._hwnd
            data.uID = 1
            data.uFlags = flags
            data.uCallbackMessage = _CALLBACK
            return data

        def _refresh(self) -> None:
            with self._lock:
                wanted, self._wanted = self._wanted, None
            if wanted is None:
                return
            size, argb, tip = wanted
            old, self._icon = self._icon, _icon_from_argb(size, argb)
            data = self._data(_NIF_MESSAGE | _NIF_ICON | _NIF_TIP)
            data.hIcon = self._icon
            data.szTip = tip
            action = _NIM_MODIFY if self._added else _NIM_ADD
            if not _shell32.Shell_NotifyIconW(action, ctypes.byref(data)):
                log.warning(
                    N_("Windows did not take the status icon (%s)"), ctypes.get_last_error()
                )
            self._added = True
            if old:
                _user32.DestroyIcon(old)

        def _window_procedure(self, hwnd: int, message: int, wparam: int, lparam: int) -> int:
            try:
                if message == _REFRESH:
                    self._refresh()
                    return 0
                if message == _CALLBACK and lparam in {_WM_LBUTTONUP, _WM_RBUTTONUP}:
                    self._clicked()
                    return 0
                if message == _WM_CLOSE:
                    _shell32.Shell_NotifyIconW(_NIM_DELETE, ctypes.byref(self._data(0)))
                    _user32.DestroyWindow(hwnd)
                    return 0
                if message == _WM_DESTROY:
                    _user32.PostQuitMessage(0)
                    return 0
            except Exception:  # an error must not cross into Windows' code
                log.exception(N_("the status icon could not handle a message"))
                return 0
            return int(_user32.DefWindowProcW(hwnd, message, wparam, lparam))
