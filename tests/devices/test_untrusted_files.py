"""Files from other devices are untrusted input: a damaged, oversized, newer-schema or hostile
file, or a link, is skipped with one line in `status` and the log, never a crash, never a change
to the local database."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

from nudger.core.types import Visit
from nudger.devices import files
from tests.desktop.rig import wait_until
from tests.devices.homes import home, join, record, summary_json, targets, today_at
from tests.nudger_process import NudgerDaemon, headless_env, run_cli

GIGABYTE = 1024**3


def _id(n: int) -> str:
    return f"{n:024x}"


def _device_file(folder: Path, n: int, *, version: int = 1, extra: str = "") -> Path:
    """A file that looks like another device's, with a twist."""
    path = files.device_file(folder, _id(n))
    connection = sqlite3.connect(path)
    with connection:
        connection.execute(f"PRAGMA application_id = {files.APPLICATION_ID}")
        connection.execute(f"PRAGMA user_version = {version}")
        for statement in files._SCHEMA:
            connection.execute(statement)
        connection.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [("device", _id(n)), ("name", f"device-{n}"), ("written_at", "1700000000.0")],
        )
        if extra:
            connection.executescript(extra)
    connection.close()
    return path


def _plant(folder: Path, own_database: Path) -> dict[str, str]:
    """Each kind of bad file; returns file name -> what its line must say."""
    damaged = files.device_file(folder, _id(1))
    damaged.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    huge = files.device_file(folder, _id(2))
    with huge.open("wb") as handle:  # sparse: a gigabyte on paper, nothing on disk
        handle.truncate(GIGABYTE)
    newer = _device_file(folder, 3, version=99)
    link = files.device_file(folder, _id(4))
    link.symlink_to(own_database)
    # A view where a table should be, looping for ever if it were ever read.
    endless = _device_file(
        folder,
        5,
        extra="DROP TABLE visits; CREATE VIEW visits AS WITH RECURSIVE n(x) AS "
        "(SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT 'blocklist', 'x', 'front', x, x, 0 "
        "FROM n;",
    )
    # A name in the clear where a keyed hash belongs.
    clear = _device_file(
        folder, 6, extra="INSERT INTO visits VALUES ('blocklist', 'Sam', 'front', 1.0, 2.0, 0);"
    )
    # Syncthing's own files and a conflict copy: never read, never mentioned.
    (folder / ".stfolder").mkdir()
    (folder / ".stversions").mkdir()
    (folder / ".syncthing.nudger-device-x.sqlite.tmp").write_bytes(b"partial")
    (folder / f"nudger-device-{_id(7)}.sync-conflict-20261203-101010-ABCDEFG.sqlite").write_bytes(
        b"x"
    )
    return {
        damaged.name: "damaged",
        huge.name: "larger than",
        newer.name: "newer nudger",
        link.name: "link",
        endless.name: "not a nudger device file",
        clear.name: "rows that make no sense",
    }


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_bad_files_are_skipped_with_one_line_each(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    laptop = home(tmp_path, "laptop", ("Sam",))
    record(laptop, Visit("blocklist", "Sam", "title", "front", today_at(9), today_at(9) + 300))
    join(laptop, folder, "laptop")
    database = Path(laptop["NUDGER_DATA_DIR"]) / "nudger.db"
    bad = _plant(folder, database)
    before = _digest(database)

    assert targets(summary_json(laptop)) == {"Sam": 300}
    status = run_cli(laptop, "status")
    lines = [line for line in status.stdout.splitlines() if "in the shared folder" in line]
    assert len(lines) == len(bad), status.stdout
    for name, says in bad.items():
        mine = [line for line in lines if name in line]
        assert len(mine) == 1 and says in mine[0], (name, lines)
    assert "sync-conflict" not in status.stdout and ".syncthing" not in status.stdout
    listing = run_cli(laptop, "devices", "list")
    assert listing.returncode == 0 and listing.stdout.count("in the shared folder") == len(bad)
    assert _digest(database) == before
    assert not any(p.name.endswith(("-journal", "-wal", "-shm")) for p in folder.iterdir())


def test_the_daemon_logs_each_bad_file_once_and_keeps_counting(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    env = headless_env(tmp_path)
    env["NUDGER_DEVICES_PASSPHRASE"] = "lantern over the quiet harbour"
    join(env, folder, "laptop")
    daemon = NudgerDaemon(tmp_path, env)
    bad = _plant(folder, daemon.database)
    daemon.start()
    try:
        wait_until(
            lambda: all(name in daemon.log() for name in bad),
            60,
            lambda: f"each bad file in the log:\n{daemon.log()}",
        )
    finally:
        code = daemon.stop()
    assert code == 0, daemon.log()
    log = daemon.log()
    for name in bad:
        assert sum(1 for line in log.splitlines() if name in line) == 1, (name, log)
    assert "Traceback" not in log
    # And this device's own file was written beside them.
    assert [
        p for p in folder.iterdir() if p.name.startswith("nudger-device-") and "-0000" not in p.name
    ]
