"""`nudger summary` through the real command: colour on a terminal, plain text in a pipe."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import time
from pathlib import Path

from nudger.core.types import Visit
from nudger.store import Store
from tests.nudger_process import NUDGER, isolated_env, run_cli


def _seed(env: dict[str, str]) -> None:
    store = Store.open(Path(env["NUDGER_DATA_DIR"]) / "nudger.db")
    now = time.time()
    store.save_visits([Visit("site", "Reddit", "title", "front", now - 600, now - 300)])
    store.close()


def _run_in_terminal(env: dict[str, str], *args: str) -> str:
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [NUDGER, *args],
        env={**env, "TERM": "xterm-256color", "COLUMNS": "120"},
        stdin=follower,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    output = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 20)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=20)
    os.close(leader)
    return output.decode("utf-8", "replace")


def test_colour_on_a_terminal_and_plain_text_in_a_pipe(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    env.pop("NO_COLOR", None)
    _seed(env)
    piped = run_cli(env, "summary")
    assert piped.returncode == 0, piped.stderr
    assert "Reddit" in piped.stdout and "5 min" in piped.stdout
    assert "\x1b[" not in piped.stdout
    on_terminal = _run_in_terminal(env, "summary")
    assert "Reddit" in on_terminal
    assert "\x1b[" in on_terminal


def test_every_view_runs(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    _seed(env)
    for args in (
        ["summary", "--yesterday"],
        ["summary", "--week"],
        ["summary", "--week", "--json"],
        ["summary", "--date", "2026-01-01", "--json"],
    ):
        result = run_cli(env, *args)
        assert result.returncode == 0, (args, result.stderr)
    bad = run_cli(env, "summary", "--date", "yesterday")
    assert bad.returncode == 2 and "not a date" in bad.stderr


def test_html_report_is_written_private(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    _seed(env)
    out = tmp_path / "report.html"
    result = run_cli(env, "summary", "--html", str(out))
    assert result.returncode == 0, result.stderr
    assert out.stat().st_mode & 0o777 == 0o600
    assert "<svg" in out.read_text()
    result = run_cli(env, "report")
    assert result.returncode == 0, result.stderr
    written = Path(result.stdout.split("Report written to ", 1)[1].strip())
    assert written.parent == Path(env["NUDGER_DATA_DIR"]) / "reports"
    assert written.stat().st_mode & 0o777 == 0o600
    assert written.parent.stat().st_mode & 0o777 == 0o700


def test_the_report_shows_aliases_and_the_terminal_the_names_typed(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    Path(env["NUDGER_CONFIG"]).write_text('[[blocklist]]\nname = "Alex"\nmatch = ["alexdoe"]\n')
    store = Store.open(Path(env["NUDGER_DATA_DIR"]) / "nudger.db")
    now = time.time()
    store.save_visits([Visit("blocklist", "Alex", "title", "front", now - 600, now - 540)])
    store.close()
    report = tmp_path / "r.html"
    shown = run_cli(env, "summary", "--html", str(report))
    assert shown.returncode == 0, shown.stderr
    assert "Alex" in shown.stdout
    page = report.read_text()
    assert "Person A" in page and "Alex" not in page
    Path(env["NUDGER_CONFIG"]).write_text(
        '[privacy]\nalias_blocklist = false\n[[blocklist]]\nname = "Alex"\nmatch = ["alexdoe"]\n'
    )
    run_cli(env, "summary", "--html", str(report))
    assert "Alex" in report.read_text()
