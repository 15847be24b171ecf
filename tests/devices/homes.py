"""Two nudger homes on this machine (two devices), sharing one folder or two synced ones."""

from __future__ import annotations

import json
import time
from pathlib import Path

from nudger.core.types import Visit
from nudger.store import Store
from tests.nudger_process import isolated_env, run_cli

PASSPHRASE = "lantern over the quiet harbour"


def home(tmp: Path, name: str, blocklist: tuple[str, ...] = ()) -> dict[str, str]:
    env = isolated_env(tmp / name)
    entries = "".join(
        f'[[blocklist]]\nname = "{entry}"\nmatch = ["{entry}"]\n' for entry in blocklist
    )
    Path(env["NUDGER_CONFIG"]).write_text(entries, encoding="utf-8")
    env["NUDGER_DEVICES_PASSPHRASE"] = PASSPHRASE
    return env


def record(env: dict[str, str], *visits: Visit) -> None:
    """Visits as the daemon's tracker writes them, into this home's own database."""
    store = Store.open(Path(env["NUDGER_DATA_DIR"]) / "nudger.db")
    try:
        store.save_visits(visits)
    finally:
        store.close()


def join(env: dict[str, str], folder: Path, name: str) -> None:
    result = run_cli(env, "devices", "folder", str(folder), "--name", name)
    assert result.returncode == 0, result.stderr


def summary_json(env: dict[str, str], *extra: str) -> dict[str, object]:
    result = run_cli(env, "summary", "--json", *extra)
    assert result.returncode == 0, result.stderr
    document: dict[str, object] = json.loads(result.stdout)
    return document


def targets(document: dict[str, object]) -> dict[str, float]:
    listed = document["targets"]
    assert isinstance(listed, list)
    return {t["name"]: t["seconds"] for t in listed}


# nudger's days begin at 04:00 (summary.day_starts_at): between midnight and then, "today" is
# still the calendar's yesterday.
DAY_STARTS_SECONDS = 4 * 3600


def today_at(hour: int, minute: int = 0) -> float:
    """A moment in today (nudger's day; local time), so the day's summary holds it. It may lie
    later than now: just after the day begins (04:00) there is no earlier 10:00 in it."""
    now = time.localtime(time.time() - DAY_STARTS_SECONDS)
    return time.mktime((now.tm_year, now.tm_mon, now.tm_mday, hour, minute, 0, 0, 0, -1))


def day_at(days_ago: int, hour: int) -> float:
    """A moment `days_ago` days back, at `hour` local time."""
    then = time.localtime(time.time() - DAY_STARTS_SECONDS - days_ago * 86400)
    return time.mktime((then.tm_year, then.tm_mon, then.tm_mday, hour, 0, 0, 0, 0, -1))


def two_devices(tmp: Path) -> tuple[dict[str, str], dict[str, str]]:
    """A laptop (blocklist: Sam) and a desktop (Sam and Alex), each with today's visits: Sam on
    both screens at once for 5 of their minutes (10:00-10:10 and 10:05-10:15), Reddit on the
    laptop, Alex only on the desktop. Not yet joined to any folder."""
    laptop = home(tmp, "laptop", ("Sam",))
    desktop = home(tmp, "desktop", ("Sam", "Alex"))
    start = today_at(10)
    record(
        laptop,
        Visit("blocklist", "Sam", "title", "front", start, start + 600, "Sam - Photos"),
        Visit("site", "Reddit", "title", "front", start + 3600, start + 3900),
    )
    record(
        desktop,
        Visit("blocklist", "Sam", "title", "front", start + 300, start + 900),
        Visit("blocklist", "Alex", "title", "front", start + 7200, start + 7320),
    )
    return laptop, desktop
