"""nudger.devices.files on a real folder: this device's file written whole and read back; the
folder's limits."""

from __future__ import annotations

import stat
from pathlib import Path

from nudger.core.devices import entry_hash
from nudger.devices import files
from nudger.devices.files import Contents

KEY = b"k" * 32
SAM = entry_hash(KEY, "blocklist", "Sam")


def _contents(name: str = "laptop") -> Contents:
    return Contents(
        name=name,
        first_run_at=1000.0,
        visits=(("blocklist", SAM, "front", 2000.0, 2060.0, 0),),
        nudges=((2030.0, "blocklist", SAM, "pause", 1, None, 1),),
    )


def test_written_whole_private_and_read_back(tmp_path: Path) -> None:
    device = "a" * 24
    path = files.write_own(tmp_path, device, _contents(), now=3000.0)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no temporary file left
    view = files.read_folder(tmp_path, own_id="b" * 24)
    [other] = view.devices
    assert (other.id, other.name, other.last_change, other.first_run_at) == (
        device,
        "laptop",
        3000.0,
        1000.0,
    )
    assert [(v.target, v.started_at, v.ended_at) for v in other.visits] == [(SAM, 2000.0, 2060.0)]
    assert [(n.reason, n.heeded) for n in other.nudges] == [("pause", True)]
    # Its own file is never counted again by the device that wrote it.
    mine = files.read_folder(tmp_path, own_id=device)
    assert mine.devices == () and mine.own_last_change == 3000.0


def test_conflict_copies_and_temporary_files_are_not_read(tmp_path: Path) -> None:
    path = files.write_own(tmp_path, "a" * 24, _contents(), now=3000.0)
    conflict = tmp_path / path.name.replace(".sqlite", ".sync-conflict-20261203-101010-ABC.sqlite")
    conflict.write_bytes(path.read_bytes())
    (tmp_path / f".syncthing.{path.name}.tmp").write_bytes(path.read_bytes())
    view = files.read_folder(tmp_path, own_id="b" * 24)
    assert len(view.devices) == 1 and view.skipped == ()


def test_a_folder_full_of_devices_is_read_only_so_far(tmp_path: Path) -> None:
    for n in range(files.MAX_DEVICES + 3):
        files.write_own(tmp_path, f"{n:024x}", _contents(f"device-{n}"), now=3000.0)
    view = files.read_folder(tmp_path, own_id="f" * 24)
    assert len(view.devices) == files.MAX_DEVICES
    assert len(view.skipped) == 3
    assert all("more than" in s.reason.text for s in view.skipped)
