"""Giving memory back to the system once start-up (or a reload) is over.

Start-up makes much short-lived garbage: every module's source compiled or read, the settings'
answer from the child (shell/loading.py), the command line's parser with every command's help.
Python frees it, but the C library keeps the freed pages for later, and a daemon that runs for
weeks has no later. glibc's malloc_trim hands back every whole free page of its heaps. Elsewhere
(macOS, Windows, musl) this does nothing.
"""

from __future__ import annotations

import ctypes
import gc
import sys


def give_back() -> None:
    gc.collect()
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None)
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return
    trim.argtypes = [ctypes.c_size_t]
    trim(0)
