"""Decode COMPOUND_TEXT window titles with libX11's own converter, through ctypes.

Old programs (xterm -T, Motif) set only WM_NAME, encoded as COMPOUND_TEXT: ISO-2022 escape
sequences that switch between Latin-1, JIS, GB2312, UTF-8 segments and more. python-xlib cannot
decode it (it returns b''), and writing an ISO-2022 decoder by hand would be a parser of our own,
so we ask libX11, which wrote the text in the first place, to turn it into UTF-8.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
from typing import Any

from nudger.core.translate import N_

log = logging.getLogger(__name__)

_SUCCESS = 0


class _XTextProperty(ctypes.Structure):
    _fields_ = (
        ("value", ctypes.POINTER(ctypes.c_ubyte)),
        ("encoding", ctypes.c_ulong),
        ("format", ctypes.c_int),
        ("nitems", ctypes.c_ulong),
    )


_IO_ERROR_EXIT = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)


def _return_instead_of_exit(_display: Any, _user_data: Any) -> None:
    """libX11 calls exit() when its connection breaks; returning from this handler prevents that."""


# Module-level so the C callback outlives every display that uses it.
_stay_alive: Any = _IO_ERROR_EXIT(_return_instead_of_exit)


class CompoundTextDecoder:
    """One small libX11 connection used only for text conversion, opened on first use."""

    def __init__(self, display_name: str | None) -> None:
        self._display_name = display_name
        self._lib: Any = None
        self._display: int | None = None
        self._compound_atom = 0
        self._failed = False

    def decode(self, data: bytes) -> str | None:
        """UTF-8 text for COMPOUND_TEXT `data`, or None when libX11 is not usable here."""
        if not self._ensure_open():
            return None
        raw = (ctypes.c_ubyte * len(data)).from_buffer_copy(data)
        prop = _XTextProperty(
            ctypes.cast(raw, ctypes.POINTER(ctypes.c_ubyte)), self._compound_atom, 8, len(data)
        )
        strings = ctypes.POINTER(ctypes.c_char_p)()
        count = ctypes.c_int(0)
        status = self._lib.Xutf8TextPropertyToTextList(
            self._display, ctypes.byref(prop), ctypes.byref(strings), ctypes.byref(count)
        )
        if status < _SUCCESS or not strings:
            return None
        try:
            parts = [strings[i] or b"" for i in range(count.value)]
        finally:
            self._lib.XFreeStringList(strings)
        return b"".join(parts).decode("utf-8", "replace")

    def _ensure_open(self) -> bool:
        if self._display is not None:
            return True
        if self._failed:
            return False
        self._failed = True  # until proven otherwise: try once, not every sample
        name = ctypes.util.find_library("X11")
        if not name:
            log.info(N_("libX11 not found; COMPOUND_TEXT titles will be decoded approximately"))
            return False
        lib = ctypes.CDLL(name)
        if not hasattr(lib, "XSetIOErrorExitHandler"):
            # Without it a dying X server would make libX11 exit() the whole daemon.
            log.info(
                N_("libX11 is older than 1.8; COMPOUND_TEXT titles will be decoded approximately")
            )
            return False
        lib.XOpenDisplay.restype = ctypes.c_void_p
        lib.XOpenDisplay.argtypes = (ctypes.c_char_p,)
        lib.XInternAtom.restype = ctypes.c_ulong
        lib.XInternAtom.argtypes = (ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int)
        lib.XSetIOErrorExitHandler.argtypes = (ctypes.c_void_p, _IO_ERROR_EXIT, ctypes.c_void_p)
        lib.Xutf8TextPropertyToTextList.argtypes = (
            ctypes.c_void_p,
            ctypes.POINTER(_XTextProperty),
            ctypes.POINTER(ctypes.POINTER(ctypes.c_char_p)),
            ctypes.POINTER(ctypes.c_int),
        )
        lib.XFreeStringList.argtypes = (ctypes.POINTER(ctypes.c_char_p),)
        encoded_name = self._display_name.encode() if self._display_name else None
        display = lib.XOpenDisplay(encoded_name)
        if not display:
            return False
        lib.XSetIOErrorExitHandler(display, _stay_alive, None)
        # Interned now, while the server is surely there, so decoding never needs a round trip.
        self._compound_atom = lib.XInternAtom(display, b"COMPOUND_TEXT", 0)
        self._lib, self._display, self._failed = lib, display, False
        return True

    def forget(self) -> None:
        """Drop the connection without XCloseDisplay.

        This is called when the X server has gone away; closing would talk to the dead server.
        The small struct it leaks is the price of never calling into a broken connection.
        """
        self._display = None
        self._failed = False


def approximate(data: bytes) -> str:
    """A readable fallback without libX11: keep UTF-8 segments, read the rest as Latin-1."""
    text = data.replace(b"\x1b%G", b"").replace(b"\x1b%@", b"")
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError:
        return text.decode("latin-1")
