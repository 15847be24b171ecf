"""`nudger status` and `nudger browser status` as a newcomer read them (issue 24): the real
commands, reading the status of a daemon that this test plays (it holds the daemon's real lock and
writes the real status file)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from nudger.cli import status_cmd
from nudger.cli.summary_cmd import _without_log_prefix
from nudger.core.patterns import breadth_warning
from nudger.core.translate import ENGLISH
from nudger.shell import i18n
from nudger.shell.instance import DaemonStatus, InstanceLock
from tests.nudger_process import isolated_env, run_cli


def play_daemon(env: dict[str, str], **fields: object) -> InstanceLock:
    lock = InstanceLock(Path(env["NUDGER_DATA_DIR"]))
    lock.acquire()
    now = time.time()
    base: dict[str, object] = {
        "pid": os.getpid(),
        "started_at": now - 60,
        "backend": "x11",
        "sensor_connected": True,
        "last_sample_at": now - 1,
        "updated_at": now,
    }
    lock.write_status(DaemonStatus(**{**base, **fields}))  # type: ignore[arg-type]
    return lock


def test_status_says_when_the_person_was_away_at_the_last_look(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    lock = play_daemon(env, in_front=(), away_for=300.0)
    try:
        shown = run_cli(env, "status").stdout
    finally:
        lock.release()
    assert "nobody had used the computer for 5 min" in shown, shown
    assert "nothing nudger counts" not in shown


@pytest.mark.parametrize(
    ("language", "joined", "english"),
    [("de", "Instagram und eine Seite", " and "), ("es", "Instagram y una página", " and ")],
)
def test_what_is_in_front_is_one_sentence_in_the_language(
    language: str, joined: str, english: str
) -> None:
    said = status_cmd._in_front(i18n.translator_for(language), ("blocklist", "site:Instagram"))
    assert said.startswith(joined) and english not in said


def test_browser_status_after_uninstall_says_not_set_up(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    assert run_cli(env, "browser", "install", "--browser", "chromium").returncode == 0
    assert run_cli(env, "browser", "uninstall").returncode == 0
    # The daemon still remembers the browser it heard before the host files went.
    heard = {"browser": "chromium", "connected": True, "last_seen": time.time(), "holding": 1}
    lock = play_daemon(env, browsers=(heard,))
    try:
        shown = run_cli(env, "browser", "status").stdout
    finally:
        lock.release()
    assert "Chromium: not set up" in shown, shown
    assert "elsewhere" not in shown and "speaks to nudger" not in shown


def test_doctor_puts_the_reason_on_its_own_line(tmp_path: Path) -> None:
    env = {
        k: v for k, v in isolated_env(tmp_path).items() if k not in {"DISPLAY", "WAYLAND_DISPLAY"}
    }
    shown = run_cli(env, "doctor").stdout
    [backend] = [line for line in shown.splitlines() if line.startswith("Window backend:")]
    assert "(" not in backend
    assert "  chosen because of: no graphical session is visible" in shown
    assert "))" not in shown


def test_the_broad_pattern_example_reads_like_a_real_title() -> None:
    warning = breadth_warning(ENGLISH, "al")
    assert warning is not None and "Happy birthday, Al!" in warning


def test_a_browser_log_prefix_is_not_shown_to_the_person() -> None:
    line = (
        "[2413:2413:1203/101500.123456:ERROR:zygote_host_impl_linux.cc(100)] Running as root "
        "without --no-sandbox is not supported. See https://crbug.com/638180."
    )
    assert _without_log_prefix(line).startswith("Running as root without --no-sandbox")


def test_status_with_no_window_backend_never_says_no_look_yet(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    lock = play_daemon(env, backend="processes", sensor_connected=False, last_sample_at=None)
    try:
        shown = run_cli(env, "status").stdout
    finally:
        lock.release()
    assert "no look yet" not in shown
    assert "running social apps count" in shown
