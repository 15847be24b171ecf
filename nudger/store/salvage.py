"""Carrying what can still be read of a damaged database into a fresh one.

One bad page must not take 60 days of history and a 61-day streak with it. Python's sqlite3 has
no recovery API (SQLite's `.recover` lives in its shell), so rows are copied by rowid range: a
range that reads is copied whole; one that fails is halved until the rows on the damaged pages
are the only ones left behind. The damaged file itself is kept, untouched, beside the new one.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from nudger.core.translate import N_, Said, Translator

log = logging.getLogger(__name__)

# The person's plans too: their own words, which a damaged file must not take away; and the
# guard's notes and the taps, which retention and `nudger guard forget` remove, not damage.
TABLES = ("visits", "nudges", "meta", "guard", "plans", "feelings")
_CHUNK = 512
# Where to stop looking when the damaged file cannot even say its largest rowid.
_ROWID_CEILING = 1 << 24
# Rows that fail one by one before a table is given up (a damaged root page fails them all).
_MAX_FAILED_ROWS = 20_000


@dataclass(frozen=True, slots=True)
class Salvaged:
    """How many rows of each table were carried over, and how many could not be read."""

    copied: dict[str, int]
    lost_ranges: int

    def describe(self, t: Translator) -> str:
        return self.said().in_language(t)

    def said(self) -> Said:
        """What was carried over, to be put into words where it is shown (the log, `status`)."""
        parts = ", ".join(f"{table}: {count}" for table, count in self.copied.items())
        carried = Said(N_("carried over {parts}"), {"parts": parts})
        if not self.lost_ranges:
            return carried
        lost = Said(N_("{count} damaged rows left behind"), {"count": self.lost_ranges})
        return Said("{carried}; {lost}", {"carried": carried, "lost": lost})


def salvage(damaged: Path, into: sqlite3.Connection) -> Salvaged:
    """Copy every row that can be read from `damaged` into `into` (which has the schema)."""
    copied: dict[str, int] = {}
    lost = 0
    try:
        source = sqlite3.connect(f"{damaged.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.DatabaseError as error:
        log.warning(N_("nothing could be read from %s: %s"), damaged, error)
        return Salvaged(dict.fromkeys(TABLES, 0), 0)
    try:
        for table in TABLES:
            count, failed = _copy_table(source, into, table)
            copied[table] = count
            lost += failed
    finally:
        source.close()
    into.commit()
    return Salvaged(copied, lost)


def _copy_table(
    source: sqlite3.Connection, into: sqlite3.Connection, table: str
) -> tuple[int, int]:
    try:
        have = [row[1] for row in source.execute(f"PRAGMA table_info({table})")]
    except sqlite3.DatabaseError:
        return 0, 1
    wanted = [row[1] for row in into.execute(f"PRAGMA table_info({table})")]
    columns = [name for name in wanted if name in have]
    if not columns:
        return 0, 0
    top = _largest_rowid(source, table)
    select = f"SELECT {', '.join(columns)} FROM {table} WHERE rowid BETWEEN ? AND ?"  # noqa: S608
    insert = (
        f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) "  # noqa: S608
        f"VALUES ({', '.join('?' for _ in columns)})"
    )
    copied = failed = 0
    pending = [(1, min(top, _CHUNK))] if top >= 1 else []
    start = _CHUNK + 1
    while (pending or start <= top) and failed < _MAX_FAILED_ROWS:
        if not pending:
            pending.append((start, min(top, start + _CHUNK - 1)))
            start += _CHUNK
        low, high = pending.pop()
        try:
            rows = source.execute(select, (low, high)).fetchall()
        except sqlite3.DatabaseError:
            if low == high:
                failed += 1
            else:
                middle = (low + high) // 2
                pending += [(middle + 1, high), (low, middle)]
            continue
        for row in rows:
            with contextlib.suppress(sqlite3.DatabaseError):  # a row the new schema refuses
                copied += into.execute(insert, row).rowcount
    return copied, failed


def _largest_rowid(source: sqlite3.Connection, table: str) -> int:
    try:
        found = source.execute(f"SELECT max(rowid) FROM {table}").fetchone()  # noqa: S608
    except sqlite3.DatabaseError:
        return _ROWID_CEILING
    return int(found[0] or 0) if found else 0
