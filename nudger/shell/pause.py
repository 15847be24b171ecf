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

import pytimeparse2

from nudger.core.translate import Translator
from nudger.paths import read_regular_file, write_private_atomic

PAUSE_NAME = "pause.json"
_HOURS_MINUTES = re.compile(r"(\d{1,4}):([0-5]\d)")
LONGEST_PAUSE = dt.timedelta(days=366)


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
            data = json.loads(read_regular_file(self.path, limit=65536))
            return Pause(float(data["until"]), float(data["set_at"]), data.get("reason", "pause"))
        except (OSError, ValueError, KeyError, TypeError):
            return None  # a damaged pause file means no pause, never a crash


def parse_duration(t: Translator, text: str) -> dt.timedelta:
    """What people type for "how long": 1h, 30m, 1h30m, 1.5h, 90 min, 1 hour, 2 days, 1:30.

    pytimeparse2 reads the words and units. Two readings are ours, because they mean something
    else in a pause than in a stopwatch: a bare number is minutes ("pause 20"), and H:MM is
    hours and minutes ("pause 1:30" is an hour and a half, not ninety seconds).
    """
    cleaned = text.strip()
    clock = _HOURS_MINUTES.fullmatch(cleaned)
    if cleaned.isdigit():
        seconds: float | None = int(cleaned) * 60.0
    elif clock:
        seconds = int(clock.group(1)) * 3600.0 + int(clock.group(2)) * 60.0
    else:
        seconds = pytimeparse2.parse(cleaned) if cleaned else None
    if seconds is None:
        raise ValueError(
            t._("{text!r} is not a duration like 1h, 30m, 1.5h, 90 min or 1:30").format(text=text)
        )
    if seconds <= 0:
        raise ValueError(t._("{text!r} is not a duration longer than zero").format(text=text))
    if seconds > LONGEST_PAUSE.total_seconds():
        raise ValueError(
            t._(
                "{text!r} is longer than a pause can be (a year); to have no nudges at "
                "all, set enabled = false under [nudges] in your settings"
            ).format(text=text)
        )
    return dt.timedelta(seconds=seconds)


def next_clock_time(clock: dt.time, now: dt.datetime) -> dt.datetime:
    """The next time the wall clock shows `clock`: today if still ahead, else tomorrow."""
    candidate = now.replace(hour=clock.hour, minute=clock.minute, second=0, microsecond=0)
    if candidate <= now:
        candidate += dt.timedelta(days=1)
    return candidate


def until_text(t: Translator, until: float, now: float, tz: dt.tzinfo) -> str:
    """When a pause ends, as a person reads it: "18:00" today, "Sun 12:10" within the week,
    "Sun 2 Jan 2028, 12:10" beyond it (a weekday alone would be a different day)."""
    try:
        end = dt.datetime.fromtimestamp(until, tz)
        start = dt.datetime.fromtimestamp(now, tz)
    except (OverflowError, OSError, ValueError):  # a pause file written by hand, or damaged
        return t._("you resume")
    if end.date() == start.date():
        return f"{end:%H:%M}"
    if end - start < dt.timedelta(days=6):
        return f"{t.dates.weekday(end.date())} {end:%H:%M}"
    day = end.date()
    return f"{t.dates.weekday(day)} {t.dates.short(day)} {day.year}, {end:%H:%M}"
