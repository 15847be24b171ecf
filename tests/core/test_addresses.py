"""Address patterns: one table of cases, run against the Python matcher, against the regular
expression sent to the browser (with Python's re, with RE2 as Chromium uses it, and with
JavaScript as the extension and Firefox use it). Each pattern is a blocklist entry beside the
built-in catalogue, so a profile's address covers that profile's pages on every host."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import re2

from nudger.core.addresses import (
    MAX_REGEX_RULES,
    MESSAGE_BUDGET,
    Address,
    ProfileIndex,
    address_of,
    browser_form,
    browser_regex,
    fits_in_a_rule,
    pause_plan,
)
from nudger.core.matching import Rule
from nudger.settings.catalogue import all_rules
from nudger.settings.models import Settings

EXTENSION = Path(__file__).parents[2] / "nudger" / "browser" / "extension"
PROFILES = ProfileIndex(all_rules(Settings()))
CASES = json.loads((Path(__file__).with_name("address_cases.json")).read_text(encoding="utf-8"))
IDS = [f"{c['pattern']} {'~' if c['match'] else '!~'} {c['url']}" for c in CASES]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_python_matcher(case: dict[str, object]) -> None:
    assert entry(case).matches(str(case["url"])) is case["match"]


def entry(case: dict[str, object]) -> Address:
    address = PROFILES.address(str(case["pattern"]))
    assert address is not None
    return address


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_browser_regex_in_python_and_re2(case: dict[str, object]) -> None:
    """On the address in the form the rules are written for (see browser_form)."""
    regex = browser_regex(entry(case))
    url = browser_form(str(case["url"]))
    assert url.isascii()
    assert bool(re.search(regex, url)) is case["match"]
    assert bool(re2.compile(regex).search(url)) is case["match"]
    assert fits_in_a_rule(regex)


def test_the_browser_regex_in_javascript() -> None:
    node = shutil.which("node")
    assert node, "Node.js runs the extension's side of this table; ./scripts/test installs it"
    regexes = [{"regex": browser_regex(entry(case)), "url": case["url"]} for case in CASES]
    # The extension's own code (addresses.js) brings the address to the browser form.
    script = (
        f"require({json.dumps(str(EXTENSION / 'addresses.js'))});"
        "const {ruleFor} = globalThis.nudgerAddresses;"
        "const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "console.log(JSON.stringify(cases.map(c => Boolean(ruleFor([c], c.url)))));"
    )
    result = subprocess.run(
        [node, "-e", script], input=json.dumps(regexes), capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == [case["match"] for case in CASES]


@pytest.mark.parametrize(
    "pattern",
    ["Alex Doe", "@alexdoe", "alexdoe", "re:instagram\\.com/alexdoe", "Dr. Lee", "", "x.y z"],
)
def test_words_and_regular_expressions_are_not_addresses(pattern: str) -> None:
    assert address_of(pattern) is None


def blocklist_of(count: int, pattern: str = "instagram.com/person{i:05d}") -> list[Rule]:
    entries = [Rule("blocklist", f"P{i}", (pattern.format(i=i),)) for i in range(count)]
    return entries + [r for r in all_rules(Settings()) if r.kind == "site"]


@pytest.mark.parametrize("count", [999, 1001, 10_000])
def test_any_blocklist_is_packed_within_the_browsers_limits(count: int) -> None:
    """Chromium refuses a whole update with more than 1,000 regex rules, or one rule over its
    2 KB budget; the host drops a message over 1 MB. Packed, every entry is held back."""
    plan = pause_plan(blocklist_of(count), sites=False)
    assert (plan.held, plan.only_counted) == (count, 0)
    assert len(plan.rules) <= MAX_REGEX_RULES
    assert sum(int(str(rule["entries"])) for rule in plan.rules) == count
    assert len(json.dumps(list(plan.rules))) < MESSAGE_BUDGET
    assert all(fits_in_a_rule(str(rule["regex"])) for rule in plan.rules)
    compiled = [re2.compile(str(rule["regex"])) for rule in plan.rules]
    for i in (0, count // 2, count - 1):
        for url in (
            f"https://www.instagram.com/Person{i:05d}/",
            f"https://www.instagram.com/stories/person{i:05d}/1/",
        ):
            assert sum(1 for regex in compiled if regex.search(url)) == 1
    assert not any(r.search(f"https://www.instagram.com/person{count:05d}") for r in compiled)


def test_what_does_not_fit_is_only_counted_and_said() -> None:
    """Entries on 10,000 different hosts cannot share rules: 1,000 rules hold some back, and
    the plan says how many others are only counted."""
    plan = pause_plan(blocklist_of(10_000, "site{i}.example.org/a-long-path-{i}"), sites=False)
    assert len(plan.rules) == MAX_REGEX_RULES
    assert plan.held + plan.only_counted == 10_000
    assert plan.only_counted > 0 and plan.held >= MAX_REGEX_RULES
    small = pause_plan(blocklist_of(50), sites=False, budget=600)
    assert small.held < 50 and small.held + small.only_counted == 50
    assert len(json.dumps(list(small.rules))) <= 600


def test_an_address_too_big_for_one_rule_is_only_counted() -> None:
    rules = [Rule("blocklist", "Long", ("example.org/" + "ü" * 400, "example.org/alex"))]
    plan = pause_plan(rules, sites=False)
    assert (plan.held, plan.only_counted) == (1, 1)
