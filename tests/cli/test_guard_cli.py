"""The taps and the guard's notes through the real commands and a real SQLite file: the summary
(text, JSON, HTML report) says when pauses and visits gathered and how it felt, offers a plan,
and says a companion switched off once; `nudger guard forget` deletes notes and taps only."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

from nudger.core.guard import GuardNote
from nudger.store import Store
from tests.nudger_process import isolated_env, run_cli

TZ = ZoneInfo("Europe/Berlin")
LINE = "Most pauses and visits came after 23:00, when you felt lonely."


def _late(days_ago: int, minute: int) -> float:
    day = dt.datetime.now(TZ).date() - dt.timedelta(days=days_ago)
    return dt.datetime(day.year, day.month, day.day, 23, minute, tzinfo=TZ).timestamp()


def _seeded(tmp_path: Path) -> tuple[dict[str, str], Path]:
    env = {**isolated_env(tmp_path), "TZ": "Europe/Berlin"}
    Path(env["NUDGER_CONFIG"]).write_text(
        '[summary]\ntimezone = "Europe/Berlin"\n', encoding="utf-8"
    )
    database = Path(env["NUDGER_DATA_DIR"]) / "nudger.db"
    store = Store.open(database)
    for days_ago in (1, 2, 3):
        at = _late(days_ago, 10 + days_ago)
        store.add_nudge(
            at=at,
            kind="blocklist",
            target="Alex",
            reason="pause",
            message_id="pause",
            delivered=True,
            channel="browser",
            notification_id=None,
        )
        store.add_feeling("lonely", at + 5)
    off_at = _late(1, 40)
    store.add_guard_note(GuardNote("companion_off", off_at, off_at + 600, 0.0, "firefox-esr"))
    store.close()
    return env, database


def test_the_summary_says_when_and_how_it_felt_and_offers_a_plan(tmp_path: Path) -> None:
    env, _ = _seeded(tmp_path)
    text = run_cli(env, "summary", "--week")
    assert text.returncode == 0, text.stderr
    assert LINE in text.stdout
    assert 'nudger plan add "If I feel lonely, then I …"' in text.stdout
    assert "The companion in Firefox was off from" in text.stdout
    assert text.stdout.count("The companion in Firefox") == 1
    day = json.loads(run_cli(env, "summary", "--json").stdout)
    assert day["tendency"] == {
        "band": "night",
        "hour": 23,
        "feeling": "lonely",
        "offers_plan": True,
    }
    report = tmp_path / "report.html"
    assert run_cli(env, "report", "--output", str(report)).returncode == 0
    assert LINE in report.read_text(encoding="utf-8")


def test_guard_forget_deletes_the_notes_and_taps_and_keeps_the_rest(tmp_path: Path) -> None:
    env, database = _seeded(tmp_path)
    assert run_cli(env, "plan", "add", "If I can't sleep, then I read.").returncode == 0
    helped = run_cli(env, "guard", "forget", "--help")
    assert helped.returncode == 0 and "pause page" in helped.stdout
    forgot = run_cli(env, "guard", "forget")
    assert forgot.returncode == 0, forgot.stderr
    assert "Your visits and plans stay." in forgot.stdout
    store = Store.open_for_reading(database)
    try:
        assert store.feelings_between(0, 1e12) == []
        assert store.guard_notes_between(0, 1e12) == []
        assert len(store.nudges_between(0, 1e12)) == 3
        assert [text for _id, text in store.plans()] == ["If I can't sleep, then I read."]
    finally:
        store.close()
    text = run_cli(env, "summary", "--week").stdout
    assert "when you felt lonely" not in text and "The companion in" not in text
    assert "Most pauses and visits came after 23:00." in text  # the pauses themselves stay
