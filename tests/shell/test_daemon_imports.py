"""The daemon loads only what running needs: no TLS, no report or chart machinery, no editor of
settings files. Checked on a real `nudger run`, from what Python says it imported and what the
process has mapped."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.desktop.rig import wait_until
from tests.nudger_process import headless_env

# (TLS is checked on the process's memory map instead: -X importtime lists an import that was
# tried and refused too, and asyncio tries `import ssl`.)
NOT_FOR_RUNNING = (
    "rich",  # the terminal summary
    "pygal",  # the report's charts
    "tomlkit",  # editing the settings file
    "nudger.report",
    "nudger.shell.reporting",
    "nudger.settings.edits",
    # What APScheduler would import for nothing the daemon uses (shell/lean_scheduler.py).
    "asyncio",
    "multiprocessing",
    "concurrent.futures.process",
    "importlib.metadata",
    # The settings are validated in a child process (shell/loading.py), on a reload too.
    "pydantic",
    "pydantic_core",
    "pydantic_settings",
    # OpenSSL, for the hashes of a folder shared between devices: not set up here.
    "hashlib",
    "hmac",
)


def test_the_daemon_imports_only_what_running_needs(tmp_path: Path) -> None:
    env = headless_env(tmp_path)
    daemon = subprocess.Popen(
        [sys.executable, "-X", "importtime", "-m", "nudger", "run"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    log = tmp_path / "data" / "logs" / "nudger.log"
    try:
        wait_until(lambda: log.exists() and "nudger started" in log.read_text(), 30, "the start")
        daemon.send_signal(signal.SIGHUP)
        wait_until(lambda: "config reloaded" in log.read_text(), 30, "the reload")
        time.sleep(2)  # the first samples, scans and status writes
        maps = Path(f"/proc/{daemon.pid}/maps").read_text()
    finally:
        daemon.send_signal(signal.SIGTERM)
        _, said = daemon.communicate(timeout=20)
    assert daemon.returncode == 0, said[-2000:]
    imported = set(re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s+(\S+)$", said, re.M))
    assert "nudger.shell.daemon" in imported and "apscheduler" in imported, "the check saw them"
    for name in NOT_FOR_RUNNING:
        assert not any(m == name or m.startswith(name + ".") for m in imported), name
    # Nothing leaves the machine: the daemon has not even loaded what could encrypt it.
    assert "libssl" not in maps and "_ssl" not in maps
    assert "pydantic_core" not in maps and "libcrypto" not in maps
