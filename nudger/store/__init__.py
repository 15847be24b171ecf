"""SQLite storage: the only module that speaks SQL.

WAL mode, so `nudger summary` can read while the daemon writes. Timestamps are stored as UTC Unix
seconds; grouping by local day happens in Python with zoneinfo. The file and its directory are
private (0600 / 0700), and a database that cannot be read is moved aside, never overwritten.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from nudger.core.guard import GuardNote
from nudger.core.translate import N_
from nudger.core.types import NudgeRow, Source, Visit
from nudger.errors import NudgerError, said_of
from nudger.store import database
from nudger.store.salvage import Salvaged, salvage

log = logging.getLogger(__name__)

# The longest a stored visit can be: the tracker splits visits at each day boundary, and a day
# is at most 25 hours. Lets range queries use the started_at index.
_LONGEST_VISIT = 26 * 3600.0


class StoreError(NudgerError):
    """The database cannot be used (locked, full, read-only, ...). The message says which."""


class Store:
    def __init__(
        self,
        connection: sqlite3.Connection,
        path: Path,
        moved_aside: Path | None = None,
        salvaged: Salvaged | None = None,
    ) -> None:
        self._db = connection
        self.path = path
        self.moved_aside = moved_aside  # where a damaged file went, so `status` can say so
        self.salvaged = salvaged  # and what was carried over from it

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open (creating if needed) the database for writing. A damaged file is moved aside,
        never overwritten, and what can still be read of it is carried into a fresh one."""
        try:
            connection = database.connect(path)
        except database.Damaged as error:
            moved = database.move_aside(path)
            try:
                connection = database.connect(path)
            except database.DatabaseProblem as again:
                raise StoreError(said_of(again)) from None
            salvaged = salvage(moved, connection)
            log.error(
                N_("the database %s was damaged (%s); kept it as %s and started a new one (%s)"),
                path,
                error,
                moved,
                salvaged.said(),
            )
            return cls(connection, path, moved, salvaged)
        except database.DatabaseProblem as error:
            raise StoreError(said_of(error)) from None
        return cls(connection, path)

    @classmethod
    def open_for_reading(cls, path: Path) -> Store:
        """Open the database only to read it: never created, moved, repaired or upgraded."""
        try:
            return cls(database.connect_for_reading(path), path)
        except database.DatabaseProblem as error:
            raise StoreError(said_of(error)) from None

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
        """Delete visits, nudges and the guard's notes from before `cutoff`; returns how many
        visits went. Plans stay: they are the person's own words, not a record of their days."""
        with self._write() as db:
            count = db.execute("DELETE FROM visits WHERE ended_at < ?", (cutoff,)).rowcount
            db.execute("DELETE FROM nudges WHERE at < ?", (cutoff,))
            db.execute("DELETE FROM guard WHERE ended_at < ?", (cutoff,))
            db.execute("DELETE FROM feelings WHERE at < ?", (cutoff,))
        return count

    def forget_notes(self) -> tuple[int, int]:
        """Delete every guard note and every tap on the pause page (`nudger guard forget`);
        returns how many of each went. Visits, nudges and plans stay."""
        with self._write() as db:
            notes = int(db.execute("DELETE FROM guard").rowcount)
            feelings = int(db.execute("DELETE FROM feelings").rowcount)
        return notes, feelings

    # -- the guard ----------------------------------------------------------------------------

    def add_guard_note(self, note: GuardNote) -> None:
        """Keep one note; the same one written again (a retry) is kept once."""
        with self._write() as db:
            db.execute(
                "INSERT INTO guard (kind, started_at, ended_at, amount, detail) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, started_at, detail) DO NOTHING",
                (note.kind, note.started_at, note.ended_at, note.amount, note.detail),
            )

    def extend_guard_note(self, note: GuardNote) -> None:
        """Keep a note that is still growing (the companion off while its browser is in
        front): written again with a later end, it is kept once, with that end."""
        with self._write() as db:
            db.execute(
                "INSERT INTO guard (kind, started_at, ended_at, amount, detail) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, started_at, detail) DO UPDATE SET "
                "ended_at = max(guard.ended_at, excluded.ended_at)",
                (note.kind, note.started_at, note.ended_at, note.amount, note.detail),
            )

    def guard_notes_between(self, start: float, end: float) -> list[GuardNote]:
        """Notes that overlap [start, end), oldest first."""
        rows = self._read(
            "SELECT kind, started_at, ended_at, amount, detail FROM guard "
            "WHERE started_at < ? AND ended_at >= ? ORDER BY started_at",
            (end, start),
        )
        return [
            GuardNote(row[0], float(row[1]), float(row[2]), float(row[3]), str(row[4]))
            for row in rows
        ]

    # -- the taps on the pause page -----------------------------------------------------------

    def add_feeling(self, feeling: str, at: float) -> None:
        """Keep one answer to "How are you right now?": the answer and when, nothing else."""
        with self._write() as db:
            db.execute("INSERT INTO feelings (at, feeling) VALUES (?, ?)", (at, feeling))

    def feelings_between(self, start: float, end: float) -> list[tuple[float, str]]:
        """The answers in [start, end) as (when, answer), oldest first."""
        rows = self._read(
            "SELECT at, feeling FROM feelings WHERE at >= ? AND at < ? ORDER BY at", (start, end)
        )
        return [(float(row[0]), str(row[1])) for row in rows]

    # -- plans --------------------------------------------------------------------------------

    def add_plan(self, text: str, at: float) -> int:
        with self._write() as db:
            cursor = db.execute("INSERT INTO plans (text, added_at) VALUES (?, ?)", (text, at))
        return int(cursor.lastrowid or 0)

    def plans(self) -> list[tuple[int, str]]:
        """Every plan as (id, text), oldest first."""
        rows = self._read("SELECT id, text FROM plans ORDER BY id", ())
        return [(int(row[0]), str(row[1])) for row in rows]

    def remove_plans(self, ids: Sequence[int] | None = None) -> int:
        """Delete the plans with these ids (None: every plan); returns how many went."""
        with self._write() as db:
            if ids is None:
                return int(db.execute("DELETE FROM plans").rowcount)
            return sum(
                int(db.execute("DELETE FROM plans WHERE id = ?", (i,)).rowcount) for i in ids
            )

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

    def mark_undelivered(self, nudge_id: int) -> None:
        with self._write() as db:
            db.execute("UPDATE nudges SET delivered = 0 WHERE id = ?", (nudge_id,))

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
