"""Data and control the person must never lose: what they wrote, a pause, a summary, an edit.

Through the real `nudger` command, the way a newcomer met each of these in their first hour.
"""

from __future__ import annotations

import subprocess
import time
import tomllib
from pathlib import Path

from tests.desktop.rig import wait_until
from tests.nudger_process import NUDGER, NudgerDaemon, headless_env, isolated_env, run_cli

TYPO = "[nudges]\nblocklist_after_secs = 3\n"


def test_config_init_keeps_the_blocklist_and_comments_and_leaves_a_dated_backup(
    tmp_path: Path,
) -> None:
    env = isolated_env(tmp_path)
    config = Path(env["NUDGER_CONFIG"])
    assert run_cli(env, "block", "add", "Alex", "--match", "Alex Doe").returncode == 0
    with config.open("a", encoding="utf-8") as out:
        out.write(
            "# Alex's birthday is in May: maybe pause then.\n[nudges]\nsession_minutes = 15\n"
        )
    before = config.read_text(encoding="utf-8")

    for flags in ((), ("--force",)):  # --force, as the README once said, loses nothing either
        result = run_cli(env, "config", "init", *flags)
        assert result.returncode == 0, result.stderr
    text = config.read_text(encoding="utf-8")
    assert before in text, "everything the person wrote is still there, byte for byte"
    assert "# poll_seconds = 1.0" in text and "# How often the window in front" in text
    data = tomllib.loads(text)
    assert data["blocklist"] == [{"name": "Alex", "match": ["Alex Doe"], "apps": []}]
    assert data["nudges"] == {"session_minutes": 15}

    [backup] = config.parent.glob(f"{config.name}.*.bak")
    assert backup.read_text(encoding="utf-8") == before
    assert backup.stat().st_mode & 0o777 == 0o600
    first = run_cli(env, "config", "init")
    assert "already lists every setting" in first.stdout
    listed = run_cli(env, "block", "list")
    assert "Alex" in listed.stdout and "Alex Doe" in listed.stdout


def test_config_init_says_where_the_backup_is(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    Path(env["NUDGER_CONFIG"]).write_text('[[blocklist]]\nname = "Alex"\nmatch = ["Alex"]\n')
    result = run_cli(env, "config", "init")
    [backup] = Path(env["NUDGER_CONFIG"]).parent.glob("*.bak")
    assert str(backup) in result.stdout


def test_a_typo_never_stops_pause_resume_or_status(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    Path(env["NUDGER_CONFIG"]).write_text(TYPO, encoding="utf-8")
    paused = run_cli(env, "pause", "30m")
    assert paused.returncode == 0, paused.stderr
    assert "Nudges paused until" in paused.stdout
    assert (Path(env["NUDGER_DATA_DIR"]) / "pause.json").exists()

    status = run_cli(env, "status")
    assert status.returncode == 3, status.stderr  # not running: said, not hidden by the typo
    assert "nudger is not running" in status.stdout
    assert "Nudges are paused until" in status.stdout
    assert "blocklist_after_secs" in status.stderr

    resumed = run_cli(env, "resume")
    assert resumed.returncode == 0, resumed.stderr
    assert "Nudges are back on." in resumed.stdout
    assert resumed.stderr == ""


def test_a_typo_leaves_summaries_and_the_blocklist_readable_with_one_line_saying_why(
    tmp_path: Path,
) -> None:
    env = isolated_env(tmp_path)
    config = Path(env["NUDGER_CONFIG"])
    config.write_text('[[blocklist]]\nname = "Alex"\nmatch = ["Alex Doe"]\n', encoding="utf-8")
    assert run_cli(env, "block", "list").returncode == 0  # these settings load: kept as good
    config.write_text(config.read_text() + TYPO, encoding="utf-8")

    for command in (
        ("summary",),
        ("summary", "--json"),
        ("summary", "--week"),
        ("report", "--output", str(tmp_path / "r.html")),
        ("block", "list"),
        ("block", "test", "Alex Doe - chat", "--app", "signal"),
    ):
        result = run_cli(env, *command)
        assert result.returncode in (0, 1) and "Traceback" not in result.stderr, (command, result)
        [line] = result.stderr.strip().splitlines()
        assert str(config) in line and "blocklist_after_secs" in line
        assert "last good settings" in line
    assert "Alex Doe" in run_cli(env, "block", "list").stdout, "the last good blocklist"
    assert "Alex" in run_cli(env, "block", "test", "Alex Doe - chat", "--app", "signal").stdout


def test_a_typo_makes_block_add_refuse_and_say_how_to_fix_it(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    config = Path(env["NUDGER_CONFIG"])
    config.write_text(TYPO, encoding="utf-8")
    result = run_cli(env, "block", "add", "Sam", "--match", "Sam Lee")
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "blocklist_after_secs" in line and "fix that first" in line
    assert "nudger config check" in line and "nothing was changed" in line
    assert config.read_text(encoding="utf-8") == TYPO


def test_twenty_parallel_block_adds_lose_nothing_while_the_daemon_reloads(
    tmp_path: Path,
) -> None:
    env = headless_env(tmp_path)
    daemon = NudgerDaemon(tmp_path, env, "# my settings\n").start()
    try:
        wait_until(lambda: "nudger started" in daemon.log(), 20, "the daemon")
        writers = [
            subprocess.Popen(
                [NUDGER, "block", "add", f"NAME{i}", "--match", f"word{i}"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for i in range(20)
        ]
        for writer in writers:
            out, err = writer.communicate(timeout=120)
            assert writer.returncode == 0, err
            assert "Added" in out
        names = {e["name"] for e in tomllib.loads(daemon.config_path.read_text())["blocklist"]}
        assert names == {f"NAME{i}" for i in range(20)}
        wait_until(
            lambda: "blocklist entries: 20" in daemon.log(), 15, "the daemon to load all twenty"
        )
        time.sleep(0.5)
        assert daemon.process is not None and daemon.process.poll() is None
    finally:
        daemon.stop()
