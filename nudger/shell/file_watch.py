"""Wakes the daemon when a file it reads may have changed, or when something falls due.

On Linux the kernel says when (inotify on each file's folder: editors often write a new file and
rename it over the old one, which a watch on the file itself would lose). Elsewhere, and when a
folder cannot be watched, the files are looked at every few seconds, as before.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from nudger.core.translate import N_

if TYPE_CHECKING:
    from inotify_simple import INotify

log = logging.getLogger(__name__)

# Where the kernel cannot tell: how often to look.
POLL_SECONDS = 2.0
_JOIN_SECONDS = 2.0


class FileWatch:
    """Calls `changed()` (on a thread of its own) after a change to one of `paths`, at the time
    `due()` returns (Unix time; None: nothing due), and every POLL_SECONDS where inotify is not
    to be had. `changed` itself compares what it reads: a call may find nothing new."""

    def __init__(
        self,
        paths: Sequence[Path],
        changed: Callable[[], None],
        due: Callable[[], float | None] = lambda: None,
    ) -> None:
        self._changed = changed
        self._due = due
        # A file may be a link (dotfile managers make them): its target's folder is watched too.
        files = {path for given in paths for path in (given, given.resolve())}
        self._names = {path.name for path in files}
        self._wake_read, self._wake_write = os.pipe()
        self._inotify = _watch_folders({path.parent for path in files})
        self._thread = threading.Thread(target=self._run, name="nudger-files", daemon=True)
        self._thread.start()

    @property
    def follows_kernel(self) -> bool:
        return self._inotify is not None

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.write(self._wake_write, b"x")
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=_JOIN_SECONDS)
        for fd in (self._wake_read, self._wake_write):
            with contextlib.suppress(OSError):
                os.close(fd)
        if self._inotify is not None:
            with contextlib.suppress(OSError):
                self._inotify.close()

    def _timeout(self) -> float | None:
        due = self._due()
        waits = [] if self._inotify is not None else [POLL_SECONDS]
        if due is not None:
            waits.append(max(0.0, due - time.time()))
        return min(waits) if waits else None

    def _run(self) -> None:
        watched = [self._wake_read] + ([self._inotify.fileno()] if self._inotify else [])
        # One look first: a file written after its reader last read it but before the watch
        # began (while the daemon was starting) wakes no event, and would wait for the next.
        first = True
        while True:
            try:
                if first:
                    first = False
                    self._changed()
                    continue
                readable, _, _ = select.select(watched, [], [], self._timeout())
                if self._wake_read in readable:
                    return
                if readable and not self._ours(self._read_events()):
                    continue
                self._changed()
            except Exception:  # a fault here must not end the watch: the next change may do
                log.exception(N_("could not check the settings file for changes"))
                time.sleep(POLL_SECONDS)  # and must not spin on a fault that stays

    def _read_events(self) -> list[str]:
        assert self._inotify is not None
        return [event.name for event in self._inotify.read(timeout=0)]

    def _ours(self, names: list[str]) -> bool:
        # An empty name is an event on the folder itself (moved, deleted): look then too.
        return any(name in self._names or not name for name in names)


def _watch_folders(folders: set[Path]) -> INotify | None:
    """An inotify instance watching `folders` for files written, moved or deleted; None where
    that cannot be had (not Linux, no such folder, out of watches)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        from inotify_simple import INotify, flags  # noqa: PLC0415  # Linux only
    except ImportError:
        return None
    mask = (
        flags.CLOSE_WRITE
        | flags.MOVED_TO
        | flags.MOVED_FROM
        | flags.CREATE
        | flags.DELETE
        | flags.ATTRIB
        | flags.DELETE_SELF
        | flags.MOVE_SELF
    )
    inotify = INotify()
    try:
        for folder in folders:
            inotify.add_watch(folder, mask)
    except OSError as error:
        log.debug("cannot be told of changes to the settings file (%s); looking instead", error)
        inotify.close()
        return None
    return inotify
