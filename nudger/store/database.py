"""Opening nudger's SQLite file: for the daemon and the commands that write, or only for reading.

- The file is a plain file nudger created: a link (to another program's database, say) or a FIFO
  in its place is refused, never written through or waited on.
- The schema is brought up to date in one exclusive transaction, so a daemon starting while
  `nudger summary` runs can never create the tables twice.
- A file that cannot be read is moved aside, never overwritten, and what can still be read of it
  is copied into the fresh one (see salvage.py). Only the daemon and writing commands do that:
  a summary on a damaged file says so and leaves it as it is.
- Reading commands open the file read-only, so they work in a read-only data folder too.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path

from nudger.core.translate import N_, Said
from nudger.errors import Saying, said_of
from nudger.paths import NotARegularFile, ensure_private_dir, ensure_private_file, refuse_link

log = logging.getLogger(__name__)

# How long one write waits for another writer before giving up. Short on purpose: the caller
# keeps what it could not write and tries again at the next flush, so sampling never stalls.
BUSY_TIMEOUT_SECONDS = 0.25
# Opening may wait longer: another process may be bringing the schema up to date.
OPEN_TIMEOUT_SECONDS = 15.0

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: visits, nudges and a small key/value table.
    (
        """CREATE TABLE visits (
            id          INTEGER PRIMARY KEY,
            kind        TEXT NOT NULL CHECK (kind IN ('site', 'blocklist')),
            target      TEXT NOT NULL,
            signal      TEXT NOT NULL,
            source      TEXT NOT NULL DEFAULT 'front',
            started_at  REAL NOT NULL,
            ended_at    REAL NOT NULL CHECK (ended_at >= started_at),
            title       TEXT,
            UNIQUE (kind, target, source, started_at)
        )""",
        "CREATE INDEX visits_started_at ON visits (started_at)",
        """CREATE TABLE nudges (
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
        )""",
        "CREATE INDEX nudges_at ON nudges (at)",
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ),
    # 2: the part of a visit after a day boundary is marked, so it counts as time on that day
    # but not as a visit of its own.
    ("ALTER TABLE visits ADD COLUMN continued INTEGER NOT NULL DEFAULT 0",),
    # 3: the guard's notes (unguarded time while the computer was in use) and the person's
    # if-then plans, in their own words.
    (
        """CREATE TABLE guard (
            id          INTEGER PRIMARY KEY,
            kind        TEXT NOT NULL CHECK (kind IN ('not_running', 'clock_step', 'loosened')),
            started_at  REAL NOT NULL,
            ended_at    REAL NOT NULL CHECK (ended_at >= started_at),
            amount      REAL NOT NULL DEFAULT 0,
            UNIQUE (kind, started_at)
        )""",
        """CREATE TABLE plans (
            id          INTEGER PRIMARY KEY,
            text        TEXT NOT NULL,
            added_at    REAL NOT NULL
        )""",
    ),
    # 4: the optional tap on the pause page ("How are you right now?"): only the answer and
    # when, never the page; and the guard notes the companion switched off while its browser
    # was in front, naming the browser (`detail`), so the guard table is built again with room
    # for both.
    (
        """CREATE TABLE feelings (
            id          INTEGER PRIMARY KEY,
            at          REAL NOT NULL,
            feeling     TEXT NOT NULL
        )""",
        "CREATE INDEX feelings_at ON feelings (at)",
        """CREATE TABLE guard_new (
            id          INTEGER PRIMARY KEY,
            kind        TEXT NOT NULL
                        CHECK (kind IN ('not_running', 'clock_step', 'loosened', 'companion_off')),
            started_at  REAL NOT NULL,
            ended_at    REAL NOT NULL CHECK (ended_at >= started_at),
            amount      REAL NOT NULL DEFAULT 0,
            detail      TEXT NOT NULL DEFAULT '',
            UNIQUE (kind, started_at, detail)
        )""",
        "INSERT INTO guard_new (id, kind, started_at, ended_at, amount) "
        "SELECT id, kind, started_at, ended_at, amount FROM guard",
        "DROP TABLE guard",
        "ALTER TABLE guard_new RENAME TO guard",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


class DatabaseProblem(Saying):
    """The database cannot be used as it is; the message says why and what to do."""


class Damaged(DatabaseProblem):
    """The file is not a database, or not a whole one."""


def is_corruption(error: sqlite3.DatabaseError) -> bool:
    if isinstance(error, sqlite3.OperationalError):
        return False
    text = str(error).lower()
    return "not a database" in text or "malformed" in text or "corrupt" in text


def connect(path: Path) -> sqlite3.Connection:
    """A read-write connection with the schema up to date. Raises Damaged or DatabaseProblem.

    Another process opening the same new file at the same moment may hold it for a moment
    (switching it to WAL, creating the tables); some of those steps answer "locked" at once
    instead of waiting, so the whole opening is tried again until OPEN_TIMEOUT_SECONDS."""
    deadline = time.monotonic() + OPEN_TIMEOUT_SECONDS
    while True:
        try:
            return _connect_once(path)
        except _Busy:
            if time.monotonic() >= deadline:
                raise DatabaseProblem(
                    Said(N_("{path} stayed locked by another program"), {"path": path})
                ) from None
            time.sleep(0.05)


class _Busy(Exception):
    pass


def _connect_once(path: Path) -> sqlite3.Connection:
    ensure_private_dir(path.parent)
    try:
        # Created 0600 before SQLite touches it; SQLite gives -wal and -shm the same mode.
        ensure_private_file(path)
    except NotARegularFile as error:
        raise DatabaseProblem(
            Said(N_("{error}; point NUDGER_DATA_DIR at the real folder"), {"error": error})
        ) from None
    try:
        connection = sqlite3.connect(path, timeout=OPEN_TIMEOUT_SECONDS, check_same_thread=False)
    except sqlite3.DatabaseError as error:
        raise DatabaseProblem(f"cannot open {path}: {error}") from None
    try:
        _check(connection, path)
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        # Deleted visits (privacy.keep_days) are overwritten, not left in free pages.
        connection.execute("PRAGMA secure_delete = ON")
        # A small page cache (SQLite's default is 2 MB): the daemon writes a few rows a minute,
        # and a year of summaries still reads in milliseconds (bench/summary.py).
        connection.execute("PRAGMA cache_size = -512")
        migrate(connection)
        connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
    except sqlite3.DatabaseError as error:
        connection.close()
        if is_corruption(error):
            raise Damaged(str(error)) from None
        if isinstance(error, sqlite3.OperationalError) and "locked" in str(error).lower():
            raise _Busy from None
        raise DatabaseProblem(f"cannot use {path}: {error}") from None
    except BaseException:
        connection.close()
        raise
    return connection


def connect_for_reading(path: Path) -> sqlite3.Connection:
    """A connection that never writes: for summaries, reports and status.

    A missing file reads as an empty database. A read-only data folder is fine (SQLite is asked
    not to lock the file, which nobody can be writing there anyway). An older schema is read
    through temporary views that look like the current one.
    """
    try:
        refuse_link(path)
    except NotARegularFile as error:
        raise DatabaseProblem(said_of(error)) from None
    if not path.exists():
        connection = sqlite3.connect(":memory:", check_same_thread=False)
        migrate(connection)
        return connection
    uri = path.resolve().as_uri()
    try:
        connection = sqlite3.connect(f"{uri}?mode=ro", uri=True, check_same_thread=False)
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        # The folder is read-only and SQLite cannot make its shared-memory file beside the
        # database: read the file as it stands.
        connection = sqlite3.connect(f"{uri}?immutable=1", uri=True, check_same_thread=False)
    except sqlite3.DatabaseError as error:
        raise _damaged_for_reading(path, error) from None
    try:
        _check(connection, path)
        connection.execute(f"PRAGMA busy_timeout = {int(OPEN_TIMEOUT_SECONDS * 1000)}")
        _views_for_older_schema(connection)
    except sqlite3.DatabaseError as error:
        connection.close()
        raise _damaged_for_reading(path, error) from None
    except BaseException:
        connection.close()
        raise
    return connection


def _damaged_for_reading(path: Path, error: sqlite3.DatabaseError) -> DatabaseProblem:
    if is_corruption(error):
        return Damaged(
            Said(
                N_(
                    "{path} is damaged ({error}). Start nudger (`nudger run`): it keeps "
                    "the damaged file and carries over what can still be read"
                ),
                {"path": path, "error": error},
            )
        )
    return DatabaseProblem(f"cannot read {path}: {error}")


def _check(connection: sqlite3.Connection, path: Path) -> None:
    version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise DatabaseProblem(
            Said(
                N_(
                    "{path} was written by a newer nudger (schema {version}; this one "
                    "knows up to {schema_version}). Upgrade nudger to use it; it is left "
                    "as it is"
                ),
                {"path": path, "version": version, "schema_version": SCHEMA_VERSION},
            )
        )
    result = connection.execute("PRAGMA quick_check").fetchone()
    if result is None or result[0] != "ok":
        raise sqlite3.DatabaseError(f"database disk image is malformed ({result})")


def migrate(connection: sqlite3.Connection) -> None:
    """Bring the schema up to date in one exclusive transaction: whoever comes first migrates,
    whoever comes second waits and then finds it done."""
    if int(connection.execute("PRAGMA user_version").fetchone()[0]) >= SCHEMA_VERSION:
        return
    previous = connection.isolation_level
    connection.isolation_level = None  # our own BEGIN and COMMIT
    connection.execute("BEGIN EXCLUSIVE")
    try:
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        for number, statements in enumerate(MIGRATIONS[version:], start=version + 1):
            for statement in statements:
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {number}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    finally:
        connection.isolation_level = previous


def _views_for_older_schema(connection: sqlite3.Connection) -> None:
    version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    if version == 1:  # before `continued`: no visit was a continuation
        connection.execute("CREATE TEMP VIEW visits AS SELECT *, 0 AS continued FROM main.visits")
    if version in (1, 2):  # before the guard and plans: none of either
        connection.execute(MIGRATIONS[2][1].replace("CREATE TABLE", "CREATE TEMP TABLE", 1))
        guard = MIGRATIONS[3][2].replace("CREATE TABLE guard_new", "CREATE TEMP TABLE guard", 1)
        connection.execute(guard)
    if version == 3:  # the guard's notes before they named a browser
        connection.execute("CREATE TEMP VIEW guard AS SELECT *, '' AS detail FROM main.guard")
    if version in (1, 2, 3):  # before the taps on the pause page: none
        connection.execute(MIGRATIONS[3][0].replace("CREATE TABLE", "CREATE TEMP TABLE", 1))


def move_aside(path: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            source.replace(Path(f"{target}{suffix}"))
    return target
