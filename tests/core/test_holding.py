"""What the browser holds back for a breath, and what it only counts: one table of cases
(holding_cases.json) run through the rule in Python (core/holding.py, which the daemon's
companion and `nudger block test` use) and through the extension's holding.js, on the very
message the companion sends. Each case is a [[blocklist]] entry beside the built-in catalogue."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nudger.core.addresses import PausePlan, pause_plan
from nudger.core.holding import NOTHING, held_back, holding, rule_holding
from nudger.settings.catalogue import all_rules
from nudger.settings.models import Settings
from nudger.shell.companion import Companion

EXTENSION = Path(__file__).parents[2] / "nudger" / "browser" / "extension"
CASES: list[dict[str, Any]] = json.loads(
    Path(__file__).with_name("holding_cases.json").read_text(encoding="utf-8")
)
# What the native-messaging host tells the extension when nudger is not running
# (nudger/browser/host.py): no rules come from nudger then, so only the extension decides.
STOPPED = {"type": "nudger_stopped"}


def settings_of(case: dict[str, Any]) -> Settings:
    blocklist = [{"name": "Ex", "match": case["blocklist"]}] if case["blocklist"] else []
    browser = {"pause_seconds": case["pause_seconds"], "pause_sites": case["pause_sites"]}
    return Settings.model_validate({"blocklist": blocklist, "browser": browser})


def plan_of(case: dict[str, Any]) -> PausePlan:
    chosen = settings_of(case)
    return pause_plan(all_rules(chosen), sites=chosen.browser.pause_sites)


def ids(cases: list[dict[str, Any]]) -> list[str]:
    return [f"{c['why']} ({c['nudger']}, {c['pause_seconds']} s) {c['url']}" for c in cases]


WHILE_NUDGER_RUNS = [c for c in CASES if c["nudger"] != "stopped"]


@pytest.mark.parametrize("case", WHILE_NUDGER_RUNS, ids=ids(WHILE_NUDGER_RUNS))
def test_the_python_rule(case: dict[str, Any]) -> None:
    plan = plan_of(case)
    paused = case["nudger"] == "paused"
    told = holding(plan, pause_seconds=case["pause_seconds"], paused=paused)
    assert told.only_counted == case["only_counted"]
    url = case["url"]
    assert held_back(plan, url, pause_seconds=case["pause_seconds"], paused=paused) is case["held"]


def message_of(case: dict[str, Any]) -> dict[str, Any]:
    """What the extension hears: the companion's own message, or the host's word that nudger
    is not running."""
    if case["nudger"] == "stopped":
        return STOPPED
    chosen = settings_of(case)
    return Companion(None, chosen, all_rules(chosen)).message(paused=case["nudger"] == "paused")


def run_in_javascript(messages: list[dict[str, Any]]) -> dict[str, list[object]]:
    """Each case's [held, only counted] as holding.js decides them on `messages`."""
    node = shutil.which("node")
    assert node, "Node.js runs the extension's side of this table; ./scripts/test installs it"
    script = (
        f"require({json.dumps(str(EXTENSION / 'addresses.js'))});"
        f"require({json.dumps(str(EXTENSION / 'holding.js'))});"
        "const {holding, ruleHolding} = globalThis.nudgerHolding;"
        "const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "console.log(JSON.stringify(cases.map(c => {"
        "  const told = holding(c.message);"
        "  return [Boolean(ruleHolding(told.rules, c.url)), told.onlyCounted];"
        "})));"
    )
    cases = [{"message": m, "url": c["url"]} for m, c in zip(messages, CASES, strict=True)]
    result = subprocess.run(
        [node, "-e", script], input=json.dumps(cases), capture_output=True, text=True, check=True
    )
    return dict(zip(ids(CASES), json.loads(result.stdout), strict=True))


EXPECTED = {name: [c["held"], c["only_counted"]] for name, c in zip(ids(CASES), CASES, strict=True)}


def test_the_extension_rule_in_javascript() -> None:
    assert run_in_javascript([message_of(case) for case in CASES]) == EXPECTED


def test_the_extension_holds_nothing_back_for_a_breath_of_no_length_whatever_it_is_sent() -> None:
    """The companion sends no rules then; the extension does not rely on it (a daemon of
    another version): given every rule of the plan, it decides the same."""
    messages = [
        {
            **message_of(case),
            "rules": list(plan_of(case).rules),
            "only_counted": plan_of(case).only_counted,
        }
        if case["nudger"] == "running"
        else message_of(case)
        for case in CASES
    ]
    assert run_in_javascript(messages) == EXPECTED


def test_the_table_covers_every_state_of_nudger_and_the_pause() -> None:
    assert len(set(ids(CASES))) == len(CASES)  # each case told apart by its name
    seen = {(c["nudger"], c["pause_seconds"] > 0, c["pause_sites"], c["held"]) for c in CASES}
    for nudger in ("running", "paused", "stopped"):
        for sites in (False, True):
            assert (nudger, True, sites, nudger == "running") in seen
    assert ("running", False, False, False) in seen and ("running", False, True, False) in seen
    assert any(c["only_counted"] > 0 for c in CASES)
    # The host's own word for a nudger that is not running, as these cases send it.
    host = (EXTENSION.parent / "host.py").read_text(encoding="utf-8")
    assert repr(STOPPED).replace("'", '"') in host


PLAN = pause_plan(
    all_rules(Settings.model_validate({"blocklist": [{"name": "Ex", "match": ["a.example/x"]}]})),
    sites=True,
)


# No deadline: the machine the suite runs on is shared and loaded.
@settings(deadline=None)
@given(
    pause_seconds=st.floats(min_value=0, max_value=60),
    paused=st.booleans(),
    url=st.sampled_from([c["url"] for c in CASES] + ["https://a.example/x", "https://x.com/"]),
)
def test_nothing_is_held_back_or_counted_while_paused_or_without_a_breath(
    pause_seconds: float, paused: bool, url: str
) -> None:
    told = holding(PLAN, pause_seconds=pause_seconds, paused=paused)
    quiet = paused or pause_seconds == 0
    assert (told == NOTHING) is quiet
    assert held_back(PLAN, url, pause_seconds=pause_seconds, paused=paused) is (
        not quiet and rule_holding(PLAN.rules, url) is not None
    )


HANDLE = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_",
                 min_size=1, max_size=30)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(entry=HANDLE, visited=HANDLE, path=st.sampled_from(["", "/", "/reels/", "?igsh=1"]))
def test_a_profile_is_held_back_exactly_on_its_own_pages(
    entry: str, visited: str, path: str
) -> None:
    """Whatever the handle: its own pages in any case are held back, no one else's."""
    chosen = Settings.model_validate(
        {"blocklist": [{"name": "Ex", "match": [f"instagram.com/{entry}"]}]}
    )
    plan = pause_plan(all_rules(chosen), sites=False)
    url = f"https://www.instagram.com/{visited}{path}"
    same = visited.casefold() == entry.casefold()
    assert held_back(plan, url, pause_seconds=5, paused=False) is same
