"""The pause file and the duration and clock-time parsing behind `nudger pause`."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from nudger.core.translate import ENGLISH
from nudger.shell.pause import Pause, PauseFile, next_clock_time, parse_duration, until_text


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1h", 3600),
        ("30m", 1800),
        ("1h30m", 5400),
        ("2d", 172800),
        ("45s", 45),
        ("90", 5400),
        ("1h 15min", 4500),
        ("1.5h", 5400),
        ("90 min", 5400),
        ("1 hour", 3600),
        ("2 days", 172800),
        ("1:30", 5400),  # an hour and a half, as people mean it in a pause
    ],
)
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(ENGLISH, text).total_seconds() == seconds


@pytest.mark.parametrize("text", ["", "soon", "0m", "h", "-1h", "1x", "3000000d", "1e21h"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError, match=r"duration|longer than a pause can be"):
        parse_duration(ENGLISH, text)


def test_until_a_time_later_today_or_tomorrow() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    noon = dt.datetime(2026, 11, 27, 12, 0, tzinfo=berlin)
    assert next_clock_time(dt.time(18, 0), noon) == dt.datetime(2026, 11, 27, 18, 0, tzinfo=berlin)
    assert next_clock_time(dt.time(9, 0), noon) == dt.datetime(2026, 11, 28, 9, 0, tzinfo=berlin)
    # Across the autumn change, "tomorrow 09:00" is still 09:00 on the wall clock.
    evening = dt.datetime(2026, 10, 24, 20, 0, tzinfo=berlin)
    assert next_clock_time(dt.time(9, 0), evening).hour == 9


def test_pause_file_is_private_seen_when_changed_and_expires(tmp_path: Path) -> None:
    pauses = PauseFile(tmp_path)
    assert pauses.current(100) is None
    pauses.set(Pause(until=200, set_at=100))
    assert stat.S_IMODE(pauses.path.stat().st_mode) == 0o600
    assert pauses.current(150) == Pause(200, 100, "pause")
    assert pauses.current(200) is None  # over
    other = PauseFile(tmp_path)  # another process writes a new pause
    other.set(Pause(until=900, set_at=160, reason="snooze"))
    assert pauses.current(300) == Pause(900, 160, "snooze")
    assert pauses.clear() is True
    assert pauses.current(300) is None
    assert pauses.clear() is False


def test_a_damaged_pause_file_means_no_pause(tmp_path: Path) -> None:
    (tmp_path / "pause.json").write_text("{not json")
    assert PauseFile(tmp_path).current(0) is None


def test_a_pause_beyond_this_week_shows_its_date() -> None:
    tz = ZoneInfo("Europe/Berlin")
    now = dt.datetime(2026, 11, 28, 12, 10, tzinfo=tz).timestamp()
    assert until_text(ENGLISH, now + 3600, now, tz) == "13:10"
    assert until_text(ENGLISH, now + 2 * 86400, now, tz) == "Mon 12:10"
    assert until_text(ENGLISH, now + 400 * 86400, now, tz) == "Sun 2 Jan 2028, 12:10"
    assert until_text(ENGLISH, now + 7 * 86400, now, tz) == "Sat 5 Dec 2026, 12:10"
