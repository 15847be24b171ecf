"""The small things a newcomer meets at the prompt: typos, a bare `nudger`, what is printed."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.nudger_process import NUDGER, headless_env, isolated_env, run_cli


@pytest.mark.parametrize(
    ("typed", "meant"),
    [(("summry",), "summary"), (("block", "tset", "x"), "test"), (("autostrat",), "autostart")],
)
def test_a_mistyped_command_gets_the_closest_one(
    tmp_path: Path, typed: tuple[str, ...], meant: str
) -> None:
    result = run_cli(isolated_env(tmp_path), *typed)
    assert result.returncode == 2
    assert f"did you mean '{meant}'?" in result.stderr


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("[nudges]\nblocklist_after_secs = 3\n", "blocklist_after_seconds"),
        ("[nudgez]\nenabled = true\n", "nudges"),
        ('[[blocklist]]\nname = "A"\nmtach = ["x"]\n', "match"),
        ("[watch]\npoll_second = 2\n", "poll_seconds"),
    ],
)
def test_a_misspelled_setting_gets_the_closest_one(tmp_path: Path, text: str, meant: str) -> None:
    env = isolated_env(tmp_path)
    Path(env["NUDGER_CONFIG"]).write_text(text, encoding="utf-8")
    result = run_cli(env, "config", "check")
    assert result.returncode == 2
    assert f"did you mean '{meant}'?" in result.stderr


def test_a_bare_nudger_prints_the_help(tmp_path: Path) -> None:
    result = run_cli(isolated_env(tmp_path))
    assert result.returncode == 0
    assert result.stdout.startswith("usage: nudger") and "summary" in result.stdout


def test_block_test_shows_patterns_as_written(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    assert run_cli(env, "block", "add", "P", "--match", r"re:\bpat\d\b").returncode == 0
    shown = run_cli(env, "block", "test", "a pat1 here").stdout
    assert r"matches 're:\bpat\d\b'" in shown
    assert r"\\b" not in shown


@pytest.mark.parametrize("args", [("pause", "soon"), ("pause", "1h", "--until", "18:00")])
def test_pause_usage_errors_exit_2_like_other_usage_errors(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    result = run_cli(isolated_env(tmp_path), *args)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("nudger: ")


def fake_opener(tmp_path: Path, exit_code: int, said: str = "") -> dict[str, str]:
    """The desktop's xdg-open, replaced: the one boundary a headless machine cannot show."""
    folder = tmp_path / "opener"
    folder.mkdir()
    opener = folder / "xdg-open"
    opener.write_text(
        f'#!/bin/sh\necho "$1" > "{folder}/opened"\necho "{said}" >&2\nexit {exit_code}\n',
        encoding="utf-8",
    )
    opener.chmod(0o755)
    env = isolated_env(tmp_path)
    env["PATH"] = f"{folder}:{os.environ['PATH']}"
    return env


def test_report_open_says_when_the_browser_would_not_open_through_a_fake_opener(
    tmp_path: Path,
) -> None:
    env = fake_opener(tmp_path, 4, "xdg-open: no method available for opening")
    result = run_cli(env, "report", "--open", "--output", str(tmp_path / "r.html"))
    assert result.returncode == 1
    assert f"Report written to {tmp_path / 'r.html'}" in result.stdout
    assert "Could not open it in a web browser" in result.stdout
    assert "no method available" in result.stdout
    assert "Opened" not in result.stdout


def test_report_open_opens_the_report_through_a_fake_opener(tmp_path: Path) -> None:
    env = fake_opener(tmp_path, 0)
    result = run_cli(env, "report", "--open", "--output", str(tmp_path / "r.html"))
    assert result.returncode == 0, result.stderr
    assert "Opened it in your web browser." in result.stdout
    opened = (tmp_path / "opener" / "opened").read_text(encoding="utf-8").strip()
    assert opened == (tmp_path / "r.html").resolve().as_uri()


def test_nudger_run_in_a_terminal_says_how_to_stop_and_ctrl_c_stops_it(tmp_path: Path) -> None:
    main, terminal = pty.openpty()
    process = subprocess.Popen(
        [NUDGER, "run"],
        env=headless_env(tmp_path),
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
    )
    os.close(terminal)
    said = b""
    deadline = time.monotonic() + 20
    while b"Ctrl-C" not in said and time.monotonic() < deadline:
        if select.select([main], [], [], 0.5)[0]:
            said += os.read(main, 65536)
    assert b"press Ctrl-C to stop" in said, said.decode(errors="replace")
    assert b"watching for social sites (17) and blocklist entries (0)" in said
    process.send_signal(signal.SIGINT)  # what Ctrl-C sends
    assert process.wait(timeout=20) == 0
    os.close(main)


def test_escape_codes_from_the_settings_file_are_shown_never_sent_to_the_terminal(
    tmp_path: Path,
) -> None:
    env = isolated_env(tmp_path)
    # Names may not hold control characters at all; patterns and apps may, and are shown.
    Path(env["NUDGER_CONFIG"]).write_text(
        '[[blocklist]]\nname = "Alex"\nmatch = ["Al\\u001b]0;owned\\u0007ex Doe"]\n'
        'apps = ["chat\\u001b[31m"]\n[[sites]]\nname = "Forum"\nmatch = ["forum.example"]\n',
        encoding="utf-8",
    )
    outputs = [
        run_cli(env, "config", "check"),
        run_cli(env, "block", "list"),
        run_cli(env, "sites", "list"),
        run_cli(env, "block", "test", "Al\x1b]0;owned\x07ex Doe - chat", "--app", "signal"),
        run_cli(env, "status"),
    ]
    for result in outputs:
        assert "\x1b" not in result.stdout + result.stderr, result
        assert "\x07" not in result.stdout + result.stderr
    listed = outputs[1].stdout
    assert "Al\\x1b]0;owned\\x07ex Doe" in listed and "chat\\x1b[31m" in listed
    Path(env["NUDGER_CONFIG"]).write_text(
        '[[blocklist]]\nname = "Al\\u001b[2Jex"\nmtach = ["x"]\n', encoding="utf-8"
    )
    broken = run_cli(env, "config", "check")
    assert broken.returncode == 2 and "\x1b" not in broken.stderr
    assert len(broken.stderr.strip().splitlines()) == 1
