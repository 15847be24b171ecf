"""The guard's notes and the plans in the SQLite store: kept once, read back, and what the
retention setting removes (notes) and keeps (the person's plans)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from nudger.core.guard import GuardNote
from nudger.store import Store, database

GAP = GuardNote("not_running", 1_000.0, 1_600.0)


def test_a_note_written_twice_is_kept_once_and_read_back_where_it_overlaps(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "nudger.db")
    store.add_guard_note(GAP)
    store.add_guard_note(GAP)
    step = GuardNote("clock_step", 2_000.0, 2_000.0, -3600.0)
    store.add_guard_note(step)
    assert store.guard_notes_between(0, 10_000) == [GAP, step]
    assert store.guard_notes_between(1_500, 1_900) == [GAP]
    assert store.guard_notes_between(1_700, 1_900) == []
    store.close()


def test_retention_removes_old_notes_and_keeps_plans(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "nudger.db")
    store.add_guard_note(GAP)
    later = GuardNote("loosened", 5_000.0, 5_000.0)
    store.add_guard_note(later)
    number = store.add_plan("If late, then read.", 100.0)
    store.forget_before(2_000.0)
    assert store.guard_notes_between(0, 10_000) == [later]
    assert store.plans() == [(number, "If late, then read.")]
    assert store.remove_plans() == 1 and store.plans() == []
    store.close()


def test_a_database_from_before_the_guard_reads_as_having_no_notes_or_plans(
    tmp_path: Path,
) -> None:
    path = tmp_path / "nudger.db"
    connection = sqlite3.connect(path)
    for number, statements in enumerate(database.MIGRATIONS[:2], start=1):
        for statement in statements:
            connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {number}")
    connection.commit()
    connection.close()
    reading = Store.open_for_reading(path)
    assert reading.guard_notes_between(0, 1e12) == [] and reading.plans() == []
    reading.close()
    writing = Store.open(path)  # brought up to date
    writing.add_guard_note(GAP)
    assert writing.guard_notes_between(0, 1e12) == [GAP]
    writing.close()
