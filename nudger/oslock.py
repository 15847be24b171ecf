"""An exclusive lock on a file, held through the operating system: flock on POSIX, msvcrt on
Windows. The OS drops it when the process ends, even on kill -9: no stale lock files.

A plain OS lock rather than a library: filelock imports asyncio (about 3 MB in a daemon that
should stay small), and these are the two calls it would make for us anyway. Asking whether a
lock is held needs only read access, so `nudger status` works in a read-only data folder.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path

from nudger.paths import PRIVATE_FILE

_POLL_SECONDS = 0.05


class Locked(Exception):
    """Another process holds the lock."""


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt  # noqa: PLC0415 - Windows only

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    else:  # noqa: RET505 - mypy checks each platform's branch only on that platform
        import fcntl  # noqa: PLC0415 - POSIX only

        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt  # noqa: PLC0415

        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl  # noqa: PLC0415

        fcntl.flock(fd, fcntl.LOCK_UN)


class FileLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self, timeout: float = 0.0) -> None:
        """Take the lock, waiting up to `timeout` seconds; raise Locked if another holds it."""
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(self.path, flags, PRIVATE_FILE)
        deadline = time.monotonic() + timeout
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                os.close(fd)
                raise Locked(str(self.path))
            time.sleep(_POLL_SECONDS)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            _unlock(fd)
            os.close(fd)


def is_held(path: Path) -> bool:
    """True when some process holds the lock on `path` right now. Needs only read access."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return False  # no lock file: nobody ever locked it
    try:
        if not _try_lock(fd):
            return True
        _unlock(fd)
        return False
    finally:
        os.close(fd)
