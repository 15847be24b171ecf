"""Two real nudger daemons (two homes: two devices) watching one X11 desktop, their folders kept
in step by two real Syncthings on 127.0.0.1. Both see the same window at the same moments: the
summary on each side counts those moments once, names only its own entries, and shows the other
device's time within 60 s of its daemon writing (which it does when it stops)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.desktop.rig import Desktop, wait_until
from tests.devices.homes import PASSPHRASE, join, summary_json, targets
from tests.devices.syncthing_rig import SYNC_DEADLINE, assert_loopback_only, synced_pair
from tests.nudger_process import NudgerDaemon, isolated_env

pytestmark = pytest.mark.desktop

LAPTOP = '[[blocklist]]\nname = "Sam"\nmatch = ["Sam Rivers"]\n'
DESKTOP = LAPTOP + '[[blocklist]]\nname = "Alex"\nmatch = ["Alex Morgan"]\n'
UNKNOWN = "a person on another device"


def _daemon(tmp: Path, desktop: Desktop, name: str, config: str) -> NudgerDaemon:
    env = isolated_env(tmp / name, desktop.env)
    # Each home its own runtime folder, as two people (or two computers) have.
    runtime = tmp / name / "runtime"
    runtime.mkdir(mode=0o700)
    env["XDG_RUNTIME_DIR"] = str(runtime)
    env["NUDGER_DEVICES_PASSPHRASE"] = PASSPHRASE
    return NudgerDaemon(tmp / name, env, config)


def test_two_daemons_one_summary_through_syncthing(tmp_path: Path, desktop: Desktop) -> None:
    laptop = _daemon(tmp_path, desktop, "laptop", LAPTOP)
    other = _daemon(tmp_path, desktop, "desktop", DESKTOP)
    with synced_pair(tmp_path) as (laptop_sync, desktop_sync, laptop_folder, desktop_folder):
        assert_loopback_only(laptop_sync)
        assert_loopback_only(desktop_sync)
        join(laptop.env, laptop_folder, "laptop")
        wait_until(
            (desktop_folder / "nudger-folder.json").exists,
            SYNC_DEADLINE,
            "the folder's salt to reach the desktop",
        )
        join(other.env, desktop_folder, "desktop")
        try:
            laptop.start().wait_watching()
            other.start().wait_watching()
            window = desktop.open_xterm("Sam Rivers - Photos")
            desktop.activate(window)
            laptop.wait_for_visit("blocklist", "Sam", min_seconds=5, timeout=60)
            other.wait_for_visit("blocklist", "Sam", min_seconds=5, timeout=60)
            desktop.retitle(window, "Alex Morgan - chat")
            other.wait_for_visit("blocklist", "Alex", min_seconds=2, timeout=60)
            desktop.retitle(window, "notes.txt")
        finally:
            assert laptop.stop() == 0, laptop.log()
            assert other.stop() == 0, other.log()

        laptop_sam = laptop.seconds_for("blocklist", "Sam")
        desktop_sam = other.seconds_for("blocklist", "Sam")
        alex = other.seconds_for("blocklist", "Alex")
        assert laptop.seconds_for("blocklist", "Alex") == -1  # the laptop has no such entry

        def both_on(env: dict[str, str], alex_as: str) -> dict[str, float]:
            seen: dict[str, float] = {}

            def there() -> bool:
                document = summary_json(env)
                seen.clear()
                seen.update(targets(document))
                return alex_as in seen and len(document["devices"]) == 2  # type: ignore[arg-type]

            wait_until(there, SYNC_DEADLINE, lambda: f"both devices' time, saw {seen}")
            return seen

        for env, alex_as in ((laptop.env, UNKNOWN), (other.env, "Alex")):
            seen = both_on(env, alex_as)
            # The same moments on two screens count once: the union, not the sum.
            assert max(laptop_sam, desktop_sam) <= seen["Sam"] + 1
            assert seen["Sam"] <= max(laptop_sam, desktop_sam) + 3
            assert seen["Sam"] < laptop_sam + desktop_sam - 1  # never near the sum (each >= 5 s)
            assert abs(seen[alex_as] - alex) <= 1
            assert "Alex" not in seen if alex_as == UNKNOWN else UNKNOWN not in seen
