"""One daemon per user: an OS file lock, and a small status file that says who holds it."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import psutil

from nudger.core.translate import N_, Said
from nudger.oslock import FileLock, Locked, is_held
from nudger.paths import (
    PRIVATE_FILE,
    ensure_private_dir,
    ensure_private_file,
    read_regular_file,
    write_private_atomic,
)

LOCK_NAME = "nudger.lock"
STATUS_NAME = "daemon.json"


@dataclass(frozen=True)
class DaemonStatus:
    """What the running daemon says about itself, refreshed every few seconds."""

    pid: int
    started_at: float
    backend: str
    sensor_connected: bool
    last_sample_at: float | None
    updated_at: float
    # The daemon's faults and a refused config, kept as Said (stored as its English and its
    # fillings) so that `status` shows them in the language of whoever reads them.
    notes: tuple[Said | str, ...] = ()
    database_moved_aside: str | None = None
    database_salvaged: Said | str | None = None  # what was carried over from it
    config_problem: Said | str | None = None
    # Each setting as the parts of the daemon that act on it hold it (see Daemon.settings_in_use).
    settings_in_use: dict[str, list[Any]] | None = None
    # What the last look found in front, as "site:Instagram" or "blocklist" (never a name).
    in_front: tuple[str, ...] = ()
    # The browsers whose companion spoke since the daemon started: name, connected, last_seen.
    browsers: tuple[dict[str, Any], ...] = ()
    # At the last look: seconds without input, when that was past watch.idle_seconds (away).
    away_for: float | None = None
    # The daemon's threads, native id to name: bench/cost.py tells its wake-ups apart by them.
    threads: dict[str, str] | None = None


class AlreadyRunning(Exception):
    def __init__(self, pid: int | None) -> None:
        self.pid = pid
        who = f" (pid {pid})" if pid else ""
        # Put into words by the command that shows it; str() is the English, for the log.
        self.said = Said(
            N_("nudger is already running{who}; stop it first, or use `nudger status`"),
            {"who": who},
        )
        super().__init__(str(self.said))


class InstanceLock:
    def __init__(self, data_dir: Path) -> None:
        ensure_private_dir(data_dir)
        self._status_file = data_dir / STATUS_NAME
        self._status_tmp = data_dir / f".{STATUS_NAME}.tmp"
        lock_path = ensure_private_file(data_dir / LOCK_NAME)
        # The OS drops the lock when the process dies, even on kill -9: no stale lock files.
        self._lock = FileLock(lock_path)

    def acquire(self) -> None:
        try:
            self._lock.acquire()
        except Locked:
            status = read_status(self._status_file.parent)
            raise AlreadyRunning(status.pid if status else None) from None

    def release(self) -> None:
        for path in (self._status_file, self._status_tmp):
            with contextlib.suppress(OSError):
                path.unlink()
        self._lock.release()

    def write_status(self, status: DaemonStatus) -> None:
        # Field by field, not asdict(): no field holds a dataclass, and asdict's deep copy of
        # the settings in use was half of what a sample cost.
        data = {field.name: getattr(status, field.name) for field in fields(status)}
        data["notes"] = [_stored(note) for note in status.notes]
        data["config_problem"] = _stored(status.config_problem)
        data["database_salvaged"] = _stored(status.database_salvaged)
        text = json.dumps(data)
        try:
            self._write_quickly(text.encode("utf-8"))
        except OSError:  # the folder went away, say: the careful way makes it again
            write_private_atomic(self._status_file, text, durable=False)

    def _write_quickly(self, raw: bytes) -> None:
        """Write the status into the daemon's own private folder with one open and one rename.

        The status is rewritten after most samples; write_private_atomic's checks for other
        people's links and missing folders cost a third of a sample there. The folder is ours
        and 0700, and O_NOFOLLOW refuses a link at the temporary name all the same."""
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
        with os.fdopen(os.open(self._status_tmp, flags, PRIVATE_FILE), "wb") as handle:
            handle.write(raw)
        self._status_tmp.replace(self._status_file)


def is_locked(data_dir: Path) -> bool:
    """True when some process holds the daemon lock right now."""
    return is_held(data_dir / LOCK_NAME)


def read_status(data_dir: Path) -> DaemonStatus | None:
    """The status the daemon last wrote, if the file is there and its process is alive."""
    try:
        data: dict[str, Any] = json.loads(read_regular_file(data_dir / STATUS_NAME))
        status = DaemonStatus(
            **{
                **data,
                "notes": tuple(_read_back(note) for note in data.get("notes", ())),
                "config_problem": _read_back(data.get("config_problem")),
                "database_salvaged": _read_back(data.get("database_salvaged")),
                "in_front": tuple(data.get("in_front", ())),
                "browsers": tuple(data.get("browsers", ())),
            }
        )
    except (OSError, ValueError, TypeError):
        return None
    if not psutil.pid_exists(status.pid):
        return None
    return status


def _stored(value: object) -> object:
    """A Said as {"said": its English, "values": its fillings}, a filling that is (or carries) a
    Said likewise; numbers and None as they are; anything else as its text."""
    said = value if isinstance(value, Said) else getattr(value, "said", None)
    if said is None and isinstance(value, BaseException) and value.args:
        said = value.args[0]  # ConnectionError(Said(...)), say
    if isinstance(said, Said):
        return {"said": said.text, "values": {k: _stored(v) for k, v in said.values.items()}}
    if value is None or isinstance(value, int | float | str):
        return value
    return str(value)


def _read_back(value: Any) -> Any:
    """What `_stored` wrote, with its Said again (a status file from an older nudger holds
    plain text, which stays as it is)."""
    if isinstance(value, Mapping) and isinstance(value.get("said"), str):
        values = value.get("values")
        fillings = values if isinstance(values, Mapping) else {}
        return Said(value["said"], {str(k): _read_back(v) for k, v in fillings.items()})
    return value
