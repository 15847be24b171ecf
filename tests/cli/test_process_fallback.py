"""The fallback: with no window to read, running social apps are counted, labelled "running"."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

from nudger.core.matching import Matcher
from nudger.sensing.processes import running_names
from nudger.settings.catalogue import all_rules
from nudger.settings.models import Settings
from tests.desktop.rig import wait_until
from tests.nudger_process import NudgerDaemon, headless_env, run_cli


def test_a_running_app_is_found_by_name(fake_discord: subprocess.Popen[bytes]) -> None:
    assert "Discord" in running_names()
    matcher = Matcher(all_rules(Settings()), [])
    hits = matcher.apps_running(running_names())
    assert ("site", "Discord", "app") in {(h.kind, h.target, h.signal) for h in hits}


def test_without_a_window_backend_the_daemon_records_running_apps(
    fake_discord: subprocess.Popen[bytes], tmp_path: Path
) -> None:
    env = headless_env(tmp_path)
    daemon = NudgerDaemon(tmp_path, env, "[watch]\nprocess_scan_seconds = 1\n").start()
    wait_until(
        lambda: daemon.query("SELECT target, source FROM visits") == [("Discord", "running")],
        15,
        "a running visit",
    )
    time.sleep(3)
    assert daemon.stop() == 0
    assert "counting the social apps that are running" in daemon.log()

    summary = json.loads(run_cli(env, "summary", "--json").stdout)
    assert summary["targets"] == [], "running is not the same as in front"
    [running] = summary["running"]
    assert running["name"] == "Discord" and running["seconds"] >= 2
    text = run_cli(env, "summary").stdout
    assert "Running (not necessarily in front): Discord" in text
