"""The taps on the pause page ("How are you right now?") and the gentle patterns in them.

A tap is only an answer and a time: never the page, the entry or the site. The summary may say
when the pauses and visits gathered and which feeling came with them ("Most pauses and visits
came after 23:00, when you felt lonely.") and offer a plan for it. It never counts: a number of
hard moments helps nobody.

Pure: the shell passes the moments (UTC seconds), the answers and the time zone.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Literal

Feeling = Literal["lonely", "sad", "bored", "angry", "curious", "cant_sleep", "fine"]
# In the order the pause page offers them ("skip" is no answer and is never stored).
FEELINGS: Final[tuple[Feeling, ...]] = (
    "lonely",
    "sad",
    "bored",
    "angry",
    "curious",
    "cant_sleep",
    "fine",
)
Band = Literal["night", "morning", "afternoon", "evening"]

# Fewer moments than this say nothing about a pattern.
LEAST_MOMENTS = 3
# Fewer taps than this say nothing about a feeling.
LEAST_TAPS = 2
# Late at night: from this hour on (until MORNING_HOUR) a moment counts as "late".
NIGHT_HOUR = 22
MORNING_HOUR = 5
AFTERNOON_HOUR = 12
EVENING_HOUR = 17


def feeling_of(answer: object) -> Feeling | None:
    """The answer as one of FEELINGS, or None (skipped, or not an answer the page offers)."""
    return next((feeling for feeling in FEELINGS if feeling == answer), None)


@dataclass(frozen=True, slots=True)
class Tendency:
    """When most pauses and visits came (`band`; for the night, from `hour` on), and the feeling
    that came with most of them, when the taps show one."""

    band: Band
    hour: int
    feeling: Feeling | None = None

    @property
    def offers_plan(self) -> bool:
        """A feeling that keeps coming back is worth a plan; feeling fine is not."""
        return self.feeling is not None and self.feeling != "fine"


def band_of(hour: int) -> Band:
    if hour >= NIGHT_HOUR or hour < MORNING_HOUR:
        return "night"
    if hour < AFTERNOON_HOUR:
        return "morning"
    if hour < EVENING_HOUR:
        return "afternoon"
    return "evening"


def _local_hour(at: float, tz: dt.tzinfo) -> int:
    return dt.datetime.fromtimestamp(at, tz).hour


def _night_order(hour: int) -> int:
    """Hours of the night in the order they come: 22, 23, 0, 1, ..."""
    return hour - NIGHT_HOUR if hour >= NIGHT_HOUR else hour + 24 - NIGHT_HOUR


def tendency(
    moments: Iterable[float], taps: Sequence[tuple[float, Feeling]], tz: dt.tzinfo
) -> Tendency | None:
    """The pattern worth a gentle line, or None.

    `moments` are when pauses came and visits to blocklist pages began. A part of the day holds
    a pattern when more than half of at least LEAST_MOMENTS moments fall in it. The feeling is
    the one given most often in that part of the day (or, with too few taps there, at all),
    when it is more than half of at least LEAST_TAPS answers there."""
    hours = [_local_hour(at, tz) for at in moments]
    if len(hours) < LEAST_MOMENTS:
        return None
    counted = Counter(band_of(hour) for hour in hours)
    band, most = max(counted.items(), key=lambda item: (item[1], item[0] == "night"))
    if most * 2 <= len(hours):
        return None
    in_band = [hour for hour in hours if band_of(hour) == band]
    hour = min(in_band, key=_night_order) if band == "night" else min(in_band)
    return Tendency(band, hour, _feeling(taps, band, tz))


def _feeling(taps: Sequence[tuple[float, Feeling]], band: Band, tz: dt.tzinfo) -> Feeling | None:
    there = [feeling for at, feeling in taps if band_of(_local_hour(at, tz)) == band]
    answers = there if len(there) >= LEAST_TAPS else [feeling for _, feeling in taps]
    if len(answers) < LEAST_TAPS:
        return None
    feeling, count = Counter(answers).most_common(1)[0]
    return feeling if count * 2 > len(answers) else None
