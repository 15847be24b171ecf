"""The promise's rule: no change, and no sequence of changes, makes the settings in force looser
before the cool-off has passed; what does not loosen applies at once.

"Looser" is said here a second time, on its own, setting by setting (LOOSER below), so that the
core's rule is checked against an independent statement of it. The last tests break the core's
rule on purpose, in several ways, and show that the property tests catch each one.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from nudger.core import promise
from nudger.core.types import ClockSpan
from nudger.settings.models import Settings

# Every setting, and which way it loosens ("higher", "lower", "off", "grows", "item removed",
# "item added", "entries": an entry or a pattern, app or path of one removed), or None: looks or
# words only, any change applies at once.
LOOSER: dict[str, str | None] = {
    "watch.poll_seconds": "higher",
    "watch.idle_seconds": "lower",
    "watch.flush_seconds": None,
    "watch.process_scan_seconds": "higher",
    "watch.browsers": "item removed",
    "catalogue.disabled": "item added",
    "summary.day_starts_at": None,
    "summary.time": None,
    "summary.timezone": None,
    "privacy.store_titles": None,
    "privacy.redact_blocklist_titles": None,
    "privacy.alias_blocklist": None,
    "privacy.keep_days": None,
    "nudges.enabled": "off",
    "nudges.blocklist_after_seconds": "higher",
    "nudges.blocklist_repeat_minutes": "higher",
    "nudges.session_minutes": "higher",
    "nudges.daily_budget_minutes": "higher",
    "nudges.repeat_minutes": "higher",
    "nudges.min_gap_minutes": "higher",
    "nudges.quiet_hours": "grows",
    "nudges.night": "grows",
    "nudges.night_cap": "lower",
    "nudges.quiet_hours_night_care": "off",
    "nudges.expire_seconds": None,
    "nudges.heeded_within_seconds": None,
    "support.line": None,
    "support.country": None,
    "browser.pause_seconds": "lower",
    "browser.pause_again_minutes": "higher",
    "browser.pause_sites": "off",
    "ui.language": None,
    "ui.status_icon": None,
    "sites": "entries",
    "blocklist": "entries",
    "messages.builtin": None,
    "messages.own": None,
}


def leaves(model: type[BaseModel], prefix: str = "") -> Iterator[str]:
    for name, field in model.model_fields.items():
        inner = field.annotation
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            yield from leaves(inner, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}"


def test_every_setting_has_a_direction_here() -> None:
    """A new setting cannot slip past the property tests: it must be given a direction."""
    assert set(leaves(Settings)) == set(LOOSER)


def get(data: Mapping[str, Any], path: str) -> Any:
    for part in path.split("."):
        data = data[part]
    return data


@functools.cache
def _minutes(start: str, end: str) -> frozenset[int]:
    span = ClockSpan(dt.time.fromisoformat(start), dt.time.fromisoformat(end))
    return frozenset(m for m in range(0, 1440, 30) if span.contains(dt.time(m // 60, m % 60)))


def minutes_in(value: Any) -> frozenset[int]:
    """The half hours a span holds (the spans made up here start and end on half hours)."""
    return frozenset() if value is None else _minutes(value["start"], value["end"])


def entry_items(entries: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    found: set[tuple[str, str, str]] = set()
    for entry in entries:
        key = entry["name"].casefold()
        found.add((key, "", ""))
        found |= {
            (key, part, item) for part in ("match", "apps", "profiles") for item in entry[part]
        }
    return found


def looser(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The settings in which `after` is looser than `before`, by LOOSER."""
    found = []
    for path, way in LOOSER.items():
        old, new = get(before, path), get(after, path)
        if (
            (way == "higher" and new > old)
            or (way == "lower" and new < old)
            or (way == "off" and old and not new)
            or (way == "grows" and not minutes_in(new) <= minutes_in(old))
            or (way == "item removed" and not set(old) <= set(new))
            or (way == "item added" and not set(new) <= set(old))
            or (way == "entries" and not entry_items(old) <= entry_items(new))
        ):
            found.append(path)
    return found


# -- settings made up by hypothesis -----------------------------------------------------------

BASE = Settings().model_dump(mode="json")
NUMBERS = [path for path, way in LOOSER.items() if way in {"higher", "lower"}]
SWITCHES = [path for path, way in LOOSER.items() if way == "off"]
clock = st.builds(lambda h, m: f"{h:02d}:{m:02d}:00", st.integers(0, 23), st.sampled_from([0, 30]))
span = st.none() | st.fixed_dictionaries({"start": clock, "end": clock})


def entries(profiles: list[str]) -> st.SearchStrategy[list[dict[str, Any]]]:
    entry = st.fixed_dictionaries(
        {
            "name": st.sampled_from(["Alex", "alex", "Sam", "Jo"]),
            "match": st.lists(
                st.sampled_from(["Alex Doe", "alexdoe", "re:al.x"]), unique=True, min_size=1
            ),
            "apps": st.lists(st.sampled_from(["signal", "telegram"]), unique=True),
            "profiles": st.lists(st.sampled_from(profiles), unique=True)
            if profiles
            else st.just([]),
        }
    )
    return st.lists(entry, max_size=3, unique_by=lambda e: e["name"].casefold())


@st.composite
def settings_data(draw: st.DrawFn) -> dict[str, Any]:
    data: dict[str, Any] = {
        key: dict(value) if isinstance(value, dict) else value for key, value in BASE.items()
    }

    def put(path: str, value: Any) -> None:
        section, name = path.split(".")
        data[section][name] = value

    for path in NUMBERS:
        put(path, draw(st.integers(1, 50)))
    for path in SWITCHES:
        put(path, draw(st.booleans()))
    put("nudges.quiet_hours", draw(span))
    put("nudges.night", draw(span))
    put(
        "watch.browsers",
        draw(st.lists(st.sampled_from(["vivaldi", "brave", "epiphany"]), unique=True)),
    )
    put(
        "catalogue.disabled",
        draw(st.lists(st.sampled_from(["Facebook", "TikTok", "X"]), unique=True)),
    )
    put("ui.language", draw(st.sampled_from(["", "de", "es"])))
    put("privacy.keep_days", draw(st.integers(0, 30)))
    data["blocklist"] = draw(entries([]))
    data["sites"] = draw(entries(["/{name}", "/p/{name}"]))
    return data


PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# A broken rule is looked for harder, and not shrunk: finding it is all that counts.
HUNT = settings(
    max_examples=1000,
    deadline=None,
    phases=[Phase.generate],
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def check_no_loosening(in_force: dict[str, Any], wanted: dict[str, Any]) -> None:
    after = promise.held(in_force, wanted, frozenset())
    assert looser(in_force, after) == [], "a loosening went through before its cool-off"


def check_one_change(in_force: dict[str, Any], wanted: dict[str, Any]) -> None:
    check_no_loosening(in_force, wanted)
    after = promise.held(in_force, wanted, frozenset())
    # What does not loosen applies at once: each setting the file tightens or keeps is in force.
    loosened = looser(in_force, wanted)
    for path, way in LOOSER.items():
        if way not in {"entries", "item removed", "item added"} and path not in loosened:
            assert get(after, path) == get(wanted, path), path
    assert entry_items(wanted["blocklist"]) <= entry_items(after["blocklist"])
    assert set(wanted["watch"]["browsers"]) <= set(after["watch"]["browsers"])
    Settings.model_validate(after)  # the settings in force are settings


def check_sequence(first: dict[str, Any], wanted: list[dict[str, Any]]) -> None:
    made = promise.begin(first, now=0.0, length=7 * 86400, cool_off=3600)
    current: promise.Promise | None = made
    for minute, one in enumerate(wanted):
        assert current is not None
        outcome = promise.step(current, one, now=minute * 60.0)  # all within the cool-off
        assert looser(first, outcome.in_force) == [], "a loosening went through before its cool-off"
        current = outcome.promise
    assert current is not None
    # Once the cool-off has passed, the file's settings are in force, all of them.
    late = promise.step(current, wanted[-1], now=len(wanted) * 60.0 + 3600)
    assert late.in_force == wanted[-1]


@PROPERTY
@given(settings_data(), settings_data())
def test_no_change_loosens_before_its_cool_off(
    in_force: dict[str, Any], wanted: dict[str, Any]
) -> None:
    check_one_change(in_force, wanted)


@PROPERTY
@given(settings_data(), st.lists(settings_data(), min_size=1, max_size=5))
def test_no_sequence_of_changes_loosens_before_the_cool_off(
    first: dict[str, Any], wanted: list[dict[str, Any]]
) -> None:
    check_sequence(first, wanted)


def test_a_loosening_waits_its_cool_off_and_a_pass_applies_it_at_once() -> None:
    with_alex = {
        **BASE,
        "blocklist": [{"name": "Alex", "match": ["Alex Doe"], "apps": [], "profiles": []}],
    }
    made = promise.begin(with_alex, now=0.0, length=86400, cool_off=3600)
    outcome = promise.step(made, BASE, now=10.0)
    assert outcome.promise is not None and outcome.in_force["blocklist"] == with_alex["blocklist"]
    (waiting,) = outcome.promise.waiting
    assert (waiting.since, waiting.due) == (10.0, 3610.0)
    # Seen again later, it keeps its time; once due, it applies.
    again = promise.step(outcome.promise, BASE, now=3000.0)
    assert again.promise is not None and again.promise.waiting == (waiting,)
    assert promise.step(again.promise, BASE, now=3610.0).in_force["blocklist"] == []
    # A pass applies it now; the second pass in the week is not free.
    passed = promise.use_pass(outcome.promise, waiting.id, now=20.0)
    assert promise.step(passed, BASE, now=20.0).in_force["blocklist"] == []
    assert promise.pass_allowed(passed, now=6 * 86400.0) == 20.0 + promise.WEEK_SECONDS
    assert promise.pass_allowed(passed, now=20.0 + promise.WEEK_SECONDS) is None


def test_asking_for_more_later_waits_anew() -> None:
    made = promise.begin(BASE, now=0.0, length=86400, cool_off=3600)

    def minutes(value: int) -> dict[str, Any]:
        return {**BASE, "nudges": {**BASE["nudges"], "session_minutes": value}}

    first = promise.step(made, minutes(30), now=0.0).promise
    assert first is not None
    second = promise.step(first, minutes(600), now=3000.0)
    assert second.in_force["nudges"]["session_minutes"] == 20
    assert second.promise is not None
    assert (
        promise.step(second.promise, minutes(600), now=3600.0).in_force["nudges"]["session_minutes"]
        == 20
    )


def test_ending_waits_the_cool_off() -> None:
    made = promise.ask(promise.begin(BASE, now=0.0, length=86400, cool_off=3600), "end", 5.0)
    assert promise.step(made, BASE, now=3604.0).promise is not None
    assert promise.step(made, BASE, now=3605.0).promise is None


# -- a rule broken on purpose is caught -------------------------------------------------------

Breakage = Callable[[pytest.MonkeyPatch], None]
BROKEN: dict[str, Breakage] = {
    "a higher budget taken as neutral": lambda mp: mp.setattr(
        promise, "NEUTRAL", promise.NEUTRAL | {"nudges.daily_budget_minutes"}
    ),
    "the browser pause read the wrong way round": lambda mp: (
        mp.setattr(
            promise, "LOOSER_WHEN_LOWER", promise.LOOSER_WHEN_LOWER - {"browser.pause_seconds"}
        ),
        mp.setattr(
            promise, "LOOSER_WHEN_HIGHER", promise.LOOSER_WHEN_HIGHER | {"browser.pause_seconds"}
        ),
    ),
    "growing quiet hours let through": lambda mp: mp.setattr(
        promise, "_within", lambda inner, outer: True
    ),
    "an entry's apps not looked at": lambda mp: mp.setattr(
        promise, "RULE_PARTS", ("match", "profiles")
    ),
    "switching a site off taken as neutral": lambda mp: (
        mp.setattr(promise, "LOOSER_WHEN_ITEM_ADDED", frozenset()),
        mp.setattr(promise, "NEUTRAL", promise.NEUTRAL | {"catalogue"}),
    ),
    "switching nudges off let through": lambda mp: mp.setattr(
        promise, "NEUTRAL", promise.NEUTRAL | {"nudges.enabled"}
    ),
}


@pytest.mark.parametrize("breakage", list(BROKEN), ids=list(BROKEN))
def test_the_property_tests_catch_a_rule_that_lets_a_loosening_through(
    breakage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    BROKEN[breakage](monkeypatch)
    one_change = HUNT(given(settings_data(), settings_data())(check_no_loosening))
    sequences = HUNT(
        given(settings_data(), st.lists(settings_data(), min_size=1, max_size=5))(check_sequence)
    )
    for property_test in (one_change, sequences):
        with pytest.raises(AssertionError, match="loosening went through"):
            property_test()
