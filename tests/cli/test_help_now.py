"""`nudger help-now` and the support table behind it, as a person runs it."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import time
import tomllib
from pathlib import Path

import pytest

from nudger.core.support import RESOURCE_KINDS, country_from_locale, help_now_lines
from nudger.support import support_table
from tests.nudger_process import NUDGER, isolated_env, run_cli

REQUIRED = ("US", "GB", "CA", "AU", "IE", "DE", "FR", "ES", "MX")
# Words that alarm. help-now is read at the lowest moments: it names services, calmly.
ALARM = re.compile(r"\b(suicid\w*|crisis|emergency|danger\w*|urgent|alarm\w*|warning|risk)\b", re.I)


def test_every_required_country_has_someone_to_talk_to_with_a_source() -> None:
    table = support_table()
    for code in REQUIRED:
        country = table[code]
        assert any(r.kind == "talk" for r in country.resources), code
        for resource in country.resources:
            assert resource.kind in RESOURCE_KINDS
            assert resource.source.startswith("https://"), (code, resource.name)
            assert re.search(r"\d", resource.contact) or resource.kind == "counsellor"


@pytest.mark.parametrize(
    ("environ", "country"),
    [
        ({"LANG": "de_DE.UTF-8"}, "DE"),
        ({"LANG": "en_GB.UTF-8", "LC_MESSAGES": "es_MX.UTF-8"}, "MX"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "fr_FR@euro"}, "FR"),
        ({"LANG": "C.UTF-8"}, None),
        ({}, None),
    ],
)
def test_the_country_comes_from_the_locale(environ: dict[str, str], country: str | None) -> None:
    assert country_from_locale(environ) == country


@pytest.mark.parametrize("code", REQUIRED)
def test_help_now_is_calm_for_every_country(code: str) -> None:
    lines = help_now_lines("Sam: 555-0100", support_table()[code], REQUIRED, code)
    text = "\n".join(lines)
    assert not ALARM.search(text), ALARM.search(text)
    assert text.index("Sam: 555-0100") < text.index(support_table()[code].resources[0].name)


def test_help_now_in_germany_and_with_a_country_asked_for(tmp_path: Path) -> None:
    env = {**isolated_env(tmp_path), "LANG": "de_DE.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
    shown = run_cli(env, "help-now")
    assert shown.returncode == 0
    assert "TelefonSeelsorge" in shown.stdout and "0800 111 0 111" in shown.stdout
    assert "https://www.telefonseelsorge.de/" in shown.stdout
    uk = run_cli(env, "help-now", "--country", "uk")
    assert "Samaritans" in uk.stdout and "116 123" in uk.stdout
    unknown = run_cli(env, "help-now", "--country", "ZZ")
    assert unknown.returncode == 0
    # In German, as the locale says.
    assert "keine Liste für ZZ" in unknown.stdout and "Ärztin" in unknown.stdout


def test_help_now_shows_the_persons_own_line_even_with_a_broken_settings_file(
    tmp_path: Path,
) -> None:
    env = {**isolated_env(tmp_path), "LANG": "en_IE.UTF-8", "LC_ALL": ""}
    Path(env["NUDGER_CONFIG"]).write_text('[support]\nline = "Aoife: 087 000 0000"\n')
    assert "Aoife: 087 000 0000" in run_cli(env, "help-now").stdout
    Path(env["NUDGER_CONFIG"]).write_text(
        '[support]\nline = "Aoife: 087 000 0000"\ncountry = "IE"\n[nudges]\nnight_cap = -1\n'
    )
    shown = run_cli(env, "help-now")
    assert shown.returncode == 0
    assert "Samaritans Ireland" in shown.stdout
    assert "Aoife: 087 000 0000" in shown.stdout  # the last good settings had it


def test_config_init_in_a_terminal_offers_to_keep_a_support_line(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    config = Path(env["NUDGER_CONFIG"])
    reply = answer_in_a_terminal(env, [NUDGER, "config", "init"], "Sam: 555-0100\n")
    assert "someone you trust" in reply
    assert 'line = "Sam: 555-0100"' in config.read_text()
    assert "Sam: 555-0100" in run_cli(env, "help-now").stdout
    # Asked once: with a line kept, init asks nothing more; without a terminal, never.
    again = answer_in_a_terminal(env, [NUDGER, "config", "init"], "")
    assert "someone you trust" not in again
    fresh = isolated_env(tmp_path / "other")
    piped = run_cli(fresh, "config", "init")
    assert piped.returncode == 0 and "someone you trust" not in piped.stdout


def test_config_init_skips_the_offer_on_enter(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    reply = answer_in_a_terminal(env, [NUDGER, "config", "init"], "\n")
    assert "Skipped" in reply
    written = tomllib.loads(Path(env["NUDGER_CONFIG"]).read_text())
    assert written.get("support", {}).get("line", "") == ""  # nothing was kept


def answer_in_a_terminal(env: dict[str, str], command: list[str], typed: str) -> str:
    """Run `command` on a real pseudo-terminal, type `typed` when it asks, return its output."""
    main, secondary = pty.openpty()
    process = subprocess.Popen(
        command, env=env, stdin=secondary, stdout=secondary, stderr=secondary, close_fds=True
    )
    os.close(secondary)
    output = b""
    typed_yet = False
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the terminal closed: the command is done
                break
            if not chunk:
                break
            output += chunk
            if not typed_yet and b"> " in output:
                os.write(main, typed.encode() or b"\n")
                typed_yet = True
        elif process.poll() is not None:
            break
    process.wait(timeout=10)
    os.close(main)
    return output.decode("utf-8", "replace")
