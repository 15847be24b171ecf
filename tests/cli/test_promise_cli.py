"""A promise never stands in the way of help: `help-now`, `status` and `resume` answer at once
during a promise, with a broken settings file, and while another command holds the promise.
A damaged promise state is a request to end it, which waits its cool-off."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from nudger.core import promise as rule
from nudger.oslock import FileLock
from nudger.settings import loader
from nudger.settings.values import settings_data
from nudger.shell.pause import PauseFile
from nudger.shell.promise import Keeper, state_path
from tests.nudger_process import headless_env, run_cli

ALEX = '[[blocklist]]\nname = "Alex"\nmatch = ["Alex Doe"]\n'


def test_help_now_status_summary_and_resume_at_once_during_a_promise_with_a_broken_file(
    tmp_path: Path,
) -> None:
    env = headless_env(tmp_path)
    config = Path(env["NUDGER_CONFIG"])
    config.write_text(ALEX, encoding="utf-8")
    assert run_cli(env, "promise", "3d", "--cool-off", "2h").returncode == 0
    assert run_cli(env, "block", "remove", "Alex").returncode == 0
    PauseFile(Path(env["NUDGER_DATA_DIR"])).path.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[[[ this is not TOML\n", encoding="utf-8")
    # Another command holds the promise's state the whole time.
    lock = FileLock(state_path(config).with_name(f"{state_path(config).name}.lock"))
    lock.acquire()
    try:
        for command, code, said in (
            (("help-now",), 0, ""),
            (("status",), 3, "Your promise runs until"),
            (("resume",), 0, "Nudges were not paused."),
            (("summary",), 0, "Your promise runs until"),
        ):
            result = run_cli(env, *command, timeout=30)
            assert result.returncode == code, result.stderr
            assert said in result.stdout
            assert result.stdout.strip(), "something useful is said"
    finally:
        lock.release()
    # With the file broken, the settings in force are still the promise's: Alex stays.
    assert "Alex" in run_cli(env, "block", "list").stdout


def test_a_damaged_promise_state_ends_the_promise_only_after_its_cool_off(
    tmp_path: Path,
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(ALEX, encoding="utf-8")
    with_alex = loader.load(config)
    keeper = Keeper(config, tmp_path / "data")
    start = 1_000_000.0
    keeper.write(rule.begin(settings_data(with_alex.settings), start, 7 * 86400, 3600))
    config.write_text("", encoding="utf-8")  # Alex removed by hand ...
    without_alex = loader.load(config)
    state_path(config).write_text("{ damaged", encoding="utf-8")  # ... and the state damaged

    def names(now: float) -> list[str]:
        return [entry.name for entry in keeper.keep(without_alex, now).settings.blocklist]

    assert names(start + 10) == ["Alex"], "damage gains nothing: Alex stays in force"
    promise = keeper.read()
    assert promise is not None
    (end,) = [w for w in promise.waiting if w.kind == "end"]
    assert end.due == start + 10 + rule.LONGEST_COOL_OFF
    assert names(end.due - 1) == ["Alex"]
    assert keeper.read() is not None
    assert names(end.due) == [], "after the cool-off the promise is over and the file applies"
    assert not state_path(config).exists()


def test_promise_status_says_kindly_that_a_damaged_state_is_read_as_ending(
    tmp_path: Path,
) -> None:
    env = headless_env(tmp_path)
    config = Path(env["NUDGER_CONFIG"])
    config.write_text(ALEX, encoding="utf-8")
    assert run_cli(env, "promise", "3d").returncode == 0
    state_path(config).write_bytes(b"\x00\x01 not json")
    result = run_cli(env, "promise", "status")
    assert result.returncode == 0, result.stderr
    assert "damaged" in result.stdout and "ending the promise" in result.stdout
    assert "Alex" in run_cli(env, "block", "list").stdout
    assert "damaged" in run_cli(env, "status").stdout


def test_a_deleted_promise_state_is_read_as_damaged(tmp_path: Path) -> None:
    env = headless_env(tmp_path)
    config = Path(env["NUDGER_CONFIG"])
    config.write_text(ALEX, encoding="utf-8")
    assert run_cli(env, "promise", "3d", "--cool-off", "15m").returncode == 0
    state_path(config).unlink()
    config.write_text("", encoding="utf-8")  # Alex removed by hand, the state deleted
    assert "Alex" in run_cli(env, "block", "list").stdout, "deleting the state gains nothing"
    status = run_cli(env, "promise", "status").stdout
    assert "damaged" in status and "ending the promise" in status


def test_autostart_disable_and_browser_uninstall_wait_then_apply_by_themselves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = headless_env(tmp_path)
    for key in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "NUDGER_DATA_DIR"):
        monkeypatch.setenv(key, env[key])
    config = Path(env["NUDGER_CONFIG"])
    config.write_text(ALEX, encoding="utf-8")
    assert run_cli(env, "autostart", "enable", "--method", "xdg").returncode == 0
    installed = run_cli(env, "browser", "install", "--browser", "chromium")
    assert installed.returncode == 0, installed.stderr
    entry = Path(env["XDG_CONFIG_HOME"]) / "autostart" / "nudger.desktop"
    hosts = list(Path(env["HOME"]).rglob("app.nudger.companion.json"))
    assert entry.exists() and hosts
    assert run_cli(env, "promise", "3d", "--cool-off", "15m").returncode == 0

    for command in (("autostart", "disable"), ("browser", "uninstall")):
        result = run_cli(env, *command)
        assert result.returncode == 0 and "keeps things as they are" in result.stdout
    assert entry.exists() and all(host.exists() for host in hosts), "both wait"
    status = run_cli(env, "promise", "status").stdout
    assert "no longer starting nudger at login" in status
    assert "removing nudger's browser host" in status

    keeper = Keeper(config, Path(env["NUDGER_DATA_DIR"]))
    promise = keeper.read()
    assert promise is not None
    first, due = min(w.due for w in promise.waiting), max(w.due for w in promise.waiting)
    keeper.keep(loader.load(config), first - 1)
    assert entry.exists() and all(host.exists() for host in hosts)
    keeper.keep(loader.load(config), due)
    assert not entry.exists() and not any(host.exists() for host in hosts), "then by themselves"


def test_doctor_says_a_damaged_promise_state(tmp_path: Path) -> None:
    env = headless_env(tmp_path)
    Path(env["NUDGER_CONFIG"]).write_text(ALEX, encoding="utf-8")
    assert run_cli(env, "promise", "3d").returncode == 0
    assert "damaged" not in run_cli(env, "doctor").stdout
    state_path(Path(env["NUDGER_CONFIG"])).write_text("[]", encoding="utf-8")
    assert "damaged" in run_cli(env, "doctor").stdout


def test_withdraw_puts_a_waiting_change_back_into_the_file(tmp_path: Path) -> None:
    env = headless_env(tmp_path)
    config = Path(env["NUDGER_CONFIG"])
    config.write_text("# mine\n" + ALEX + "\n[nudges]\nsession_minutes = 15\n", encoding="utf-8")
    assert run_cli(env, "promise", "3d", "--cool-off", "1h").returncode == 0
    assert run_cli(env, "block", "remove", "Alex").returncode == 0
    assert run_cli(env, "sites", "disable", "Instagram").returncode == 0
    config.write_text(config.read_text().replace("= 15", "= 90"), encoding="utf-8")
    status = run_cli(env, "promise", "status").stdout
    numbers = {
        what: next(line.split()[0] for line in status.splitlines() if what in line)
        for what in ('removing "Alex"', 'switching off "Instagram"', "nudges.session_minutes")
    }
    for number in numbers.values():
        result = run_cli(env, "promise", "withdraw", number)
        assert result.returncode == 0 and "has it back" in result.stdout, result.stderr
    text = config.read_text()
    assert text.startswith("# mine\n") and 'name = "Alex"' in text and "Alex Doe" in text
    assert "session_minutes = 15" in text
    assert tomllib.loads(text).get("catalogue", {}).get("disabled", []) == []
    assert "Nothing is waiting." in run_cli(env, "promise", "status").stdout


def test_a_pass_that_applies_a_loosening_is_noted_for_the_summary(tmp_path: Path) -> None:
    env = headless_env(tmp_path)
    Path(env["NUDGER_CONFIG"]).write_text(ALEX, encoding="utf-8")
    assert run_cli(env, "promise", "3d", "--cool-off", "1h").returncode == 0
    assert run_cli(env, "block", "remove", "Alex").returncode == 0
    status = run_cli(env, "promise", "status").stdout
    number = next(line.split()[0] for line in status.splitlines() if 'removing "Alex"' in line)
    assert json.loads(run_cli(env, "summary", "--json").stdout)["guard"] == []
    passed = run_cli(env, "promise", "pass", number)
    assert passed.returncode == 0 and "applies now" in passed.stdout, passed.stderr
    guard = json.loads(run_cli(env, "summary", "--json").stdout)["guard"]
    assert [note["kind"] for note in guard] == ["loosened"], guard
