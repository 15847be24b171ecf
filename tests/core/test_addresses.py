"""Address patterns: one table of cases, run against the Python matcher, against the regular
expression sent to the browser (with Python's re, with RE2 as Chromium uses it, and with
JavaScript as the extension and Firefox use it)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import re2

from nudger.core.addresses import address_of, browser_regex

CASES = json.loads((Path(__file__).with_name("address_cases.json")).read_text(encoding="utf-8"))
IDS = [f"{c['pattern']} {'~' if c['match'] else '!~'} {c['url']}" for c in CASES]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_python_matcher(case: dict[str, object]) -> None:
    address = address_of(str(case["pattern"]))
    assert address is not None
    assert address.matches(str(case["url"])) is case["match"]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_browser_regex_in_python_and_re2(case: dict[str, object]) -> None:
    address = address_of(str(case["pattern"]))
    assert address is not None
    regex = browser_regex(address)
    assert bool(re.search(regex, str(case["url"]), re.IGNORECASE)) is case["match"]
    options = re2.Options()
    options.case_sensitive = False
    assert bool(re2.compile(regex, options).search(str(case["url"]))) is case["match"]


def test_the_browser_regex_in_javascript() -> None:
    node = shutil.which("node")
    assert node, "Node.js runs the extension's side of this table; ./scripts/test installs it"
    regexes = []
    for case in CASES:
        address = address_of(str(case["pattern"]))
        assert address is not None
        regexes.append({"regex": browser_regex(address), "url": case["url"]})
    script = (
        "const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "console.log(JSON.stringify(cases.map(c => new RegExp(c.regex, 'iu').test(c.url))));"
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
