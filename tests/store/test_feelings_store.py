"""The pause page's taps and the companion-off notes in the SQLite store: only the answer and
the time are kept, retention removes them, `forget_notes` deletes them all (and nothing else),
and a database of schema 3 is carried over with its notes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from nudger.core.guard import GuardNote
from nudger.store import Store, database

OFF = GuardNote("companion_off", 3_000.0, 3_100.0, 0.0, "firefox-esr")


def test_a_tap_is_kept_as_the_answer_and_the_time_only(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "nudger.db")
    store.add_feeling("lonely", 1_000.0)
    store.add_feeling("cant_sleep", 2_000.0)
    assert store.feelings_between(0, 10_000) == [(1_000.0, "lonely"), (2_000.0, "cant_sleep")]
    assert store.feelings_between(1_500, 10_000) == [(2_000.0, "cant_sleep")]
    store.close()
    connection = sqlite3.connect(tmp_path / "nudger.db")
    columns = [row[1] for row in connection.execute("PRAGMA table_info(feelings)")]
    connection.close()
    assert columns == ["id", "at", "feeling"]


def test_a_companion_off_note_grows_in_place_and_names_its_browser(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "nudger.db")
    store.extend_guard_note(GuardNote("companion_off", 3_000.0, 3_040.0, 0.0, "firefox-esr"))
    store.extend_guard_note(OFF)
    store.extend_guard_note(GuardNote("companion_off", 3_000.0, 3_050.0, 0.0, "firefox-esr"))
    assert store.guard_notes_between(0, 10_000) == [OFF]
    store.close()


def test_retention_removes_old_taps_and_forget_deletes_notes_and_taps_only(
    tmp_path: Path,
) -> None:
    store = Store.open(tmp_path / "nudger.db")
    store.add_feeling("sad", 1_000.0)
    store.add_feeling("bored", 5_000.0)
    store.add_guard_note(OFF)
    number = store.add_plan("If I can't sleep, then I read.", 10.0)
    store.forget_before(2_000.0)
    assert store.feelings_between(0, 10_000) == [(5_000.0, "bored")]
    assert store.forget_notes() == (1, 1)
    assert store.feelings_between(0, 10_000) == []
    assert store.guard_notes_between(0, 10_000) == []
    assert store.plans() == [(number, "If I can't sleep, then I read.")]
    store.close()


def test_a_database_of_schema_3_keeps_its_notes_and_reads_before_it_is_upgraded(
    tmp_path: Path,
) -> None:
    path = tmp_path / "nudger.db"
    connection = sqlite3.connect(path)
    for number, statements in enumerate(database.MIGRATIONS[:3], start=1):
        for statement in statements:
            connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {number}")
    connection.execute(
        "INSERT INTO guard (kind, started_at, ended_at, amount) "
        "VALUES ('not_running', 1000, 1600, 0)"
    )
    connection.commit()
    connection.close()
    gap = GuardNote("not_running", 1_000.0, 1_600.0)
    reading = Store.open_for_reading(path)
    assert reading.guard_notes_between(0, 1e12) == [gap]
    assert reading.feelings_between(0, 1e12) == []
    reading.close()
    writing = Store.open(path)
    assert writing.guard_notes_between(0, 1e12) == [gap]
    writing.add_guard_note(OFF)
    writing.add_feeling("fine", 4_000.0)
    assert writing.guard_notes_between(0, 1e12) == [gap, OFF]
    writing.close()
