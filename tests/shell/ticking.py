"""One tick as the daemon wires it, for tests that drive the coach without a desktop: the coach
gathers, the core's session decides, the coach carries out."""

from __future__ import annotations

from collections.abc import Sequence

from nudger.core import session
from nudger.core.policy import Nudge
from nudger.core.session import Effects, HeldBack
from nudger.core.types import Reading, Visit
from nudger.shell.coach import Coach


class Ticking:
    def __init__(self, coach: Coach) -> None:
        self.coach = coach
        self.state = coach.start()
        self.effects = Effects()

    def consider(
        self,
        at: float,
        reading: Reading | None,
        ended: Sequence[Visit],
        open_visits: Sequence[Visit],
        held_back: Sequence[HeldBack] = (),
        *,
        started: Sequence[Visit] = (),
        mono: float | None = None,
    ) -> Nudge | None:
        """One tick; the nudge decided in it, if any (sent, or tried and kept as undelivered)."""
        observation = self.coach.observe(
            at,
            reading,
            ended,
            open_visits,
            held_back,
            started=started,
            mono=mono,
            day=session.needs_day(self.state, at),
        )
        self.state, self.effects = session.step(self.state, observation)
        self.coach.carry_out(self.effects)
        return self.effects.nudge
