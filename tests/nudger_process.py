"""Running the real `nudger` command in a subprocess, with its own home, config and data dir."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.desktop.rig import wait_until

NUDGER = str(Path(sys.executable).with_name("nudger"))


def isolated_env(tmp: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """An environment where nudger only sees files under `tmp`."""
    env = dict(os.environ if base is None else base)
    home = tmp / "home"
    home.mkdir(parents=True, exist_ok=True)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local/share"),
        XDG_STATE_HOME=str(home / ".local/state"),
        NUDGER_DATA_DIR=str(tmp / "data"),
        NUDGER_CONFIG=str(tmp / "config.toml"),
        PYTHONUNBUFFERED="1",
    )
    for key in list(env):
        if key.startswith("NUDGER_") and key not in {"NUDGER_DATA_DIR", "NUDGER_CONFIG"}:
            del env[key]
    return env


def headless_env(tmp_path: Path, data_dir: Path | None = None) -> dict[str, str]:
    """No display at all: the daemon falls back to counting running apps."""
    env = isolated_env(tmp_path)
    for key in (
        "DISPLAY",
        "WAYLAND_DISPLAY",
        "SWAYSOCK",
        "HYPRLAND_INSTANCE_SIGNATURE",
        "XDG_SESSION_TYPE",
    ):
        env.pop(key, None)
    if data_dir is not None:
        env["NUDGER_DATA_DIR"] = str(data_dir)
    return env


def run_cli(
    env: dict[str, str], *args: str, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [NUDGER, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


class NudgerDaemon:
    def __init__(self, tmp: Path, env: dict[str, str], config: str = "") -> None:
        self.tmp = tmp
        self.env = env
        self.data_dir = Path(env["NUDGER_DATA_DIR"])
        self.config_path = Path(env["NUDGER_CONFIG"])
        if config or not self.config_path.exists():
            self.config_path.write_text(config, encoding="utf-8")
        self.output = tmp / "daemon-output.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def database(self) -> Path:
        return self.data_dir / "nudger.db"

    def start(self, *args: str) -> NudgerDaemon:
        with self.output.open("ab") as out:
            self.process = subprocess.Popen(
                [NUDGER, "run", "--verbose", *args],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def status(self) -> dict[str, Any] | None:
        try:
            data: dict[str, Any] = json.loads((self.data_dir / "daemon.json").read_text())
        except (OSError, ValueError):
            return None
        return data

    def wait_watching(self, timeout: float = 30) -> None:
        def watching() -> bool:
            self._assert_alive()
            status = self.status()
            return bool(status and status["sensor_connected"] and status["last_sample_at"])

        wait_until(watching, timeout, "the daemon to watch the desktop")

    def send(self, signum: int) -> None:
        assert self.process is not None
        self.process.send_signal(signum)

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 20) -> int:
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else 0
        self.process.send_signal(signum)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            raise AssertionError(f"nudger did not stop on signal {signum}:\n{self.log()}") from None

    def log(self) -> str:
        return (
            self.output.read_text(encoding="utf-8", errors="replace")
            if self.output.exists()
            else ""
        )

    def _assert_alive(self) -> None:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"nudger exited with {self.process.returncode}:\n{self.log()}")

    # -- reading what it stored -----------------------------------------------------------

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if not self.database.exists():
            return []
        connection = sqlite3.connect(f"file:{self.database}?mode=ro", uri=True, timeout=5)
        try:
            return connection.execute(sql, params).fetchall()
        except sqlite3.DatabaseError:
            return []  # the schema is not there yet, or the file is not (yet) a database
        finally:
            connection.close()

    def seconds_for(self, kind: str, target: str) -> float:
        rows = self.query(
            "SELECT coalesce(sum(ended_at - started_at), -1), count(*) FROM visits "
            "WHERE kind = ? AND target = ?",
            (kind, target),
        )
        return float(rows[0][0]) if rows and rows[0][1] else -1.0

    def wait_for_visit(
        self, kind: str, target: str, *, min_seconds: float = 0.0, timeout: float = 10
    ) -> float:
        start = time.monotonic()
        wait_until(
            lambda: self.seconds_for(kind, target) >= min_seconds,
            timeout,
            f"a {kind} visit to {target} of at least {min_seconds} s",
        )
        return time.monotonic() - start
