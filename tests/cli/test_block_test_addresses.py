"""`nudger block test` agrees with the table of address cases (tests/core/address_cases.json):
an address is counted as the person, and held back for a breath, exactly when the table says
(the same table the browsers' side runs in RE2 and JavaScript, and the real browsers act on in
tests/desktop/test_browser_companion.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from nudger.cli import main
from tests.nudger_process import isolated_env

CASES = json.loads(
    (Path(__file__).parents[1] / "core" / "address_cases.json").read_text(encoding="utf-8")
)


@pytest.mark.parametrize(
    "case", CASES, ids=[f"{c['pattern']} {'~' if c['match'] else '!~'} {c['url']}" for c in CASES]
)
def test_block_test_counts_and_holds_back_as_the_table_says(
    case: dict[str, object],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    env = isolated_env(tmp_path)
    config = Path(env["NUDGER_CONFIG"])
    entry = json.dumps(case["pattern"], ensure_ascii=False)
    config.write_text(f'[[blocklist]]\nname = "Ex"\nmatch = [{entry}]\n', encoding="utf-8")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    code = main(["block", "test", str(case["url"])])
    out = capsys.readouterr().out
    counted = "blocklist  Ex" in out
    held = "waits for a breath before it opens" in out
    assert (counted, held) == (case["match"], case["match"]), out
    assert code == (0 if case["match"] or "Instagram" in out or "site " in out else 1)


HOLDING = [
    c
    for c in json.loads(
        (Path(__file__).parents[1] / "core" / "holding_cases.json").read_text(encoding="utf-8")
    )
    # `block test` speaks of nudger's settings, as while it runs (not of its pause right now).
    if c["nudger"] == "running"
]


@pytest.mark.parametrize(
    "case", HOLDING, ids=[f"{c['why']} ({c['pause_seconds']} s) {c['url']}" for c in HOLDING]
)
def test_block_test_holds_back_as_the_holding_table_says(
    case: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The same table as the daemon's companion and the extension (tests/core/test_holding.py)."""
    env = isolated_env(tmp_path)
    entries = json.dumps(case["blocklist"], ensure_ascii=False)
    blocklist = f'[[blocklist]]\nname = "Ex"\nmatch = {entries}\n' if case["blocklist"] else ""
    browser = (
        f"[browser]\npause_seconds = {case['pause_seconds']}\n"
        f"pause_sites = {str(case['pause_sites']).lower()}\n"
    )
    Path(env["NUDGER_CONFIG"]).write_text(browser + blocklist, encoding="utf-8")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    main(["block", "test", case["url"]])
    out = capsys.readouterr().out
    assert ("waits for a breath before it opens" in out) is case["held"], out
