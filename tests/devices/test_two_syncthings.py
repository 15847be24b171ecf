"""Two computers, two real Syncthing instances on the loopback address, two nudger homes: each
side's summary shows both devices' time within 60 s, nothing doubled, names only where the
device has the entry, and a forgotten device is gone on both sides."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.desktop.rig import wait_until
from tests.devices.homes import join, summary_json, targets, two_devices
from tests.devices.syncthing_rig import SYNC_DEADLINE, Syncthing, assert_loopback_only, synced_pair
from tests.nudger_process import run_cli

UNKNOWN = "a person on another device"


@pytest.fixture
def two_syncthings(tmp_path: Path) -> Iterator[tuple[Syncthing, Syncthing, Path, Path]]:
    with synced_pair(tmp_path) as pair:
        yield pair


def test_one_summary_through_two_real_syncthings(
    tmp_path: Path, two_syncthings: tuple[Syncthing, Syncthing, Path, Path]
) -> None:
    laptop_sync, desktop_sync, laptop_folder, desktop_folder = two_syncthings
    for instance in (laptop_sync, desktop_sync):
        assert_loopback_only(instance)

    laptop, desktop = two_devices(tmp_path)
    # The first computer sets the folder up; the second joins once the salt has arrived.
    join(laptop, laptop_folder, "laptop")
    wait_until(
        (desktop_folder / "nudger-folder.json").exists,
        SYNC_DEADLINE,
        "the folder's salt to reach the desktop",
    )
    join(desktop, desktop_folder, "desktop")

    expected = {
        "laptop": {"Sam": 900, UNKNOWN: 120, "Reddit": 300},
        "desktop": {"Sam": 900, "Alex": 120, "Reddit": 300},
    }
    for name, env in (("laptop", laptop), ("desktop", desktop)):
        seen: list[object] = []

        def shows_both(
            env: dict[str, str] = env, seen: list[object] = seen, want: object = expected[name]
        ) -> bool:
            seen[:] = [targets(summary_json(env))]
            return seen[0] == want

        wait_until(shows_both, SYNC_DEADLINE, lambda seen=seen: f"both devices, saw {seen}")
        document = summary_json(env)
        assert document["blocklist_seconds"] == 1020  # nothing doubled
        names = sorted(d["name"] for d in document["devices"])  # type: ignore[union-attr]
        assert names == ["desktop", "laptop"]
        status = run_cli(env, "status")
        assert "in the shared folder" not in status.stdout  # Syncthing's own files are ignored
    assert (laptop_folder / ".stfolder").exists()

    # Forgotten on the laptop: gone from both folders and from the laptop's count.
    # Counted before forgetting: Syncthing may carry the deletion across at once.
    desktop_file = [p.name for p in desktop_folder.iterdir() if p.name.startswith("nudger-device-")]
    assert len(desktop_file) == 2
    assert run_cli(laptop, "devices", "forget", "desktop").returncode == 0
    wait_until(
        lambda: (
            sum(1 for p in desktop_folder.iterdir() if p.name.startswith("nudger-device-")) == 1
            and any(p.name.startswith("nudger-forgotten-") for p in desktop_folder.iterdir())
        ),
        SYNC_DEADLINE,
        lambda: (
            f"the forgetting to reach the desktop: {sorted(p.name for p in desktop_folder.iterdir())}"
        ),
    )
    assert targets(summary_json(laptop)) == {"Sam": 600, "Reddit": 300}
    listed = run_cli(desktop, "devices", "list").stdout
    assert "desktop (this computer), last change not yet written" in listed
    assert [d["name"] for d in summary_json(laptop)["devices"]] == ["laptop"]  # type: ignore[index]
