"""The guard's rules: which stretches of unguarded time are worth telling the person about.

nudger cannot stop anyone switching it off, and should not pretend to. It can notice, and say so
once, plainly and without blame: nudger was not running while the computer was in use, the wall
clock was set, a loosening was applied.

What can be known honestly, and what cannot:
- A heartbeat (wall, monotonic and boot-time clocks, and the boot's id) is stored while nudger
  runs. At the next start the clocks tell how long the machine was awake since then (the
  monotonic clock stops during a suspend) or, after a restart of the computer, since it booted.
- Whether the person was *at* the computer comes from the desktop's idle time at nudger's first
  look (a second or so after it started): input after the last heartbeat is evidence of use.
  Without it (no desktop to read) nothing is said. The idle time only gives the last input, so
  when within the gap the person was there, and for how long, cannot be known: the span told is
  only when nudger was not running.

Pure: the shell reads the clocks and the idle time and passes them in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

GuardKind = Literal["not_running", "clock_step", "loosened", "companion_off"]

# A stop shorter than this (a restart, an update, a reload of the session) is not worth a line.
LEAST_GAP_SECONDS = 5 * 60.0
# A wall-clock step smaller than this is NTP keeping time, not someone setting the clock.
LEAST_STEP_SECONDS = 5 * 60.0


@dataclass(frozen=True, slots=True)
class Beat:
    """The clocks at one moment. `boot` is the boot-time clock (counts suspends) where there is
    one; `boot_id` tells one boot of the computer from the next where the system says it."""

    wall: float
    monotonic: float
    boot: float | None = None
    boot_id: str | None = None

    def same_boot_as(self, earlier: Beat) -> bool:
        if self.boot_id is not None and earlier.boot_id is not None:
            return self.boot_id == earlier.boot_id
        # Without an id, clocks that count from boot never run backwards within one boot.
        return self.monotonic >= earlier.monotonic and (
            self.boot is None or earlier.boot is None or self.boot >= earlier.boot
        )


@dataclass(frozen=True, slots=True)
class GuardNote:
    """One stretch to tell: what it was, from when to when (UTC seconds), and by how much the
    clock moved for a clock step (positive: forward), and which browser's companion was off
    (`detail`, for "companion_off": a browser's name, never a page)."""

    kind: GuardKind
    started_at: float
    ended_at: float
    amount: float = 0.0
    detail: str = ""


def not_running(
    last: Beat | None,
    started: Beat,
    last_input_at: float | None,
    *,
    least: float = LEAST_GAP_SECONDS,
) -> GuardNote | None:
    """The time nudger was not running, from its `last` heartbeat to this run's start, when it
    is worth saying:

    - the computer was awake for at least `least` seconds of it (a suspend is not a gap, and
      neither is time before the computer was started again), and
    - the desktop saw input after it began (`last_input_at`, from the idle time at this run's
      first look), so someone was using the computer.
    """
    if last is None or last_input_at is None:
        return None
    if started.same_boot_as(last):
        began = last.wall
        awake = started.monotonic - last.monotonic
    else:
        # Restarted: the computer was off for a while. Count only from when it came back.
        since_boot = started.boot if started.boot is not None else started.monotonic
        began = max(last.wall, started.wall - since_boot)
        awake = started.monotonic
    ended = started.wall
    span = ended - began
    if span <= 0:  # the wall clock went back meanwhile: a clock step tells that part
        return None
    if min(awake, span) < least:
        return None
    if last_input_at <= began:  # no input since it began: nobody was seen using the computer
        return None
    return GuardNote("not_running", began, ended)


def clock_step(
    at: float, wall_moved: float, monotonic_moved: float, boot_moved: float | None
) -> GuardNote | None:
    """A wall-clock step worth saying, from how each clock moved between two looks.

    A suspend moves the wall clock against the monotonic one too; only the boot-time clock tells
    it apart, so where there is none nothing is said (a sleep must not read as a clock set)."""
    if boot_moved is None:
        return None
    step = wall_moved - boot_moved
    if abs(step) < LEAST_STEP_SECONDS:
        return None
    return GuardNote("clock_step", at, at, step)


def once_each(notes: list[GuardNote]) -> list[GuardNote]:
    """Oldest first, each stretch once (a note written twice, or overlapping ones of one kind,
    are told as one)."""
    told: list[GuardNote] = []
    for note in sorted(notes, key=lambda n: (n.kind, n.detail, n.started_at, n.ended_at)):
        last = told[-1] if told else None
        if (
            last is not None
            and (last.kind, last.detail) == (note.kind, note.detail)
            and note.kind in ("not_running", "companion_off")
            and note.started_at <= last.ended_at
        ):
            told[-1] = GuardNote(
                last.kind, last.started_at, max(last.ended_at, note.ended_at), 0.0, last.detail
            )
        elif last is None or (last.kind, last.started_at, last.amount, last.detail) != (
            note.kind,
            note.started_at,
            note.amount,
            note.detail,
        ):
            told.append(note)
    return sorted(told, key=lambda n: n.started_at)


# The companion off for less than this while its browser is in front (an update reloading it,
# a browser restarting) is not worth a line.
LEAST_OFF_SECONDS = 30.0
# Input within this long counts as the person using the browser in front.
IN_USE_SECONDS = 120.0


def companion_off_in_front(
    window_pid: int | None, idle_seconds: float, switched_off: dict[int, str]
) -> str | None:
    """The browser (its process name) whose companion is off while it is in front and in use,
    or None. `switched_off`: the browsers whose extension spoke and then went quiet while the
    browser kept running, by process id (a browser that never had the companion is not in it:
    nothing was switched off there)."""
    if window_pid is None or idle_seconds >= IN_USE_SECONDS:
        return None
    return switched_off.get(window_pid)


def companion_off_note(browser: str, started_at: float, ended_at: float) -> GuardNote | None:
    """A stretch of the companion off while its browser was in front, when long enough."""
    if ended_at - started_at < LEAST_OFF_SECONDS:
        return None
    return GuardNote("companion_off", started_at, ended_at, 0.0, browser)
