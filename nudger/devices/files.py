"""The files in the synced folder: this device's own (written whole, atomically) and the
others' (read as untrusted input, never trusted to be what their name says).

Only `nudger-device-<id>.sqlite` and `nudger-forgotten-<id>.json` are ever read: everything
else, Syncthing's own files among them (.stfolder, .stversions/, *.sync-conflict-*,
.syncthing.*.tmp), is left alone. Another device's file is opened read-only (`mode=ro`),
after its size and kind are checked; its schema, its rows and the time spent reading it are
checked too. Anything off and the file is skipped, with one line that says why.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import sqlite3
import stat
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from nudger.core.devices import DEVICE_ID_LENGTH, believed_nudge, believed_visit, is_forgotten
from nudger.core.translate import N_, Said
from nudger.core.types import NudgeRow, Visit
from nudger.paths import PRIVATE_FILE, read_regular_file, write_private_atomic

SCHEMA_VERSION = 1
APPLICATION_ID = 0x4E554447  # "NUDG": a file of this kind, not any SQLite file
# A year of one device's visits and nudges is a few megabytes.
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_ROWS = 1_000_000
# More devices than a person has: the rest are skipped, so a folder full of files cannot stall
# every summary.
MAX_DEVICES = 32
READ_SECONDS = 5.0
_MAX_NAME = 60
_DEVICE_FILE = re.compile(rf"nudger-device-([0-9a-f]{{{DEVICE_ID_LENGTH}}})\.sqlite")
_TOMBSTONE = re.compile(rf"nudger-forgotten-([0-9a-f]{{{DEVICE_ID_LENGTH}}})\.json")

_SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE visits (kind TEXT NOT NULL, target TEXT NOT NULL, source TEXT NOT NULL,
        started_at REAL NOT NULL, ended_at REAL NOT NULL, continued INTEGER NOT NULL)""",
    """CREATE TABLE nudges (at REAL NOT NULL, kind TEXT NOT NULL, target TEXT,
        reason TEXT NOT NULL, delivered INTEGER NOT NULL, action TEXT, heeded INTEGER)""",
)


def device_file(folder: Path, device: str) -> Path:
    return folder / f"nudger-device-{device}.sqlite"


def tombstone_file(folder: Path, device: str) -> Path:
    return folder / f"nudger-forgotten-{device}.json"


@dataclass(frozen=True, slots=True)
class Contents:
    """What this device puts into its file: hashed targets only, no titles, no plans."""

    name: str
    first_run_at: float | None
    visits: tuple[tuple[str, str, str, float, float, int], ...]
    nudges: tuple[tuple[float, str, str | None, str, int, str | None, int | None], ...]

    def digest(self) -> str:
        """Changes when anything written would change: the file is written only then."""
        blob = json.dumps([self.name, self.first_run_at, self.visits, self.nudges])
        import hashlib  # noqa: PLC0415 - maps OpenSSL (3 MB) into the daemon: only when used

        return hashlib.sha256(blob.encode()).hexdigest()


def write_own(folder: Path, device: str, contents: Contents, now: float) -> Path:
    """Write this device's file whole: built beside it under a name no reader takes in, then
    renamed over it, so another device (or Syncthing) never sees half a file."""
    target = device_file(folder, device)
    fd, tmp_name = tempfile.mkstemp(prefix=".nudger-", suffix=".tmp", dir=folder)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        connection = sqlite3.connect(tmp)
        try:
            with connection:
                connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                for statement in _SCHEMA:
                    connection.execute(statement)
                meta = {"device": device, "name": contents.name, "written_at": repr(now)}
                if contents.first_run_at is not None:
                    meta["first_run_at"] = repr(contents.first_run_at)
                connection.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
                connection.executemany(
                    "INSERT INTO visits VALUES (?, ?, ?, ?, ?, ?)", contents.visits
                )
                connection.executemany(
                    "INSERT INTO nudges VALUES (?, ?, ?, ?, ?, ?, ?)", contents.nudges
                )
        finally:
            connection.close()
        tmp.chmod(PRIVATE_FILE)
        with tmp.open("rb") as handle:
            os.fsync(handle.fileno())
        tmp.replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return target


@dataclass(frozen=True, slots=True)
class OtherDevice:
    id: str
    name: str
    last_change: float
    first_run_at: float | None
    visits: tuple[Visit, ...]  # targets are keyed hashes
    nudges: tuple[NudgeRow, ...]


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file in the folder that was not taken in, and why (one line)."""

    file: str
    reason: Said


@dataclass(frozen=True, slots=True)
class FolderView:
    devices: tuple[OtherDevice, ...]
    skipped: tuple[Skipped, ...]
    own_last_change: float | None


def read_folder(folder: Path, own_id: str) -> FolderView:
    """Every other device's file in the folder, and the ones skipped. Never raises for what is
    in the folder: a folder that cannot be listed is one skipped line."""
    try:
        names = sorted(entry.name for entry in folder.iterdir())
    except OSError as error:
        return FolderView((), (Skipped(str(folder), _reason(error)),), None)
    forgotten = {
        match[1]: _forgotten_at(folder / name)
        for name in names
        if (match := _TOMBSTONE.fullmatch(name))
    }
    devices: list[OtherDevice] = []
    skipped: list[Skipped] = []
    own_last_change: float | None = None
    for name in names:
        match = _DEVICE_FILE.fullmatch(name)
        if match is None:
            continue  # Syncthing's own files, conflict copies, temporary files, anything else
        if len(devices) >= MAX_DEVICES and match[1] != own_id:
            skipped.append(
                Skipped(name, Said(N_("more than {count} devices"), {"count": MAX_DEVICES}))
            )
            continue
        try:
            device = _read_device(folder / name, match[1])
        except _Skip as skip:
            skipped.append(Skipped(name, skip.reason))
            continue
        if device.id == own_id:
            own_last_change = device.last_change  # this device counts from its own database
        elif not is_forgotten(device.last_change, forgotten.get(device.id)):
            devices.append(device)
    return FolderView(tuple(devices), tuple(skipped), own_last_change)


def forget(folder: Path, device: OtherDevice) -> None:
    """Remove a device's file, leaving a tombstone: its file is not taken in again unless the
    device writes anew (a later change than the one forgotten)."""
    write_private_atomic(
        tombstone_file(folder, device.id), json.dumps({"forgotten_at": device.last_change})
    )
    with contextlib.suppress(FileNotFoundError):
        device_file(folder, device.id).unlink()


class _Skip(Exception):
    def __init__(self, reason: Said) -> None:
        super().__init__(reason.text)
        self.reason = reason


def _reason(error: BaseException) -> Said:
    text = str(error)
    if isinstance(error, sqlite3.DatabaseError) and any(
        word in text.lower() for word in ("not a database", "malformed", "corrupt")
    ):
        return Said(N_("it is damaged"))
    if isinstance(error, sqlite3.OperationalError) and "interrupted" in text.lower():
        return Said(N_("reading it took too long"))
    return Said(N_("cannot read it: {error}"), {"error": text})


def _forgotten_at(path: Path) -> float | None:
    try:
        if stat.S_ISLNK(path.lstat().st_mode):
            return None
        value = json.loads(read_regular_file(path, 4096))["forgotten_at"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return float(value) if isinstance(value, int | float) and math.isfinite(value) else None


def _read_device(path: Path, device: str) -> OtherDevice:
    info = _check_file(path)
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    try:
        connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
    except sqlite3.Error as error:
        raise _Skip(_reason(error)) from None
    try:
        again = path.lstat()
        if (again.st_dev, again.st_ino) != (info.st_dev, info.st_ino):
            raise _Skip(Said(N_("it changed while it was read; it is read again next time")))
        deadline = time.monotonic() + READ_SECONDS
        # A hostile file could make a query run for ever; SQLite stops it after READ_SECONDS.
        connection.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        connection.execute("PRAGMA trusted_schema = OFF")
        return _contents(connection, device)
    except sqlite3.Error as error:
        raise _Skip(_reason(error)) from None
    finally:
        connection.close()


def _check_file(path: Path) -> os.stat_result:
    try:
        info = path.lstat()
    except OSError as error:
        raise _Skip(_reason(error)) from None
    if stat.S_ISLNK(info.st_mode):
        raise _Skip(Said(N_("it is a link; nudger does not follow links in the folder")))
    if not stat.S_ISREG(info.st_mode):
        raise _Skip(Said(N_("it is not a regular file")))
    if info.st_size > MAX_FILE_BYTES:
        raise _Skip(
            Said(N_("it is larger than {value} MB"), {"value": MAX_FILE_BYTES // (1024 * 1024)})
        )
    return info


def _contents(connection: sqlite3.Connection, device: str) -> OtherDevice:
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise _Skip(
            Said(
                N_("it was written by a newer nudger (schema {version}); update nudger here"),
                {"version": version},
            )
        )
    if (
        version != SCHEMA_VERSION
        or connection.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID
    ):
        raise _Skip(Said(N_("it is not a nudger device file")))
    if connection.execute("PRAGMA quick_check").fetchone() != ("ok",):
        raise _Skip(Said(N_("it is damaged")))
    kinds = dict(connection.execute("SELECT name, type FROM sqlite_master").fetchall())
    if any(kinds.get(table) != "table" for table in ("meta", "visits", "nudges")):
        raise _Skip(Said(N_("it is not a nudger device file")))
    meta: dict[object, object] = {
        row[0]: row[1] for row in _rows(connection, "SELECT key, value FROM meta") if len(row) == 2
    }
    name, written_at = meta.get("name"), _number(meta.get("written_at"))
    if meta.get("device") != device or written_at is None:
        raise _Skip(Said(N_("it is not a nudger device file")))
    if not (isinstance(name, str) and 0 < len(name) <= _MAX_NAME and name.isprintable()):
        raise _Skip(Said(N_("it is not a nudger device file")))
    visits = [
        believed_visit(row)
        for row in _rows(
            connection, "SELECT kind, target, source, started_at, ended_at, continued FROM visits"
        )
    ]
    nudges = [
        believed_nudge(row)
        for row in _rows(
            connection, "SELECT at, kind, target, reason, delivered, action, heeded FROM nudges"
        )
    ]
    believed_visits = [v for v in visits if v is not None]
    believed_nudges = [n for n in nudges if n is not None]
    if len(believed_visits) != len(visits) or len(believed_nudges) != len(nudges):
        raise _Skip(Said(N_("it holds rows that make no sense")))
    return OtherDevice(
        id=device,
        name=name,
        last_change=written_at,
        first_run_at=_number(meta.get("first_run_at")),
        visits=tuple(believed_visits),
        nudges=tuple(believed_nudges),
    )


def _rows(connection: sqlite3.Connection, query: str) -> Iterable[Sequence[object]]:
    rows = connection.execute(f"{query} LIMIT {MAX_ROWS + 1}").fetchall()
    if len(rows) > MAX_ROWS:
        raise _Skip(Said(N_("it holds more rows than nudger ever writes")))
    return rows


def _number(text: object) -> float | None:
    try:
        value = float(text) if isinstance(text, str) and len(text) < 40 else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) and value >= 0 else None
