"""The daemon's status file: rewritten after most samples with one open and one rename, yet
private from its first byte, never through a link, and made again when its folder goes."""

from __future__ import annotations

import os
import shutil
import stat
import time
from pathlib import Path

import pytest

from nudger.shell.instance import STATUS_NAME, DaemonStatus, InstanceLock, read_status

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes and links are POSIX's")


def a_status(**fields: object) -> DaemonStatus:
    now = time.time()
    base: dict[str, object] = {
        "pid": os.getpid(),
        "started_at": now,
        "backend": "x11",
        "sensor_connected": True,
        "last_sample_at": now,
        "updated_at": now,
    }
    return DaemonStatus(**{**base, **fields})  # type: ignore[arg-type]


def test_each_write_is_private_and_read_back_whole(tmp_path: Path) -> None:
    lock = InstanceLock(tmp_path)
    lock.acquire()
    try:
        for n in range(3):
            lock.write_status(a_status(in_front=(f"site:Site{n}",)))
            status = read_status(tmp_path)
            assert status is not None
            assert status.in_front == (f"site:Site{n}",)
            assert stat.S_IMODE((tmp_path / STATUS_NAME).stat().st_mode) == 0o600
        assert not (tmp_path / f".{STATUS_NAME}.tmp").exists()
    finally:
        lock.release()
    assert not (tmp_path / STATUS_NAME).exists()


def test_a_link_at_the_temporary_name_is_not_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("someone else's file")
    data = tmp_path / "data"
    lock = InstanceLock(data)
    lock.acquire()
    try:
        (data / f".{STATUS_NAME}.tmp").symlink_to(elsewhere)
        lock.write_status(a_status())
        status = read_status(data)
        assert status is not None and status.backend == "x11"
        assert elsewhere.read_text() == "someone else's file"
        assert not (data / STATUS_NAME).is_symlink()
    finally:
        lock.release()


def test_a_folder_deleted_while_running_is_made_again(tmp_path: Path) -> None:
    data = tmp_path / "data"
    lock = InstanceLock(data)
    lock.acquire()
    try:
        shutil.rmtree(data)
        lock.write_status(a_status(backend="sway"))
        status = read_status(data)
        assert status is not None and status.backend == "sway"
        assert stat.S_IMODE(data.stat().st_mode) == 0o700
    finally:
        lock.release()
