"""What the policy learns from how nudges were received, and the night's own rules. Pure.

- Heeded kinds come first: each kind of suggestion is weighted by how often this person
  heeded it (with one heeded and one ignored assumed, so a new kind starts at one half), and
  no kind falls below FLOOR, so every kind keeps appearing.
- Ignored in a row: from the third ignored nudge in a row, the gaps between nudges double,
  up to eight times as long. One heeded nudge brings them back, and so does a new day or night
  (the policy starts the count again: a hard afternoon must not stretch the night's gaps).
- The night: which night a moment belongs to, so that a cap counts one night, not one day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from nudger.core.types import PAUSE_REASON, ClockSpan, MessageKind, NudgeRow

FLOOR = 0.15
IGNORED_BEFORE_SPACING = 2
MAX_SPACING = 8.0


@dataclass
class Tally:
    shown: int = 0
    heeded: int = 0


@dataclass
class Learning:
    """How each kind of suggestion was received, and how many were ignored in a row."""

    tallies: dict[MessageKind, Tally] = field(default_factory=dict)
    ignored_in_a_row: int = 0

    def record(self, kind: MessageKind | None, heeded: bool) -> None:
        if kind is not None:
            tally = self.tallies.setdefault(kind, Tally())
            tally.shown += 1
            tally.heeded += int(heeded)
        self.ignored_in_a_row = 0 if heeded else self.ignored_in_a_row + 1

    def weight(self, kind: MessageKind) -> float:
        tally = self.tallies.get(kind, Tally())
        return max(FLOOR, (tally.heeded + 1) / (tally.shown + 2))

    def weights(self, kinds: Sequence[MessageKind]) -> list[float]:
        return [self.weight(kind) for kind in kinds]

    def spacing(self) -> float:
        """How many times the usual gap to wait now: 1, then 2, 4, 8 as ignored nudges pile up."""
        extra = self.ignored_in_a_row - IGNORED_BEFORE_SPACING
        return 1.0 if extra <= 0 else min(MAX_SPACING, 2.0**extra)

    @classmethod
    def from_rows(
        cls, newest_first: Iterable[NudgeRow], kind_of: Callable[[str], MessageKind | None]
    ) -> Learning:
        """What the recorded outcomes teach (pauses are the browser's, not a text's)."""
        learning = cls()
        decided = [r for r in newest_first if r.heeded is not None and r.reason != PAUSE_REASON]
        for row in reversed(decided):
            learning.record(kind_of(row.message_id), bool(row.heeded))
        return learning


def night_of(local: dt.datetime, night: ClockSpan | None) -> dt.date | None:
    """The date the night began on, when `local` falls in the night; else None."""
    if night is None or not night.contains(local.time()):
        return None
    spans_midnight = night.start > night.end
    if spans_midnight and local.time() < night.end:
        return local.date() - dt.timedelta(days=1)
    return local.date()
