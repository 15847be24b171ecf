"""SQLite storage: the only module that speaks SQL.

WAL mode, so `nudger summary` can read while the daemon writes. Timestamps are stored as UTC Unix
seconds; grouping by local day happens in Python with zoneinfo. The file and its directory are
private (0600 / 0700), and a database that cannot be read is moved aside, never overwritten.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from nudger.paths import ensure_private_dir, ensure_private_file
from nudger.tracking import Source, Visit

log = logging.getLogger(__name__)

# How long one write waits for another writer before giving up. Short on purpose: the caller
# keeps what it could not write and tries again at the next flush, so sampling never stalls.
BUSY_TIMEOUT_SECONDS = 0.25

_MIGRATIONS: tuple[str, ...] = (
    # 1: visits, nudges and a small key/value table.
    """
    CREATE TABLE visits (
        id          INTEGER PRIMARY KEY,
        kind        TEXT NOT NULL CHECK (kind IN ('site', 'blocklist')),
        target      TEXT NOT NULL,
        signal      TEXT NOT NULL,
        source      TEXT NOT NULL DEFAULT 'front',
        started_at  REAL NOT NULL,
        ended_at    REAL NOT NULL CHECK (ended_at >= started_at),
        title       TEXT,
        UNIQUE (kind, target, source, started_at)
    );
    CREATE INDEX visits_started_at ON visits (started_at);
    CREATE TABLE nudges (
        id              INTEGER PRIMARY KEY,
        at              REAL NOT NULL,
        kind            TEXT NOT NULL,
        target          TEXT,
        reason          TEXT NOT NULL,
        message_id      TEXT NOT NULL,
        delivered       INTEGER NOT NULL DEFAULT 0,
        channel         TEXT,
        notification_id INTEGER,
        action          TEXT,
        heeded          INTEGER
    );
    CREATE INDEX nudges_at ON nudges (at);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 2: the part of a visit after a day boundary is marked, so it counts as time on that day
    # but not as a visit of its own.
    """
    ALTER TABLE visits ADD COLUMN continued INTEGER NOT NULL DEFAULT 0;
    """,
)
SCHEMA_VERSION = len(_MIGRATIONS)

# The longest a stored visit can be: the tracker splits visits at each day boundary, and a day
# is at most 25 hours. Lets range queries use the started_at index.
_LONGEST_VISIT = 26 * 3600.0


class StoreError(Exception):
    """The database cannot be used (locked, full, read-only, ...). The message says which."""


def is_corruption(error: sqlite3.DatabaseError) -> bool:
    if isinstance(error, sqlite3.OperationalError):
        return False
    text = str(error).lower()
    return "not a database" in text or "malformed" in text or "corrupt" in text


@dataclass(frozen=True, slots=True)
class NudgeRow:
    id: int
    at: float
    kind: str
    target: str | None
    reason: str
    message_id: str
    delivered: bool
    action: str | None
    heeded: bool | None


class Store:
    def __init__(
        self, connection: sqlite3.Connection, path: Path, moved_aside: Path | None
    ) -> None:
        self._db = connection
        self.path = path
        self.moved_aside = moved_aside  # where a corrupt file went, so `status` can say so

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open (creating if needed) the database; move an unreadable file aside and start fresh."""
        ensure_private_dir(path.parent)
        moved: Path | None = None
        try:
            connection = _connect(path)
        except sqlite3.DatabaseError as error:
            if not is_corruption(error):
                raise StoreError(f"cannot open {path}: {error}") from None
            moved = _move_aside(path)
            log.error(
                "the database %s could not be read (%s); moved it to %s and started a new one",
                path,
                error,
                moved,
            )
            connection = _connect(path)
        return cls(connection, path, moved)

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        try:
            with self._db:
                yield self._db
        except sqlite3.DatabaseError as error:
            raise StoreError(str(error)) from error

    # -- visits -------------------------------------------------------------------------------

    def save_visits(self, visits: Iterable[Visit]) -> None:
        """Insert or update visits (keyed by kind, target, source and start) in one transaction.

        The latest write wins, even when it is shorter: noticing idle time cuts a visit back to
        the moment input stopped, after earlier flushes wrote it longer.
        """
        rows = [
            (v.kind, v.target, v.signal, v.source, v.started_at, v.ended_at, v.title, v.continued)
            for v in visits
        ]
        if not rows:
            return
        with self._write() as db:
            db.executemany(
                """
                INSERT INTO visits
                    (kind, target, signal, source, started_at, ended_at, title, continued)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (kind, target, source, started_at) DO UPDATE SET
                    ended_at = excluded.ended_at,
                    title = coalesce(excluded.title, visits.title)
                """,
                rows,
            )

    def visits_between(self, start: float, end: float, source: Source | None = None) -> list[Visit]:
        """Visits that overlap [start, end), oldest first, not clipped."""
        query = """
            SELECT kind, target, signal, source, started_at, ended_at, title, continued
            FROM visits WHERE started_at >= ? AND started_at < ? AND ended_at >= ?
        """
        params: list[Any] = [start - _LONGEST_VISIT, end, start]
        if source is not None:
            query += " AND source = ?"
            params.append(source)
        query += " ORDER BY started_at"
        return [_visit(row) for row in self._read(query, params)]

    def first_visit_at(self) -> float | None:
        rows = self._read("SELECT min(started_at) FROM visits", ())
        return cast(float | None, rows[0][0]) if rows else None

    def visit_starts(self, kind: str, start: float, end: float) -> list[float]:
        """When each visit of `kind` began, for [start, end): enough for streaks.

        The continuation of a visit past a day boundary is not a visit of its own: left out."""
        rows = self._read(
            "SELECT started_at FROM visits WHERE kind = ? AND started_at >= ? AND started_at < ? "
            "AND source = 'front' AND continued = 0 ORDER BY started_at",
            (kind, start, end),
        )
        return [float(row[0]) for row in rows]

    def target_names(self, kind: str) -> list[str]:
        rows = self._read(
            "SELECT DISTINCT target FROM visits WHERE kind = ? ORDER BY target", (kind,)
        )
        return [str(row[0]) for row in rows]

    def forget_before(self, cutoff: float) -> int:
        """Delete visits and nudges from before `cutoff`; returns how many visits went."""
        with self._write() as db:
            count = db.execute("DELETE FROM visits WHERE ended_at < ?", (cutoff,)).rowcount
            db.execute("DELETE FROM nudges WHERE at < ?", (cutoff,))
        return count

    # -- nudges -------------------------------------------------------------------------------

    def add_nudge(
        self,
        *,
        at: float,
        kind: str,
        target: str | None,
        reason: str,
        message_id: str,
        delivered: bool,
        channel: str,
        notification_id: int | None,
    ) -> int:
        with self._write() as db:
            cursor = db.execute(
                """
                INSERT INTO nudges
                    (at, kind, target, reason, message_id, delivered, channel, notification_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
                (at, kind, target, reason, message_id, int(delivered), channel, notification_id),
            )
        return int(cursor.lastrowid or 0)

    def mark_delivered(self, nudge_id: int, notification_id: int | None) -> None:
        with self._write() as db:
            db.execute(
                "UPDATE nudges SET delivered = 1, notification_id = ? WHERE id = ?",
                (notification_id, nudge_id),
            )

    def recent_nudges(self, limit: int) -> list[NudgeRow]:
        """The latest nudges, newest first."""
        rows = self._read(f"{_NUDGE_COLUMNS} ORDER BY at DESC LIMIT ?", (limit,))
        return [_nudge_row(row) for row in rows]

    def update_nudge(
        self, nudge_id: int, *, action: str | None = None, heeded: bool | None = None
    ) -> None:
        with self._write() as db:
            if action is not None:
                db.execute("UPDATE nudges SET action = ? WHERE id = ?", (action, nudge_id))
            if heeded is not None:
                db.execute("UPDATE nudges SET heeded = ? WHERE id = ?", (int(heeded), nudge_id))

    def nudges_between(self, start: float, end: float) -> list[NudgeRow]:
        rows = self._read(f"{_NUDGE_COLUMNS} WHERE at >= ? AND at < ? ORDER BY at", (start, end))
        return [_nudge_row(row) for row in rows]

    # -- meta ---------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        rows = self._read("SELECT value FROM meta WHERE key = ?", (key,))
        return cast(str, rows[0][0]) if rows else None

    def set_meta(self, key: str, value: str) -> None:
        with self._write() as db:
            db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def _read(self, query: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        try:
            return self._db.execute(query, params).fetchall()
        except sqlite3.DatabaseError as error:
            raise StoreError(str(error)) from error


_NUDGE_COLUMNS = (
    "SELECT id, at, kind, target, reason, message_id, delivered, action, heeded FROM nudges"
)


def _visit(row: Sequence[Any]) -> Visit:
    kind, target, signal, source, started_at, ended_at, title, continued = row
    return Visit(kind, target, signal, source, started_at, ended_at, title, bool(continued))


def _nudge_row(row: Sequence[Any]) -> NudgeRow:
    heeded = None if row[8] is None else bool(row[8])
    return NudgeRow(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]), row[7], heeded)


def _connect(path: Path) -> sqlite3.Connection:
    # The file is created 0600 before SQLite touches it; SQLite gives its -wal and -shm files
    # the same mode as the database file.
    ensure_private_file(path)
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, check_same_thread=False)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        # A small page cache (SQLite's default is 2 MB): the daemon writes a few rows a minute,
        # and a year of summaries still reads in milliseconds (bench/summary.py).
        connection.execute("PRAGMA cache_size = -512")
        result = connection.execute("PRAGMA quick_check").fetchone()
        if result is None or result[0] != "ok":
            raise sqlite3.DatabaseError(f"database disk image is malformed ({result})")
        _migrate(connection)
    except BaseException:
        connection.close()
        raise
    return connection


def _migrate(connection: sqlite3.Connection) -> None:
    version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"this database was written by a newer nudger (schema {version}, "
            f"this version knows {SCHEMA_VERSION}); please upgrade nudger"
        )
    for number, script in enumerate(_MIGRATIONS[version:], start=version + 1):
        # One transaction per step: a crash mid-migration leaves the previous version intact.
        connection.executescript(f"BEGIN; {script}; PRAGMA user_version = {number}; COMMIT;")


def _move_aside(path: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            source.replace(Path(f"{target}{suffix}"))
    return target
