"""Changing the config while the daemon runs: `nudger block add`, a file edit, SIGHUP, a broken edit."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import tomlkit
from pydantic import BaseModel

from nudger.settings.models import Settings
from tests.desktop.rig import Desktop, wait_until
from tests.nudger_process import NudgerDaemon, run_cli

pytestmark = pytest.mark.desktop


def test_block_add_counts_a_title_already_on_screen_without_a_restart(
    desktop: Desktop, daemon_factory: Callable[..., NudgerDaemon]
) -> None:
    daemon = daemon_factory(desktop, "# my settings\n")
    daemon.start().wait_watching()
    desktop.activate(desktop.open_xterm("Jamie Rivers - chat"))
    time.sleep(3)
    assert daemon.query("SELECT count(*) FROM visits") == [(0,)]

    added = run_cli(daemon.env, "block", "add", "Jamie", "--match", "Jamie Rivers")
    assert added.returncode == 0, added.stderr
    began = time.monotonic()
    daemon.wait_for_visit("blocklist", "Jamie", timeout=30)
    assert time.monotonic() - began < 6, "seen within a few seconds"
    pid_before = daemon.process.pid if daemon.process else None
    assert (
        daemon.process is not None
        and daemon.process.pid == pid_before
        and daemon.process.poll() is None
    )
    # The reload's own log line follows its work: the visit can be saved a moment before it.
    wait_until(lambda: "config reloaded" in daemon.log(), 10, "the reload's log line")


def test_sighup_reloads_and_a_broken_edit_keeps_the_last_good_config(
    desktop: Desktop, daemon_factory: Callable[..., NudgerDaemon]
) -> None:
    daemon = daemon_factory(desktop, '[[blocklist]]\nname = "Jamie"\nmatch = ["Jamie Rivers"]\n')
    daemon.start().wait_watching()
    desktop.activate(desktop.open_xterm("Jamie Rivers - chat"))
    daemon.wait_for_visit("blocklist", "Jamie", timeout=30)

    # A broken edit: logged, and Jamie still counts.
    config: Path = daemon.config_path
    good = config.read_text()
    config.write_text(good + '[[blocklist]]\nname = "Broken"\nmatch = ["re:(oops"]\n')
    wait_until(
        lambda: "keeping the last good one" in daemon.log(), 30, "the broken config to be refused"
    )
    line = next(line for line in daemon.log().splitlines() if "keeping the last good one" in line)
    assert str(config) in line and 'blocklist[1] ("Broken").match' in line and "RE2" in line
    seconds = daemon.seconds_for("blocklist", "Jamie")
    daemon.wait_for_visit("blocklist", "Jamie", min_seconds=seconds + 3, timeout=30)

    # Fixing the file is noticed by itself ...
    reloads = daemon.log().count("config reloaded")
    config.write_text(good.replace("Jamie Rivers", "Jamie Rivers - chat"))
    wait_until(
        lambda: daemon.log().count("config reloaded") == reloads + 1, 30, "the fixed file to load"
    )
    # ... and SIGHUP reloads even when nothing changed on disk.
    time.sleep(3)
    assert daemon.log().count("config reloaded") == reloads + 1
    daemon.send(signal.SIGHUP)
    wait_until(lambda: daemon.log().count("config reloaded") == reloads + 2, 30, "SIGHUP to reload")
    assert daemon.process is not None and daemon.process.poll() is None


# Every setting, changed at once to a value other than its default. The test below fails when a
# setting is added without a value here, so a new setting cannot escape the reload check.
CHANGED = {
    "watch.poll_seconds": 2.0,
    "watch.idle_seconds": 300.0,
    "watch.flush_seconds": 7.0,
    "watch.process_scan_seconds": 20.0,
    "watch.browsers": ["chromium", "mybrowser"],
    "catalogue.disabled": ["YouTube"],
    "summary.day_starts_at": "05:30:00",
    "summary.time": "20:15:00",
    "summary.timezone": "Asia/Tokyo",
    "privacy.store_titles": True,
    "privacy.redact_blocklist_titles": False,
    "privacy.alias_blocklist": False,
    "privacy.keep_days": 400,
    "nudges.enabled": False,
    "nudges.blocklist_after_seconds": 9.0,
    "nudges.blocklist_repeat_minutes": 11.0,
    "nudges.session_minutes": 21.0,
    "nudges.daily_budget_minutes": 61.0,
    "nudges.repeat_minutes": 31.0,
    "nudges.min_gap_minutes": 6.0,
    "nudges.quiet_hours": "22:30-06:45",
    "nudges.night": "22:00-04:00",
    "nudges.night_cap": 2,
    "nudges.quiet_hours_night_care": False,
    "nudges.expire_seconds": 25.0,
    "nudges.heeded_within_seconds": 90.0,
    "support.line": "Sam: 555-0100",
    "support.country": "DE",
    "ui.language": "de",
    "ui.status_icon": False,
    "browser.pause_seconds": 8.0,
    "browser.pause_again_minutes": 3.0,
    "browser.pause_sites": True,
}
# Settings the daemon does not act on: they shape summaries and reports, read by those commands.
NOT_READ_BY_THE_DAEMON = {"privacy.alias_blocklist", "support.country"}
# Lists of rules and messages, compared as the matcher and the policy hold them.
RULE_SECTIONS = {"sites", "blocklist", "messages.builtin", "messages.own", "catalogue.disabled"}


def setting_paths() -> set[str]:
    paths: set[str] = set()
    for section, field in Settings.model_fields.items():
        model = field.annotation
        if isinstance(model, type) and issubclass(model, BaseModel):
            paths |= {f"{section}.{key}" for key in model.model_fields}
        else:
            paths.add(section)
    return paths


def as_toml(changes: dict[str, object]) -> str:
    document = tomlkit.document()
    for path, value in changes.items():
        section, key = path.split(".")
        if section not in document:
            document[section] = tomlkit.table()
        document[section][key] = value  # type: ignore[index]
    document["sites"] = tomlkit.aot()
    document["sites"].append({"name": "Forum", "match": ["myforum.example"]})  # type: ignore[union-attr]
    document["blocklist"] = tomlkit.aot()
    document["blocklist"].append({"name": "Jamie", "match": ["Jamie Rivers"]})  # type: ignore[union-attr]
    document["messages"] = tomlkit.table()
    document["messages"]["builtin"] = False  # type: ignore[index]
    own = tomlkit.aot()
    own.append({"kind": "move", "title": "A short walk?", "body": "Round the block and back."})
    document["messages"]["own"] = own  # type: ignore[index]
    return tomlkit.dumps(document)


def test_every_setting_the_daemon_reads_takes_effect_on_reload(
    desktop: Desktop, daemon_factory: Callable[..., NudgerDaemon]
) -> None:
    paths = setting_paths()
    assert paths - RULE_SECTIONS == set(CHANGED) - {"catalogue.disabled"}, (
        "a setting without a changed value in CHANGED"
    )
    daemon = daemon_factory(desktop, "")
    daemon.start().wait_watching()
    before = wait_until(lambda: (daemon.status() or {}).get("settings_in_use"), 30, "the status")
    assert isinstance(before, dict)

    daemon.config_path.write_text(as_toml(CHANGED), encoding="utf-8")
    # The log follows the new [ui] language from the reload on: it says so in German.
    wait_until(lambda: "Einstellungen neu geladen" in daemon.log(), 30, "the reload")
    # A sensor opened with the old idle threshold is opened again at the next sample.
    wait_until(lambda: (daemon.status() or {}).get("sensor_connected"), 30, "the sensor again")
    time.sleep(0.5)
    daemon.send(signal.SIGHUP)  # republishes the status after the reopen, within a second
    time.sleep(1.5)
    in_use = (daemon.status() or {})["settings_in_use"]

    expected = {
        **{path: value for path, value in CHANGED.items() if path not in NOT_READ_BY_THE_DAEMON},
        "watch.browsers": sorted(CHANGED["watch.browsers"]),  # type: ignore[call-overload]
        "nudges.quiet_hours": {"start": "22:30:00", "end": "06:45:00"},
        "nudges.night": {"start": "22:00:00", "end": "04:00:00"},
    }
    del expected["catalogue.disabled"]
    for path, value in expected.items():
        held = in_use.get(path)
        assert held, f"{path} is not reported by the parts that act on it"
        assert all(each == value for each in held), f"{path}: {held} after reload, wanted {value}"
        assert held != before.get(path), f"{path} did not change"
    rules = in_use["rules"][0]
    assert "site:YouTube" not in rules and "site:Forum" in rules and "blocklist:Jamie" in rules
    assert "site:YouTube" in before["rules"][0]
    assert in_use["messages"][0] == ["user.1"]  # builtin = false: only the person's own
    assert daemon.process is not None and daemon.process.poll() is None
