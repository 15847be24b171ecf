"""`nudger plan` through the real command and a real SQLite file: kept in the person's words,
shown in the summary (text, JSON, HTML), refused when it names the blocklist, deletable."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from tests.nudger_process import isolated_env, run_cli

PLAN = "If it's late and I feel lonely, then I write in my notebook."
CONFIG = '[[blocklist]]\nname = "Jamie"\nmatch = ["Jamie Rivers", "@jamie.r"]\n'


def _env(tmp_path: Path) -> dict[str, str]:
    env = isolated_env(tmp_path)
    Path(env["NUDGER_CONFIG"]).write_text(CONFIG, encoding="utf-8")
    return env


def test_a_plan_is_kept_privately_and_shown_in_the_summary_in_the_persons_words(
    tmp_path: Path,
) -> None:
    env = _env(tmp_path)
    added = run_cli(env, "plan", "add", PLAN)
    assert added.returncode == 0, added.stderr
    assert "never in a notification" in added.stdout
    database = Path(env["NUDGER_DATA_DIR"]) / "nudger.db"
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert stat.S_IMODE(database.parent.stat().st_mode) == 0o700

    assert PLAN in run_cli(env, "plan", "list").stdout
    assert PLAN in run_cli(env, "summary").stdout
    assert PLAN in run_cli(env, "summary", "--week").stdout
    assert json.loads(run_cli(env, "summary", "--json").stdout)["plans"] == [PLAN]
    report = tmp_path / "report.html"
    assert run_cli(env, "report", "--output", str(report)).returncode == 0
    assert "If it&#x27;s late and I feel lonely" in report.read_text(encoding="utf-8")


def test_a_plan_naming_the_blocklist_is_refused_with_one_kind_line(tmp_path: Path) -> None:
    env = _env(tmp_path)
    for plan in ("If I miss Jamie, then I call my sister.", "If I open @jamie.r then I breathe."):
        refused = run_cli(env, "plan", "add", plan)
        assert refused.returncode == 1
        assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr
        assert "blocklist" in refused.stderr and "Jamie" not in refused.stderr
    assert "No plans yet" in run_cli(env, "plan", "list").stdout


def test_plans_are_removed_one_by_one_or_all_at_once(tmp_path: Path) -> None:
    env = _env(tmp_path)
    for plan in (PLAN, "If I can't sleep, then I read a paper book.", "If bored, then walk."):
        assert run_cli(env, "plan", "add", plan).returncode == 0
    removed = run_cli(env, "plan", "remove", "1")
    assert removed.returncode == 0 and "Deleted 1 plan." in removed.stdout
    missing = run_cli(env, "plan", "remove", "1")
    assert missing.returncode == 1 and "no plan 1" in missing.stderr
    everything = run_cli(env, "plan", "remove", "--all")
    assert "Deleted 2 plans." in everything.stdout
    assert "No plans yet" in run_cli(env, "plan", "list").stdout
    assert json.loads(run_cli(env, "summary", "--json").stdout)["plans"] == []
