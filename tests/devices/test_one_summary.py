"""`nudger summary` across two homes (two devices) sharing one folder, through the real command."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from nudger.core.translate import ENGLISH
from nudger.core.types import Visit
from nudger.shell import pages
from tests.devices.homes import (
    day_at,
    home,
    join,
    record,
    summary_json,
    targets,
    today_at,
    two_devices,
)
from tests.nudger_process import run_cli

UNKNOWN = "a person on another device"


def _two_homes(tmp_path: Path) -> tuple[dict[str, str], dict[str, str], Path]:
    folder = tmp_path / "shared"
    folder.mkdir()
    laptop, desktop = two_devices(tmp_path)
    join(laptop, folder, "laptop")
    join(desktop, folder, "desktop")
    return laptop, desktop, folder


def test_both_devices_once_overlap_once_names_only_where_known(tmp_path: Path) -> None:
    laptop, desktop, folder = _two_homes(tmp_path)
    on_laptop, on_desktop = summary_json(laptop), summary_json(desktop)
    # Sam: 10:00-10:15 in all, not 10 + 10 minutes; Alex is only the desktop's entry.
    assert targets(on_laptop) == {"Sam": 900, UNKNOWN: 120, "Reddit": 300}
    assert targets(on_desktop) == {"Sam": 900, "Alex": 120, "Reddit": 300}
    assert on_laptop["blocklist_seconds"] == on_desktop["blocklist_seconds"] == 1020
    assert on_laptop["blocklist_visits"] == 2  # the visit on two screens is one visit
    # This device never twice: its own file in the folder is not read again.
    assert [(d["name"], d["this_device"]) for d in on_laptop["devices"]] == [  # type: ignore[index]
        ("laptop", True),
        ("desktop", False),
    ]
    alone = summary_json(laptop, "--this-device")
    assert targets(alone) == {"Sam": 600, "Reddit": 300}
    # No name, title or address in the folder: only keyed hashes.
    for file in folder.iterdir():
        raw = file.read_bytes()
        for secret in (b"Sam", b"Alex", b"Reddit", b"Photos"):
            assert secret not in raw, (file.name, secret)


def test_clear_days_are_true_across_devices(tmp_path: Path) -> None:
    laptop, desktop, _folder = _two_homes(tmp_path)
    # The laptop was watching two days ago and had a clear day yesterday; the desktop did not.
    record(laptop, Visit("site", "Reddit", "title", "front", day_at(2, 12), day_at(2, 12) + 60))
    record(desktop, Visit("blocklist", "Alex", "title", "front", day_at(1, 12), day_at(1, 12) + 60))
    assert run_cli(desktop, "devices", "write").returncode == 0
    yesterday = dt.date.fromtimestamp(day_at(1, 12)).isoformat()
    alone = summary_json(laptop, "--date", yesterday, "--this-device")
    together = summary_json(laptop, "--date", yesterday)
    assert alone["streak"]["days_without_blocklist"] == 2  # type: ignore[index]
    assert together["streak"]["days_without_blocklist"] == 0  # type: ignore[index]
    text = run_cli(laptop, "summary", "--date", yesterday)
    assert text.returncode == 0 and "another device" in text.stdout


def test_forget_removes_the_file_and_keeps_it_out(tmp_path: Path) -> None:
    laptop, desktop, folder = _two_homes(tmp_path)
    result = run_cli(laptop, "devices", "forget", "desktop")
    assert result.returncode == 0, result.stderr
    assert targets(summary_json(laptop)) == {"Sam": 600, "Reddit": 300}
    tombstones = [p.name for p in folder.iterdir() if p.name.startswith("nudger-forgotten-")]
    assert len(tombstones) == 1
    listing = run_cli(laptop, "devices", "list")
    assert "desktop" not in listing.stdout and "laptop" in listing.stdout
    # Nothing new on the desktop: writing again brings nothing back ...
    assert run_cli(desktop, "devices", "write").returncode == 0
    assert "desktop" not in run_cli(laptop, "devices", "list").stdout
    assert targets(summary_json(laptop)) == {"Sam": 600, "Reddit": 300}
    # ... and once it writes anew (a new visit), it is counted again.
    record(desktop, Visit("blocklist", "Alex", "title", "front", today_at(11), today_at(11) + 60))
    assert run_cli(desktop, "devices", "write").returncode == 0
    assert UNKNOWN in targets(summary_json(laptop))
    refused = run_cli(laptop, "devices", "forget", "laptop")
    assert refused.returncode == 2 and "this computer" in refused.stderr


def test_a_wrong_passphrase_is_told_at_once(tmp_path: Path) -> None:
    _laptop, _desktop, folder = _two_homes(tmp_path)
    third = home(tmp_path, "third")
    third["NUDGER_DEVICES_PASSPHRASE"] = "another one"
    result = run_cli(third, "devices", "folder", str(folder))
    assert result.returncode != 0 and "passphrase" in result.stderr
    assert not (Path(third["NUDGER_DATA_DIR"]) / "devices.json").exists()


def test_off_stops_counting_others(tmp_path: Path) -> None:
    laptop, _desktop, _folder = _two_homes(tmp_path)
    assert run_cli(laptop, "devices", "folder", "--off").returncode == 0
    document = summary_json(laptop)
    assert targets(document) == {"Sam": 600, "Reddit": 300}
    assert "devices" not in document


def test_a_folder_that_is_gone_is_said_not_hidden(tmp_path: Path) -> None:
    laptop, _desktop, folder = _two_homes(tmp_path)
    record(laptop, Visit("site", "Reddit", "title", "front", today_at(12), today_at(12) + 60))
    for file in folder.iterdir():
        file.unlink()
    folder.rmdir()
    result = run_cli(laptop, "devices", "write")
    assert result.returncode == 1 and "cannot write this computer's file" in result.stderr
    assert "Traceback" not in result.stderr
    # The summary still works: this computer's own days, and the folder's absence in one line.
    assert targets(summary_json(laptop)) == {"Sam": 600, "Reddit": 360}
    status = run_cli(laptop, "status").stdout
    assert sum(1 for line in status.splitlines() if "in the shared folder" in line) == 1, status


def test_the_companion_s_today_page_counts_every_device_as_the_summary_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop, _desktop, _folder = _two_homes(tmp_path)
    for key, value in laptop.items():
        monkeypatch.setenv(key, value)
    shown = pages.today(Path(laptop["NUDGER_CONFIG"]), ENGLISH)
    assert shown["day"] == summary_json(laptop)
    assert targets(shown["day"]) == {"Sam": 900, UNKNOWN: 120, "Reddit": 300}
