"""The SQLite store, on real SQLite files."""

from __future__ import annotations

import logging
import sqlite3
import stat
from pathlib import Path

import pytest

from nudger.core.types import Visit
from nudger.shell.faults import FaultLog
from nudger.shell.recorder import Recorder
from nudger.store import Store, StoreError, database
from nudger.store.database import SCHEMA_VERSION


def visit(start: float, end: float, target: str = "Instagram", kind: str = "site") -> Visit:
    return Visit(kind, target, "title", "front", start, end)  # type: ignore[arg-type]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_directory_and_files_are_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = Store.open(data / "nudger.db")
    store.save_visits([visit(100, 110)])
    assert mode(data) == 0o700
    for name in ("nudger.db", "nudger.db-wal", "nudger.db-shm"):
        assert (data / name).exists(), name
        assert mode(data / name) == 0o600, name
    store.close()


def test_an_existing_loose_directory_is_tightened(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    Store.open(data / "nudger.db").close()
    assert mode(data) == 0o700


def test_wal_mode_and_schema_version(tmp_path: Path) -> None:
    Store.open(tmp_path / "nudger.db").close()
    connection = sqlite3.connect(tmp_path / "nudger.db")
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_saving_an_open_visit_again_updates_the_same_row(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "nudger.db")
    store.save_visits([visit(100, 105)])
    store.save_visits([visit(100, 110)])
    assert [(v.started_at, v.ended_at) for v in store.visits_between(0, 1000)] == [(100, 110)]
    store.save_visits(
        [visit(100, 102)]
    )  # idle noticed later cuts the visit back: the last word wins
    assert [(v.started_at, v.ended_at) for v in store.visits_between(0, 1000)] == [(100, 102)]


def test_visits_between_returns_overlapping_visits(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "nudger.db")
    store.save_visits(
        [visit(50, 99), visit(90, 120, "Reddit"), visit(150, 150, "X"), visit(200, 300)]
    )
    found = [(v.target, v.started_at) for v in store.visits_between(100, 200)]
    assert found == [("Reddit", 90), ("X", 150)]


def test_a_file_that_is_not_a_database_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "nudger.db"
    path.write_bytes(b"this is not sqlite at all" * 100)
    store = Store.open(path)
    assert store.moved_aside is not None
    assert store.moved_aside.name.startswith("nudger.db.corrupt-")
    assert store.moved_aside.read_bytes().startswith(b"this is not sqlite")
    store.save_visits([visit(1, 2)])
    assert len(store.visits_between(0, 10)) == 1


def test_a_database_from_a_newer_nudger_is_refused_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "nudger.db"
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    with pytest.raises(StoreError, match="newer nudger"):
        Store.open(path)


def test_a_locked_database_raises_store_error_quickly(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "nudger.db")
    other = sqlite3.connect(tmp_path / "nudger.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    with pytest.raises(StoreError, match="locked"):
        store.save_visits([visit(1, 2)])
    other.execute("ROLLBACK")
    store.save_visits([visit(1, 2)])
    assert len(store.visits_between(0, 10)) == 1


def test_the_recorder_keeps_visits_while_locked_and_spaces_out_its_tries(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "nudger.db")
    recorder = Recorder(store, FaultLog(logging.getLogger("test")))
    other = sqlite3.connect(tmp_path / "nudger.db", isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    recorder.add([visit(1, 2)])
    assert recorder.flush([visit(5, 6, "X")], now=100.0) is False  # tried, locked
    assert recorder.flush([visit(5, 7, "X")], now=100.5) is False  # too soon: not even tried
    assert recorder.pending == 1
    other.execute("ROLLBACK")
    assert recorder.flush([visit(5, 8, "X")], now=100.6) is False  # still waiting out the pause
    assert recorder.flush([visit(5, 9, "X")], now=101.1) is True
    assert [(v.target, v.ended_at) for v in store.visits_between(0, 10)] == [
        ("Instagram", 2),
        ("X", 9),
    ]
    assert recorder.pending == 0


def test_deleted_visits_do_not_linger_in_the_file(tmp_path: Path) -> None:
    """privacy.keep_days deletes old visits; with secure_delete their bytes are overwritten,
    not left in the file's free pages for anyone who reads it raw."""
    path = tmp_path / "nudger.db"
    store = Store.open(path)
    store.save_visits([visit(100 + i, 110 + i, target=f"Zebediah{i:03d}") for i in range(300)])
    store.save_visits([visit(10_000, 10_010, target="Recent")])
    assert store.forget_before(5000) == 300
    store.close()
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("nudger.db*"))
    assert b"Recent" in raw, "the check reads the bytes that are there"
    assert b"Zebediah" not in raw
    # Some SQLite builds (this machine's among them) overwrite deleted rows by default; the
    # store asks for it whatever the build.
    connection = database.connect(path)
    assert connection.execute("PRAGMA secure_delete").fetchone()[0] == 1
    connection.close()
