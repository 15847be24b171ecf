"""core/session.py: one decision per tick. Observations go in, effects come out; a small
stand-in for the shell here carries them out in memory (rows, deliveries, button presses) and
reports back what came of them, as the coach does with the real store and notifier."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from nudger.core import session
from nudger.core.browsing import PauseReport
from nudger.core.days import LocalDays
from nudger.core.holding import browser_rests
from nudger.core.outcomes import RETRY_UNDELIVERED_SECONDS, SNOOZE_SECONDS
from nudger.core.policy import Policy
from nudger.core.session import (
    AddPause,
    Done,
    Effects,
    HeldBack,
    NotShown,
    Observation,
    SendNudge,
    SessionState,
    Snooze,
    StoredDay,
    UpdateNudge,
)
from nudger.core.tracking import Tracker
from nudger.core.types import Feedback, Hit, Outcome, Reading, Visit, Window
from nudger.settings.messages import builtin_book
from nudger.settings.models import NudgeSettings

TZ = ZoneInfo("Europe/Berlin")
DAYS = LocalDays(TZ, dt.time(4, 0))
ALEX = Hit("blocklist", "Alex", "title")
INSTA = Hit("site", "Instagram", "title")
T0 = dt.datetime(2026, 11, 27, 12, 0, tzinfo=TZ).timestamp()
HERE = Reading(Window("chromium", "a page"), 0.0)
AWAY = Reading(Window("chromium", "a page"), 10_000.0)


def new_state(seed: int = 7, **rules: object) -> SessionState:
    policy = Policy(NudgeSettings(**rules).rules(), builtin_book(), rng=random.Random(seed))  # type: ignore[arg-type]
    return session.start(policy, DAYS, idle_seconds=120, heeded_within_seconds=120)


@dataclass
class Shell:
    """Carries out effects in memory and reports what came of them with the next observation."""

    deliver: bool = True
    rows: dict[int, dict[str, object]] = field(default_factory=dict)
    done: list[Done] = field(default_factory=list)
    snoozed_until: float = 0.0
    shown: list[int] = field(default_factory=list)  # notification ids

    def carry_out(self, effects: Effects) -> None:
        written: dict[int, int] = {}
        for action in effects.actions:
            if isinstance(action, SendNudge):
                if action.retry:
                    row = action.row_id
                else:
                    row = len(self.rows) + 1
                    self.rows[row] = {"kind": action.nudge.kind, "delivered": self.deliver}
                notification = len(self.shown) + 1 if self.deliver else None
                if notification is not None:
                    self.shown.append(notification)
                    if row is not None:
                        self.rows[row]["delivered"] = True
                self.done.append(Done(action.ticket, row, self.deliver, notification))
            elif isinstance(action, AddPause):
                row = written[action.ticket] = len(self.rows) + 1
                self.rows[row] = {"kind": action.kind, "target": action.target, "pause": True}
                self.done.append(Done(action.ticket, row))
            elif isinstance(action, UpdateNudge):
                row_id = action.row_id if action.row_id is not None else written[action.ticket or 0]
                assert row_id in self.rows, action  # an update always names a written row
                if action.action is not None:
                    self.rows[row_id]["action"] = action.action
                if action.heeded is not None:
                    self.rows[row_id]["heeded"] = action.heeded
            elif isinstance(action, NotShown):
                self.rows[action.row_id]["delivered"] = False
            elif isinstance(action, Snooze):
                self.snoozed_until = action.until

    def observe(
        self,
        at: float,
        reading: Reading | None,
        open_visits: tuple[Visit, ...] = (),
        *,
        ended: tuple[Visit, ...] = (),
        held_back: tuple[HeldBack, ...] = (),
        feedback: tuple[Feedback, ...] = (),
        paused: bool = False,
        today: StoredDay | None = None,
        promised: bool = False,
    ) -> Observation:
        done, self.done = tuple(self.done), []
        return Observation(
            at,
            reading,
            ended=ended,
            open_visits=open_visits,
            held_back=held_back,
            feedback=feedback,
            paused=paused or self.snoozed_until > at,
            snooze=not paused and self.snoozed_until > at,
            promised=promised,
            today=today,
            done=done,
        )


def on_alex(at: float, since: float) -> tuple[Visit, ...]:
    return (Visit("blocklist", "Alex", "title", "front", since, at),)


def tick(state: SessionState, shell: Shell, observation: Observation) -> Effects:
    state, effects = session.step(state, observation)
    shell.carry_out(effects)
    return effects


def test_a_lingering_blocklist_visit_becomes_one_nudge_to_send_then_a_row() -> None:
    state, shell = new_state(), Shell()
    sent = []
    for second in range(30):
        at = T0 + second
        effects = tick(state, shell, shell.observe(at, HERE, on_alex(at, T0)))
        sent += [a for a in effects.actions if isinstance(a, SendNudge)]
    [send] = sent
    assert send.nudge.kind == "blocklist" and send.nudge.at == T0 + 5 and not send.retry
    assert shell.rows == {1: {"kind": "blocklist", "delivered": True}}


def test_nothing_is_sent_while_paused_and_the_effects_say_paused() -> None:
    state, shell = new_state(), Shell()
    for second in range(30):
        at = T0 + second
        effects = tick(state, shell, shell.observe(at, HERE, on_alex(at, T0), paused=True))
        assert effects.paused and effects.nudge is None


def test_a_snooze_pressed_pauses_at_once_and_is_recorded_on_its_row() -> None:
    state, shell = new_state(), Shell()
    for second in range(6):
        tick(state, shell, shell.observe(T0 + second, HERE, on_alex(T0 + second, T0)))
    [notification] = shell.shown
    at = T0 + 8
    effects = tick(
        state,
        shell,
        shell.observe(at, HERE, on_alex(at, T0), feedback=(Feedback(notification, "snooze"),)),
    )
    assert Snooze(until=at + SNOOZE_SECONDS, set_at=at) in effects.actions
    assert effects.paused  # the browser is told at once, not a tick later
    assert effects.browser_rests
    assert shell.rows[1]["action"] == "snooze" and shell.rows[1]["heeded"] is False


def test_during_a_promise_a_snooze_quiets_nudges_but_the_browser_still_holds_back() -> None:
    """The Snooze button works at once, promise or not; during a promise it does not also take
    the pause before the ex's page away (that would be a loosening that did not wait)."""
    state, shell = new_state(), Shell()
    for second in range(6):
        at = T0 + second
        tick(state, shell, shell.observe(at, HERE, on_alex(at, T0), promised=True))
    [notification] = shell.shown
    at = T0 + 8
    pressed = shell.observe(
        at, HERE, on_alex(at, T0), feedback=(Feedback(notification, "snooze"),), promised=True
    )
    effects = tick(state, shell, pressed)
    assert effects.paused and not effects.browser_rests
    for second in range(9, 600, 30):
        at = T0 + second
        later = tick(state, shell, shell.observe(at, HERE, on_alex(at, T0), promised=True))
        assert later.paused and later.nudge is None and not later.browser_rests
    # A pause that already waited out the promise's cool-off does quiet the browser.
    paused = tick(state, shell, shell.observe(T0 + 700, HERE, (), paused=True, promised=True))
    assert paused.browser_rests


def test_browser_rests_when_paused_or_snoozed_but_not_on_a_snooze_during_a_promise() -> None:
    cases = {  # (paused, snoozed, promised): the browser rests
        (False, False, False): False,
        (False, False, True): False,
        (True, False, False): True,
        (True, False, True): True,
        (False, True, False): True,
        (False, True, True): False,
        (True, True, True): True,
    }
    for (paused, snoozed, promised), rests in cases.items():
        assert browser_rests(paused=paused, snoozed=snoozed, promised=promised) is rests


def test_stepping_away_heeds_the_nudge_in_the_same_tick() -> None:
    state, shell = new_state(), Shell()
    for second in range(6):
        tick(state, shell, shell.observe(T0 + second, HERE, on_alex(T0 + second, T0)))
    effects = tick(state, shell, shell.observe(T0 + 9, HERE, (), feedback=(Feedback(1, "away"),)))
    assert UpdateNudge(1, action="away") in effects.actions
    assert UpdateNudge(1, heeded=True) in effects.actions


def test_a_failure_reported_after_sending_marks_the_row_undelivered() -> None:
    state, shell = new_state(), Shell()
    for second in range(6):
        tick(state, shell, shell.observe(T0 + second, HERE, on_alex(T0 + second, T0)))
    failed = Feedback(1, "failed", "the toast was refused")
    effects = tick(state, shell, shell.observe(T0 + 7, HERE, (), feedback=(failed,)))
    assert NotShown(1, "the toast was refused") in effects.actions
    assert shell.rows[1]["delivered"] is False


def test_an_unshown_nudge_is_tried_again_while_the_person_stays_and_dropped_once_they_leave() -> (
    None
):
    state, shell = new_state(), Shell(deliver=False)
    tries: list[tuple[float, bool]] = []
    for second in range(60):
        at = T0 + second
        shell.deliver = second >= 30  # the notification server comes back
        effects = tick(state, shell, shell.observe(at, HERE, on_alex(at, T0)))
        tries += [(a.nudge.at, a.retry) for a in effects.actions if isinstance(a, SendNudge)]
    first = T0 + 5
    assert tries[0] == (first, False)
    retries = tries[1:]
    assert retries == [(first, True)] * len(retries) and len(retries) >= 2
    assert shell.rows[1]["delivered"] is True  # the same row, delivered on a later try
    assert len(shell.rows) == 1

    state, shell = new_state(), Shell(deliver=False)
    for second in range(8):
        tick(state, shell, shell.observe(T0 + second, HERE, on_alex(T0 + second, T0)))
    later = T0 + 8 + RETRY_UNDELIVERED_SECONDS * 3
    effects = tick(state, shell, shell.observe(later, HERE, ()))  # the page is gone
    assert effects.actions == () and state.undelivered is None


def held(at: float, pause_id: str, answer: str | None = None, *, owned: bool = True) -> HeldBack:
    report = PauseReport(at, pause_id, "https://www.instagram.com/alexdoe/", answer)  # type: ignore[arg-type]
    return HeldBack(report, (Hit("blocklist", "Alex", "url"),) if owned else ())


def test_a_pause_is_a_row_and_its_answer_updates_that_row_a_tick_later_or_in_the_same() -> None:
    state, shell = new_state(), Shell()
    tick(state, shell, shell.observe(T0, None, held_back=(held(T0, "p1"),)))
    assert shell.rows == {1: {"kind": "blocklist", "target": "Alex", "pause": True}}
    effects = tick(state, shell, shell.observe(T0 + 2, None, held_back=(held(T0, "p1", "away"),)))
    assert UpdateNudge(1, action="away", heeded=True) in effects.actions
    assert not any(isinstance(a, AddPause) for a in effects.actions)

    both = (held(T0 + 5, "p2"), held(T0 + 6, "p2", "go_on"))
    effects = tick(state, shell, shell.observe(T0 + 7, None, held_back=both))
    [added] = [a for a in effects.actions if isinstance(a, AddPause)]
    assert UpdateNudge(None, added.ticket, action="go_on", heeded=False) in effects.actions
    assert shell.rows[2]["action"] == "go_on"


def test_a_pause_or_an_answer_said_twice_is_one_pause() -> None:
    """The companion sends again what it is not sure arrived (after its background stopped)."""
    state, shell = new_state(), Shell()
    tick(state, shell, shell.observe(T0, None, held_back=(held(T0, "p1"), held(T0, "p1"))))
    tick(state, shell, shell.observe(T0 + 1, None, held_back=(held(T0, "p1"),)))
    again = (held(T0, "p1", "away"), held(T0, "p1"), held(T0, "p1", "away"))
    effects = tick(state, shell, shell.observe(T0 + 2, None, held_back=again))
    assert [a for a in effects.actions if isinstance(a, UpdateNudge)] == [
        UpdateNudge(1, action="away", heeded=True)
    ]
    later = tick(state, shell, shell.observe(T0 + 3, None, held_back=(held(T0, "p1", "away"),)))
    assert not any(isinstance(a, AddPause | UpdateNudge) for a in later.actions)
    assert list(shell.rows) == [1]


def test_pauses_that_carry_no_id_are_never_merged() -> None:
    state, shell = new_state(), Shell()
    tick(state, shell, shell.observe(T0, None, held_back=(held(T0, "", "away"),)))
    tick(state, shell, shell.observe(T0 + 1, None, held_back=(held(T0 + 1, "", "away"),)))
    assert list(shell.rows) == [1, 2]


def test_a_pause_no_rule_owns_is_a_blocklist_pause_never_named() -> None:
    state, shell = new_state(), Shell()
    effects = tick(state, shell, shell.observe(T0, None, held_back=(held(T0, "p", owned=False),)))
    [added] = [a for a in effects.actions if isinstance(a, AddPause)]
    assert (added.kind, added.target) == ("blocklist", None)


def test_a_pause_counts_as_the_moments_nudge() -> None:
    state, shell = new_state(), Shell()
    tick(state, shell, shell.observe(T0, None, held_back=(held(T0, "p1"),)))
    for second in range(1, 60):
        at = T0 + second
        assert tick(state, shell, shell.observe(at, HERE, on_alex(at, T0 + 1))).nudge is None


def test_the_days_stored_visits_make_a_heavy_day() -> None:
    earlier = tuple(Visit("blocklist", "Alex", "title", "front", T0 - h * 3600, T0 - h * 3600 + 60)
                    for h in (3, 2, 1))  # fmt: skip
    for stored, heavy in (((), False), (earlier, True)):
        state, shell = new_state(), Shell()
        assert session.needs_day(state, T0) == DAYS.day_of(T0)
        nudges = []
        for second in range(8):
            at = T0 + second
            today = StoredDay(DAYS.day_of(at), stored) if session.needs_day(state, at) else None
            effects = tick(state, shell, shell.observe(at, HERE, on_alex(at, T0), today=today))
            nudges += [effects.nudge] if effects.nudge else []
        assert session.needs_day(state, T0 + 8) is None
        assert [n.heavy_day for n in nudges] == [heavy]


# -- properties ----------------------------------------------------------------------------------

Second = tuple[int, bool, bool, int]  # (what is in front, idle, paused, button)
moments = st.lists(
    st.tuples(
        st.integers(0, 2),  # 0 nothing, 1 the blocklist page, 2 a social site
        st.booleans(),
        st.integers(0, 9).map(lambda n: n == 0),  # paused now and then
        st.integers(0, 12),  # 1 away, 2 snooze, 3 failed, 4 dismissed; else none
    ),
    min_size=1,
    max_size=400,
)
BUTTONS: dict[int, Outcome] = {1: "away", 2: "snooze", 3: "failed", 4: "dismissed"}


def run(script: list[Second], seed: int, deliver: bool) -> list[tuple[Effects, bool, bool]]:
    """Every tick's effects through a real tracker, with whether the person was idle or paused."""
    state, shell = new_state(seed, min_gap_minutes=1), Shell(deliver=deliver)
    tracker = Tracker(pulse_seconds=2.5, idle_seconds=120, days=DAYS)
    out = []
    for offset, (front, idle, paused, button) in enumerate(script):
        at = T0 + offset * 2
        hits = [(), (ALEX,), (INSTA,)][front]
        step = tracker.observe(at, hits, 500.0 if idle else 0.0)
        outcome = BUTTONS.get(button)
        feedback = (Feedback(shell.shown[-1], outcome),) if outcome and shell.shown else ()
        observation = shell.observe(
            at,
            AWAY if idle else HERE,
            tuple(tracker.open_visits()),
            ended=step.ended,
            feedback=feedback,
            paused=paused,
        )
        state, effects = session.step(state, observation)
        shell.carry_out(effects)  # asserts that every update names a row written
        out.append((effects, idle, observation.paused))
    return out


@settings(max_examples=60, deadline=None)
@given(moments, st.integers(0, 5), st.booleans())
def test_no_new_nudge_while_idle_or_paused_and_at_most_one_a_tick(
    script: list[Second], seed: int, deliver: bool
) -> None:
    for effects, idle, paused in run(script, seed, deliver):
        sends = [a for a in effects.actions if isinstance(a, SendNudge)]
        assert len(sends) <= 1
        if idle or paused:
            assert effects.nudge is None
        assert effects.paused == paused or any(isinstance(a, Snooze) for a in effects.actions)


@settings(max_examples=30, deadline=None)
@given(moments, st.integers(0, 5), st.booleans())
def test_the_same_observations_give_the_same_effects(
    script: list[Second], seed: int, deliver: bool
) -> None:
    first = [effects for effects, _idle, _paused in run(script, seed, deliver)]
    again = [effects for effects, _idle, _paused in run(script, seed, deliver)]
    assert first == again


@settings(max_examples=60, deadline=None)
@given(moments, st.integers(0, 5))
def test_new_nudges_keep_the_minimum_gap(script: list[Second], seed: int) -> None:
    times = [e.nudge.at for e, _idle, _paused in run(script, seed, True) if e.nudge is not None]
    assert all(later - earlier >= 60 for earlier, later in itertools.pairwise(times))


def test_visits_are_written_when_one_begins_or_ends_and_else_every_flush_seconds() -> None:
    state = session.start(
        new_state().policy, DAYS, idle_seconds=120, heeded_within_seconds=120, flush_seconds=60
    )
    visit = on_alex(T0, T0)[0]

    def writes(at: float, mono: float, **visits: tuple[Visit, ...]) -> bool:
        observation = Observation(at, HERE, mono=mono, **visits)  # type: ignore[arg-type]
        return session.step(state, observation)[1].write_visits

    assert writes(T0, 1000.0, started=(visit,))  # it began: written at once
    assert not writes(T0 + 1, 1001.0)  # it goes on
    assert not writes(T0 + 3600, 1002.0)  # the wall clock jumped: no burst of writes
    assert writes(T0 + 3659, 1060.0)  # flush_seconds of monotonic time
    assert not writes(T0 + 3660, 1061.0)
    assert writes(T0 + 3661, 1062.0, ended=(visit,))  # it ended: written at once
