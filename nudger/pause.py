"""Pausing nudges: `nudger pause 1h`, a "Snooze 1 h" button, and `nudger resume`.

The pause lives in a small file in the data dir, so it works from another terminal, survives a
restart, and the daemon notices it with one stat() per sample.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from nudger.paths import write_private_atomic

PAUSE_NAME = "pause.json"
_DURATION = re.compile(
    r"(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s)?", re.I
)


@dataclass(frozen=True, slots=True)
class Pause:
    until: float
    set_at: float
    reason: Literal["pause", "snooze"] = "pause"


class PauseFile:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / PAUSE_NAME
        self._seen: tuple[tuple[int, int], Pause | None] | None = None

    def current(self, now: float) -> Pause | None:
        """The pause in force at `now`, if any. Re-reads the file only when it changed."""
        try:
            info = self.path.stat()
        except FileNotFoundError:
            self._seen = None
            return None
        # The inode changes with every atomic rewrite, even where mtimes are coarse.
        stamp = (info.st_ino, info.st_mtime_ns)
        if self._seen is None or self._seen[0] != stamp:
            self._seen = (stamp, self._read())
        pause = self._seen[1]
        return pause if pause is not None and pause.until > now else None

    def set(self, pause: Pause) -> None:
        write_private_atomic(self.path, json.dumps(asdict(pause)))

    def clear(self) -> bool:
        """Remove any pause. True if there was one."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
            return True
        return False

    def _read(self) -> Pause | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return Pause(float(data["until"]), float(data["set_at"]), data.get("reason", "pause"))
        except (OSError, ValueError, KeyError, TypeError):
            return None  # a damaged pause file means no pause, never a crash


def parse_duration(text: str) -> dt.timedelta:
    """'1h', '30m', '1h30m', '2d', '45s', or a bare number of minutes."""
    cleaned = text.strip()
    if cleaned.isdigit():
        return dt.timedelta(minutes=int(cleaned))
    found = _DURATION.fullmatch(cleaned)
    if not cleaned or found is None or not any(found.groups()):
        raise ValueError(f"{text!r} is not a duration like 1h, 30m or 1h30m")
    days, hours, minutes, seconds = (int(part or 0) for part in found.groups())
    duration = dt.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    if duration <= dt.timedelta(0):
        raise ValueError(f"{text!r} is not a duration longer than zero")
    return duration


def next_clock_time(clock: dt.time, now: dt.datetime) -> dt.datetime:
    """The next time the wall clock shows `clock`: today if still ahead, else tomorrow."""
    candidate = now.replace(hour=clock.hour, minute=clock.minute, second=0, microsecond=0)
    if candidate <= now:
        candidate += dt.timedelta(days=1)
    return candidate


def until_text(until: float, now: float, tz: dt.tzinfo) -> str:
    """When a pause ends, as a person reads it: "18:00" today, "Sun 12:10" within the week,
    "Sun 2 Jan 2028, 12:10" beyond it (a weekday alone would be a different day)."""
    end = dt.datetime.fromtimestamp(until, tz)
    start = dt.datetime.fromtimestamp(now, tz)
    if end.date() == start.date():
        return f"{end:%H:%M}"
    if end - start < dt.timedelta(days=6):
        return f"{end:%a %H:%M}"
    return f"{end:%a} {end.day} {end:%b %Y}, {end:%H:%M}"
