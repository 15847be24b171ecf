"""The daemon's answers to the companion's pages (shell/pages.py), with real files: a change goes
through `nudger block`'s own path (comments kept, a broken change refused and nothing written),
a running promise makes a loosening wait and says until when, and Today is `summary --json`."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from nudger.core.translate import ENGLISH
from nudger.errors import ConfigError
from nudger.settings.loader import load
from nudger.shell import pages
from nudger.shell.i18n import translator_for
from tests.nudger_process import headless_env, run_cli

CONFIG = """\
# Mine. Keep this.
[[blocklist]]
name = "Alex"   # the ex
match = ["Alex Doe", "instagram.com/alexdoe"]
"""


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    env = headless_env(tmp_path)
    for key in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(key, env[key])
    monkeypatch.setenv("NUDGER_DATA_DIR", env["NUDGER_DATA_DIR"])
    monkeypatch.setenv("NUDGER_CONFIG", env["NUDGER_CONFIG"])
    Path(env["NUDGER_CONFIG"]).write_text(CONFIG, encoding="utf-8")
    return env


def test_an_entry_added_keeps_the_persons_file_and_shows_in_block_list(
    env: dict[str, str],
) -> None:
    config = Path(env["NUDGER_CONFIG"])
    answer = pages.change_blocklist(
        config, "add", {"name": "Sam", "match": ["samdoe", " "], "apps": []}
    )
    assert [entry["name"] for entry in answer["entries"]] == ["Alex", "Sam"]
    assert answer["waiting"] == []
    text = config.read_text(encoding="utf-8")
    assert text.startswith(CONFIG)
    listed = run_cli(env, "block", "list").stdout
    assert "Sam" in listed and "samdoe" in listed


def test_a_bad_pattern_is_refused_with_its_reason_and_nothing_is_written(
    env: dict[str, str],
) -> None:
    config = Path(env["NUDGER_CONFIG"])
    with pytest.raises(ConfigError) as refused:
        pages.change_blocklist(config, "add", {"name": "Bad", "match": ["re:(unclosed"]})
    assert "match" in str(refused.value)
    assert config.read_text(encoding="utf-8") == CONFIG
    tested = pages.block_test(config, {"text": "", "match": ["re:(unclosed", "fine"]})
    assert list(tested["problems"]) == ["re:(unclosed"]


def test_during_a_promise_a_removal_waits_and_the_page_is_told_until_when(
    env: dict[str, str],
) -> None:
    config = Path(env["NUDGER_CONFIG"])
    assert run_cli(env, "promise", "3d", "--cool-off", "2h").returncode == 0
    before = time.time()
    answer = pages.change_blocklist(config, "remove", {"name": "Alex"})
    assert "Alex" not in config.read_text(encoding="utf-8")
    [waiting] = answer["waiting"]
    assert before + 2 * 3600 - 60 <= waiting["due"] <= time.time() + 2 * 3600 + 60
    # Still in force, as `nudger block list` says too.
    assert [entry["name"] for entry in answer["entries"]] == ["Alex"]
    assert "Alex" in run_cli(env, "block", "list").stdout


def test_today_is_what_summary_json_says(env: dict[str, str]) -> None:
    assert run_cli(env, "plan", "add", "If I miss them, I call Sam").returncode == 0
    shown = pages.today(Path(env["NUDGER_CONFIG"]), ENGLISH)
    day = json.loads(run_cli(env, "summary", "--json").stdout)
    week = json.loads(run_cli(env, "summary", "--week", "--json").stdout)
    assert shown["day"] == day
    assert shown["week"] == week
    assert shown["day"]["plans"] == ["If I miss them, I call Sam"]


def test_an_entry_changed_and_removed_as_block_edit_and_remove_do(env: dict[str, str]) -> None:
    config = Path(env["NUDGER_CONFIG"])
    pages.change_blocklist(config, "add", {"name": "Sam", "match": ["samdoe"]})
    answer = pages.change_blocklist(
        config,
        "edit",
        {"name": "Sam", "rename": "Sam D", "match": ["samdoe", "sam.doe"], "apps": ["signal"]},
    )
    assert answer["entries"][1] == {
        "name": "Sam D",
        "match": ["samdoe", "sam.doe"],
        "apps": ["signal"],
    }
    answer = pages.change_blocklist(config, "remove", {"name": "Sam D"})
    assert [entry["name"] for entry in answer["entries"]] == ["Alex"]
    assert config.read_text(encoding="utf-8").startswith(CONFIG)
    with pytest.raises(ConfigError, match="no entry named"):
        pages.change_blocklist(config, "remove", {"name": "Nobody"})


def test_the_desk_reads_the_settings_the_daemon_holds_until_the_file_changes(
    env: dict[str, str],
) -> None:
    """A page has a second to be answered: it reads what the daemon holds (in force for the
    blocklist, the file's own for Today and help), and the file itself once the daemon says
    that changed since (None)."""
    config = Path(env["NUDGER_CONFIG"])
    held_file = load(config).settings
    config.write_text('[[blocklist]]\nname = "Sam"\nmatch = ["samdoe"]\n', encoding="utf-8")
    asked: list[bool] = []
    current: list[object] = [held_file]

    def held(in_force: bool) -> object:
        asked.append(in_force)
        return current[0]

    desk = pages.PageDesk(translator_for, config, held)  # type: ignore[arg-type]
    try:
        shown = desk.answer({"kind": "blocklist", "args": {}})
        assert [entry["name"] for entry in shown["entries"]] == ["Alex"], "what the daemon holds"
        desk.answer({"kind": "help", "args": {"language": "en"}})
        assert asked == [True, False], "in force for the blocklist, the file's for help"
        current[0] = None  # the file changed since the daemon read it
        shown = desk.answer({"kind": "blocklist", "args": {}})
        assert [entry["name"] for entry in shown["entries"]] == ["Sam"], "the file itself"
    finally:
        desk.close()
