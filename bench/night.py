"""A night, replayed: scripted visits fed to the real coach and session, with a fake clock.

    .venv/bin/python bench/night.py SCENARIO.json [--config FILE] [--seed N]

No desktop and no matching: each visit in the scenario is already a visit to a blocklist entry
(`"kind": "blocklist"`, with the entry's name) or to a catalogue site (`"kind": "site"`, with
the site's name). The coach, the core's session (its policy, the day's ledger) and the
database (SQLite, in a temporary folder) are nudger's own, wired as the daemon wires them;
only the notifier is a stand-in, which records what would be shown and presses the button the
scenario asks for 5 s after each nudge (`"answers"`: "ignore", "away" or "snooze"; a visit may
carry its own `"answer"`). Settings come from
`--config` (a nudger settings file), else the built-in defaults; the scenario's time zone,
language and country override theirs.

Prints one JSON line per notification that would be sent:
{"at": "2026-12-04T23:00:05+00:00", "title": ..., "body": ..., "kind": "be_kind",
 "message_id": "be_kind.night.2", "when": "night", "number": false}
`at` is in the scenario's time zone; `kind` and `when` are the text's; `number` says whether
the body carries a line to call. Scenarios live in bench/scenarios/.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import random
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nudger.core import session
from nudger.core.types import Feedback, Kind, Reading, Visit, Window
from nudger.notify.base import Delivery, Notification
from nudger.settings.loader import load
from nudger.settings.values import Settings, days_of
from nudger.shell import i18n
from nudger.shell.coach import Coach
from nudger.shell.pause import PauseFile
from nudger.store import Store

Answer = Literal["ignore", "away", "snooze"]
ANSWER_AFTER_SECONDS = 5.0
# With nothing in front, the clock moves in steps this long: outcomes still resolve on time.
IDLE_STEP_SECONDS = 30.0
# After the last visit: long enough for the last nudge's outcome (10 minutes away) to be known.
AFTER_LAST_VISIT_SECONDS = 15 * 60


@dataclass(frozen=True)
class ScriptedVisit:
    start: float
    end: float
    kind: Kind
    name: str
    answer: Answer

    def open_at(self, at: float) -> Visit:
        return Visit(self.kind, self.name, "title", "front", self.start, at)

    def ended(self) -> Visit:
        return Visit(self.kind, self.name, "title", "front", self.start, self.end)


class StandInNotifier:
    """Shows nothing: records each notification and presses the scripted button later."""

    name = "bench"

    def __init__(self) -> None:
        self.now = 0.0
        self.sent: list[Notification] = []
        self._presses: list[tuple[float, Feedback]] = []
        self.answer_next: Answer = "ignore"

    def send(self, notification: Notification) -> Delivery:
        self.sent.append(notification)
        notification_id = len(self.sent)
        if self.answer_next != "ignore":
            press = Feedback(notification_id, self.answer_next)
            self._presses.append((self.now + ANSWER_AFTER_SECONDS, press))
        return Delivery(delivered=True, channel="bench", notification_id=notification_id)

    def feedback(self) -> list[Feedback]:
        due = [press for at, press in self._presses if at <= self.now]
        self._presses = [(at, press) for at, press in self._presses if at > self.now]
        return due

    def close(self) -> None:
        pass


def scripted_visits(scenario: Mapping[str, Any], tz: ZoneInfo) -> list[ScriptedVisit]:
    default = cast(Answer, scenario.get("answers", "ignore"))

    def instant(text: str) -> float:
        return dt.datetime.fromisoformat(text).replace(tzinfo=tz).timestamp()

    visits = [
        ScriptedVisit(
            instant(item["start"]),
            instant(item["end"]),
            cast(Kind, item["kind"]),
            str(item["name"]),
            cast(Answer, item.get("answer", default)),
        )
        for item in scenario["visits"]
    ]
    return sorted(visits, key=lambda v: v.start)


def settings_for(scenario: Mapping[str, Any], config: Path | None) -> Settings:
    """The settings file's (or the built-in defaults), in the scenario's zone, language and
    country."""
    with tempfile.TemporaryDirectory() as empty:
        loaded = load(config if config is not None else Path(empty) / "none.toml", env={})
    settings = loaded.settings
    return dataclasses.replace(
        settings,
        summary=dataclasses.replace(settings.summary, timezone=scenario["timezone"]),
        support=dataclasses.replace(settings.support, country=scenario.get("country", "")),
        ui=dataclasses.replace(settings.ui, language=scenario.get("language", "en")),
    )


def clock(visits: Sequence[ScriptedVisit]) -> Iterator[float]:
    """Every second while a visit is open; in longer steps between visits."""
    at = visits[0].start
    last = max(v.end for v in visits) + AFTER_LAST_VISIT_SECONDS
    while at <= last:
        yield at
        if any(v.start <= at < v.end for v in visits):
            at += 1.0
        else:
            upcoming = [v.start for v in visits if v.start > at]
            at = min([at + IDLE_STEP_SECONDS, *upcoming])


def replay(
    scenario: Mapping[str, Any],
    config: Path | None,
    seed: int = 0,
    inspect: Callable[[Coach], None] | None = None,
) -> list[dict[str, Any]]:
    """The notifications the scenario brings, in order; `inspect` sees the coach at the end
    (its database) before the temporary folder goes."""
    tz = ZoneInfo(scenario["timezone"])
    visits = scripted_visits(scenario, tz)
    settings = settings_for(scenario, config)
    translator = i18n.translator_for(settings.ui.language, environ={})
    notifier = StandInNotifier()
    shown: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "nudger.db")
        coach = Coach(
            settings,
            store,
            notifier,
            PauseFile(Path(folder)),
            days_of(settings),
            rng=random.Random(seed),
            translator=translator,
        )
        state = coach.start()
        previous = visits[0].start - 1.0
        for at in clock(visits):
            notifier.now = at
            ended = [v.ended() for v in visits if previous < v.end <= at]
            store.save_visits(ended)
            opened = [v for v in visits if v.start <= at < v.end]
            window = Window("bench", opened[0].name) if opened else None
            reading = Reading(window, idle_seconds=0.0)
            notifier.answer_next = opened[0].answer if opened else "ignore"
            # As the daemon does it: gather, let the core's session decide, carry out.
            observation = coach.observe(
                at,
                reading,
                ended,
                [v.open_at(at) for v in opened],
                day=session.needs_day(state, at),
            )
            state, effects = session.step(state, observation)
            coach.carry_out(effects)
            previous = at
            nudge = effects.nudge
            if nudge is None:
                continue
            message = next(m for m in state.policy.book.messages if m.id == nudge.message_id)
            shown.append(
                {
                    "at": dt.datetime.fromtimestamp(nudge.at, tz).isoformat(timespec="seconds"),
                    "title": nudge.title,
                    "body": nudge.body,
                    "kind": message.kind,
                    "message_id": nudge.message_id,
                    "when": message.when,
                    "number": nudge.number,
                }
            )
        if inspect is not None:
            inspect(coach)
        store.close()
    return shown


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("scenario", type=Path, help="the scenario, a JSON file")
    parser.add_argument("--config", type=Path, help="a nudger settings file (TOML)")
    parser.add_argument("--seed", type=int, default=0, help="for the choice of texts")
    args = parser.parse_args(argv)
    scenario = json.loads(args.scenario.read_text(encoding="utf-8"))
    for line in replay(scenario, args.config, args.seed):
        print(json.dumps(line, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
