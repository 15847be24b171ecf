"""Rules about time itself: how long a target may go unseen and still be one visit, when the
person counts as away, when the wall clock has jumped or the machine slept, and when a gap in
sampling is vouched for by the desktop's own event stream.

Pure: the caller reads the clocks and passes the readings in.
"""

from __future__ import annotations

from dataclasses import dataclass

# Wall time and monotonic time may drift apart by this much between two readings before it
# counts as a jump.
JUMP_TOLERANCE_SECONDS = 2.0


def pulse_for(interval_seconds: float) -> float:
    """How long a target may go unobserved and still be one visit, for observations made every
    `interval_seconds` (ActivityWatch's pulsetime): a missed or late reading is bridged, a
    suspend or a stopped daemon is not."""
    return interval_seconds * 1.5 + 1


def sample_pace(
    *,
    poll: float,
    confirm: float,
    checkpoint: float,
    follows_events: bool,
    watched: bool,
    blocklist: bool = False,
) -> float:
    """Seconds to the next sample when no change wakes the sampler sooner.

    Where the desktop sends focus events, they carry the truth and a sample only confirms them:
    with nothing watched in front, every `confirm` seconds; with only social sites in front
    (`watched`), every `checkpoint` seconds (watch.flush_seconds: the open visit is written then
    anyway, and their nudges count minutes), but never less often than `confirm`. With a
    blocklist entry in front, and wherever there are no events, every `poll` seconds: the nudge
    for the ex's page comes seconds after it opens (nudges.blocklist_after_seconds).
    """
    if not follows_events or blocklist:
        return poll
    return max(poll, min(checkpoint, confirm) if watched else confirm)


def idle_at(moment: float, idle_seconds: float, read_at: float) -> float:
    """How long input had stopped at `moment`, from a reading taken at `read_at` that said
    `idle_seconds`: input that stopped before a change means nobody was there to see it."""
    return max(0.0, idle_seconds - (read_at - moment))


def is_away(idle_seconds: float, threshold_seconds: float) -> bool:
    """No input for `threshold_seconds` (watch.idle_seconds) or more: nobody is looking."""
    return idle_seconds >= threshold_seconds


def gap_is_vouched(
    *,
    previous: float,
    at: float,
    followed_since: float | None,
    idle_before: float,
    idle_threshold: float,
) -> bool:
    """Whether the time between two observations, however long, was watched after all.

    A stalled or starved daemon samples late, but a desktop event stream (X11's PropertyNotify,
    sway's IPC, ...) keeps queueing every change meanwhile. When the stream was followed without a
    break since before `previous` and delivered everything up to `at` (`followed_since`), an
    absence of changes in it is evidence that nothing changed. Only presence stays unproven: the
    person could have gone away unseen, so the gap is bridged only when no stretch without input
    long enough to count as away (`idle_threshold`) fits between the last input seen before the
    gap and its end.
    """
    if followed_since is None or followed_since > previous:
        return False
    return idle_before + (at - previous) < idle_threshold


@dataclass(frozen=True, slots=True)
class ClockEvent:
    """How far each clock moved between two readings, when they disagree.

    `slept` is the boot-time clock running ahead of the monotonic one (Linux counts a suspend in
    CLOCK_BOOTTIME only); `stepped` is the wall clock moving against the monotonic one (a clock
    change, NTP, or a resume where no boot-time clock exists).
    """

    wall: float
    monotonic: float
    boot: float | None

    @property
    def slept(self) -> float:
        return 0.0 if self.boot is None else self.boot - self.monotonic

    @property
    def stepped(self) -> float:
        return self.wall - self.monotonic


@dataclass(slots=True)
class ClockReadings:
    """Notices a suspend or a wall-clock step between two readings of the clocks."""

    _last: tuple[float, float, float | None] | None = None

    def event(self, wall: float, monotonic: float, boot: float | None) -> ClockEvent | None:
        """How the clocks moved since the last reading, when a suspend or a step shows."""
        last, self._last = self._last, (wall, monotonic, boot)
        if last is None:
            return None
        boot_delta = None if boot is None or last[2] is None else boot - last[2]
        moved = ClockEvent(wall - last[0], monotonic - last[1], boot_delta)
        if abs(moved.stepped) > JUMP_TOLERANCE_SECONDS or moved.slept > JUMP_TOLERANCE_SECONDS:
            return moved
        return None


@dataclass(slots=True)
class ClockWatch:
    """Notices the wall clock jumping against the monotonic clock between two readings."""

    _last: tuple[float, float] | None = None

    def jump(self, wall: float, monotonic: float) -> float:
        """Seconds the wall clock jumped since the last reading (positive: forward), or 0."""
        last, self._last = self._last, (wall, monotonic)
        if last is None:
            return 0.0
        drift = (wall - last[0]) - (monotonic - last[1])
        return drift if abs(drift) > JUMP_TOLERANCE_SECONDS else 0.0
