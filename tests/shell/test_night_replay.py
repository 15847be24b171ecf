"""The bad night of issue 25, replayed through bench/night.py: the real coach and policy, a fake
clock, SQLite in a temporary folder, and no desktop. Forty glances at the ex's page between
23:00 and 03:00, every nudge ignored, default settings."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bench import night
from nudger.core.support import any_time_number
from nudger.settings.support import support_table
from nudger.shell.coach import Coach

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "bench" / "scenarios"
KEYS = ["at", "title", "body", "kind", "message_id", "when", "number"]


def replay(scenario: Path, *options: str) -> list[dict[str, Any]]:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "night.py"), str(scenario), *options],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    for line in lines:
        assert list(line) == KEYS  # the issue's format, in its order
    return lines


def at(line: dict[str, Any]) -> dt.datetime:
    return dt.datetime.fromisoformat(line["at"])


def in_the_night(line: dict[str, Any]) -> bool:
    local = at(line).time()
    return local >= dt.time(23, 0) or local < dt.time(5, 0)


@pytest.fixture(scope="module")
def bad_night() -> list[dict[str, Any]]:
    return replay(SCENARIOS / "bad_night.json")


def test_the_scenario_is_the_issues_night() -> None:
    scenario = json.loads((SCENARIOS / "bad_night.json").read_text())
    visits = scenario["visits"]
    assert (scenario["timezone"], scenario["language"], scenario["country"]) == (
        "Europe/London",
        "en",
        "GB",
    )
    assert len(visits) == 40 and scenario["answers"] == "ignore"
    starts = [dt.datetime.fromisoformat(v["start"]) for v in visits]
    assert starts[0] == dt.datetime(2026, 12, 4, 23, 0)
    assert starts[-1] < dt.datetime(2026, 12, 5, 3, 0)
    assert all(v["kind"] == "blocklist" and v["name"] == "Alex" for v in visits)


def test_the_nights_nudges_are_spread_over_it_with_one_after_one_oclock(
    bad_night: list[dict[str, Any]],
) -> None:
    assert 2 <= len(bad_night) <= 3  # the night's cap
    assert all(in_the_night(line) for line in bad_night)
    assert at(bad_night[0]).time() < dt.time(23, 1)  # the first glance is not let be
    assert any(dt.time(1, 0) <= at(line).time() < dt.time(5, 0) for line in bad_night)
    assert at(bad_night[0]).utcoffset() == dt.timedelta(0)  # London in December, with offset


def test_the_night_gets_night_texts_only(bad_night: list[dict[str, Any]]) -> None:
    assert [line["when"] for line in bad_night] == ["night"] * len(bad_night)
    assert all(line["message_id"].split(".")[1] == "night" for line in bad_night)


def test_one_notification_carries_the_countrys_line_for_any_hour(
    bad_night: list[dict[str, Any]],
) -> None:
    number = any_time_number(support_table().countries["GB"])  # read from config/support.toml
    assert number == "116 123"
    carrying = [line for line in bad_night if line["number"]]
    assert len(carrying) == 1
    assert carrying[0]["body"].endswith(f"Someone to talk to, any time: {number}")
    assert sum(number in line["body"] for line in bad_night) == 1


def test_with_quiet_hours_the_one_care_message_waits_for_a_sign_of_distress() -> None:
    sent = replay(SCENARIOS / "bad_night.json", "--config", str(SCENARIOS / "quiet_hours.toml"))
    assert len(sent) == 1
    # Glances at 23:00 and 23:06 are let be; the third within half an hour is a sign.
    assert dt.time(23, 12) <= at(sent[0]).time() < dt.time(23, 13)
    assert sent[0]["when"] == "night" and sent[0]["number"]


def test_after_a_hard_afternoon_the_night_still_has_its_nudges() -> None:
    sent = replay(SCENARIOS / "hard_afternoon_then_night.json")
    afternoon = [line for line in sent if not in_the_night(line)]
    night = [line for line in sent if in_the_night(line)]
    assert len(afternoon) >= 3  # the afternoon's ignored nudges spaced the afternoon out
    gaps = [at(b) - at(a) for a, b in itertools.pairwise(afternoon)]
    assert max(gaps) >= dt.timedelta(minutes=40)
    assert 2 <= len(night) <= 3
    assert at(night[0]).time() < dt.time(23, 1)
    assert any(dt.time(1, 0) <= at(line).time() < dt.time(5, 0) for line in night)
    assert all(line["when"] == "night" for line in night)
    assert sum(line["number"] for line in night) == 1


def recorded(scenario: dict[str, Any]) -> list[tuple[object, object]]:
    """(action, heeded) of every nudge the replay recorded, through the real coach."""
    rows: list[tuple[object, object]] = []

    def keep(coach: Coach) -> None:
        rows.extend((row.action, row.heeded) for row in coach.store.recent_nudges(100))

    night.replay(scenario, None, inspect=keep)
    return rows


def test_ignored_glances_teach_that_nothing_was_heeded_and_the_button_that_it_was() -> None:
    """40-second glances end on their own within the two minutes, and come back 6 minutes
    later: no nudge was heeded. Pressing "I'm stepping away" heeds each one."""
    scenario = json.loads((SCENARIOS / "bad_night.json").read_text())
    ignored = recorded(scenario)
    assert ignored and all(heeded is False for _action, heeded in ignored)
    stepped_away = recorded({**scenario, "answers": "away"})
    assert stepped_away and all(row == ("away", True) for row in stepped_away)


def test_the_docs_show_what_the_replay_prints(bad_night: list[dict[str, Any]]) -> None:
    readme = (ROOT / "docs" / "nudges.md").read_text(encoding="utf-8")
    command = "$ .venv/bin/python bench/night.py bench/scenarios/bad_night.json\n"
    shown = readme.split(command, 1)[1].split("```", 1)[0]
    assert [json.loads(line) for line in shown.splitlines()] == bad_night
