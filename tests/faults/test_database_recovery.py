"""The database under stress: starting while another process opens it, and one damaged page."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import sqlite3
import time
from pathlib import Path
from typing import Any

from nudger.core.translate import ENGLISH
from nudger.core.types import Visit
from nudger.shell.history import FIRST_RUN_KEY
from nudger.store import Store
from nudger.store.database import SCHEMA_VERSION, connect
from tests.nudger_process import headless_env, run_cli

PAGE = 4096


def open_at_once(path: str, barrier: Any, results: Any) -> None:
    barrier.wait()
    try:
        connection = connect(Path(path))
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        connection.close()
    except Exception as error:  # noqa: BLE001 - the test reports whatever went wrong
        results.put(f"{type(error).__name__}: {error}")
        return
    results.put(f"ok {version}")


def test_many_processes_opening_a_new_database_at_once_migrate_it_once(tmp_path: Path) -> None:
    for attempt in range(5):
        path = tmp_path / f"attempt{attempt}" / "nudger.db"
        path.parent.mkdir()
        context = multiprocessing.get_context("fork")
        barrier, queue = context.Barrier(12), context.Queue()
        workers = [
            context.Process(target=open_at_once, args=(str(path), barrier, queue))
            for _ in range(12)
        ]
        for worker in workers:
            worker.start()
        results = [queue.get(timeout=60) for _ in workers]
        for worker in workers:
            worker.join(timeout=10)
        assert results == [f"ok {SCHEMA_VERSION}"] * 12, results
        with sqlite3.connect(path) as check:
            tables = check.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
            assert tables.fetchone()[0] == 6  # visits, nudges, meta, guard, plans, feelings


def sixty_days(path: Path) -> tuple[float, int]:
    """A database with sixty days of visits (one to the blocklist on day 5), as kept so far."""
    store = Store.open(path)
    start = dt.datetime(2026, 9, 1, 12, 0).timestamp()
    store.set_meta(FIRST_RUN_KEY, str(start - 3600))
    visits = []
    for day in range(60):
        for hour in range(24):
            at = start + day * 86400 + hour * 600
            visits.append(Visit("site", "Instagram", "title", "front", at, at + 120))
        if day == 5:
            visits.append(
                Visit(
                    "blocklist", "Alex", "title", "front", start + 5 * 86400, start + 5 * 86400 + 30
                )
            )
    store.save_visits(visits)
    store.close()
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return start, len(visits)


def damage_one_page(path: Path) -> None:
    """Overwrite one page in the middle of the visits with noise, as a bad sector would."""
    # SQLite's own map of its pages (dbstat) says which hold the visits' rows, whatever other
    # tables the schema has.
    with sqlite3.connect(path) as connection:
        leaves = [
            int(row[0])
            for row in connection.execute(
                "SELECT pageno FROM dbstat WHERE name = 'visits' AND pagetype = 'leaf' "
                "ORDER BY pageno"
            )
        ]
    connection.close()
    middle = leaves[len(leaves) // 2] - 1  # pages are numbered from 1
    data = bytearray(path.read_bytes())
    data[middle * PAGE : (middle + 1) * PAGE] = bytes((i * 7 + 13) % 251 for i in range(PAGE))
    path.write_bytes(bytes(data))


def test_one_damaged_page_costs_only_its_own_rows(tmp_path: Path) -> None:
    env = headless_env(tmp_path)
    data = Path(env["NUDGER_DATA_DIR"])
    data.mkdir(mode=0o700)
    database = data / "nudger.db"
    start, stored = sixty_days(database)
    damage_one_page(database)
    damaged = database.read_bytes()

    # A reading command says so, and leaves the file exactly as it is.
    summary = run_cli(env, "summary", "--date", "2026-10-30")
    assert summary.returncode == 1
    assert "damaged" in summary.stderr and "nudger run" in summary.stderr
    assert "Traceback" not in summary.stderr
    assert database.read_bytes() == damaged and not list(data.glob("*.corrupt-*"))

    # The daemon (here its store, as it opens it) keeps the file and carries the rest over.
    store = Store.open(database)
    assert store.moved_aside is not None and store.moved_aside.read_bytes() == damaged
    assert store.salvaged is not None
    carried = store.salvaged.copied["visits"]
    assert stored * 0.85 <= carried < stored, store.salvaged.describe(ENGLISH)
    assert store.get_meta(FIRST_RUN_KEY) == str(start - 3600), "when watching began is kept"
    store.close()

    # History and the streak are still there to see.
    shown = run_cli(env, "summary", "--json", "--date", "2026-10-30")
    assert shown.returncode == 0, shown.stderr
    assert '"tracked_since": "2026-09-01"' in shown.stdout
    time.sleep(0.1)


def test_plans_are_carried_over_from_a_damaged_file(tmp_path: Path) -> None:
    """A plan is the person's own words: a damaged page elsewhere must not take it away."""
    database = tmp_path / "nudger.db"
    sixty_days(database)
    store = Store.open(database)
    store.add_plan("If it's late, then I read.", time.time())
    store.add_feeling("lonely", time.time())
    store.close()
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    damage_one_page(database)

    store = Store.open(database)
    assert store.moved_aside is not None, "the file was damaged"
    assert [text for _number, text in store.plans()] == ["If it's late, then I read."]
    assert [feeling for _at, feeling in store.feelings_between(0, 1e12)] == ["lonely"]
    store.close()
