"""A broken config, through the real `nudger` command: one line, exit code 2, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.nudger_process import isolated_env, run_cli

BROKEN = {
    "bad TOML": ("[watch\npoll_seconds = 1\n", "line 1"),
    "invalid regex": ('[[blocklist]]\nname = "Alex"\nmatch = ["re:(alex"]\n', "blocklist[0]"),
    "negative interval": ("[watch]\npoll_seconds = -2\n", "watch.poll_seconds"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
@pytest.mark.parametrize(
    "command", [("config", "check"), ("run",), ("block", "add", "Sam", "--match", "Sam Lee")]
)
def test_broken_config_is_one_clear_line_and_exit_code_2(
    tmp_path: Path, case: str, command: tuple[str, ...]
) -> None:
    text, field = BROKEN[case]
    env = isolated_env(tmp_path)
    config = Path(env["NUDGER_CONFIG"])
    config.write_text(text, encoding="utf-8")
    result = run_cli(env, *command)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(config) in lines[0]
    assert field in lines[0]
    assert "Traceback" not in result.stderr


def test_config_check_lists_the_files_it_read(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    Path(env["NUDGER_CONFIG"]).write_text("[watch]\npoll_seconds = 2\n", encoding="utf-8")
    result = run_cli(env, "config", "check")
    assert result.returncode == 0, result.stderr
    assert "nudger.toml" in result.stdout
    assert env["NUDGER_CONFIG"] in result.stdout
    assert "0 blocklist entries, 0 sites of your own." in result.stdout


def test_config_check_counts_in_plain_english(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    Path(env["NUDGER_CONFIG"]).write_text(
        '[[blocklist]]\nname = "Alex"\nmatch = ["Alex Doe"]\n'
        '[[sites]]\nname = "Forum"\nmatch = ["forum.example"]\n',
        encoding="utf-8",
    )
    result = run_cli(env, "config", "check")
    assert result.returncode == 0, result.stderr
    assert "1 blocklist entry, 1 site of your own." in result.stdout


@pytest.mark.parametrize(
    "command",
    [(), ("run",), ("summary",), ("config",), ("config", "check"), ("doctor",)],
)
def test_every_command_has_help(tmp_path: Path, command: tuple[str, ...]) -> None:
    result = run_cli(isolated_env(tmp_path), *command, "--help")
    assert result.returncode == 0
    assert "usage: nudger" in result.stdout
