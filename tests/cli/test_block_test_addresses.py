"""`nudger block test` agrees with the table of address cases (tests/core/address_cases.json):
an address is counted as the person, and held back for a breath, exactly when the table says
(the same table the browsers' side runs in RE2 and JavaScript, and the real browsers act on in
tests/desktop/test_browser_companion.py)."""

from __future__ import annotations

import json
from pathlib import Path

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
