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

from nudger.core.support import (
    RESOURCE_KINDS,
    Country,
    SupportTableError,
    country_from_locale,
    help_now_lines,
    table_from,
)
from nudger.core.translate import ENGLISH as IN_ENGLISH
from nudger.settings.support import support_table
from tests.nudger_process import NUDGER, isolated_env, run_cli

REQUIRED = ("US", "GB", "CA", "AU", "IE", "DE", "AT", "CH", "FR", "ES", "MX", "AR", "CO", "CL")
# Words that alarm. help-now is read at the lowest moments: nudger's own words name services
# calmly (a service's own name, such as Crisis Text Line, is the service's to choose).
ALARM = re.compile(r"\b(suicid\w*|crisis|emergency|danger\w*|urgent|alarm\w*|warning|risk)\b", re.I)
# English a Spanish reader would meet if a line were left untranslated.
ENGLISH = re.compile(
    r"\b(call|text|chat at|any ?time|free|press|near you|counsel\w*|someone|if you|the)\b", re.I
)


def test_every_country_has_a_number_for_right_now_and_someone_to_talk_to() -> None:
    table = support_table()
    for code in REQUIRED:
        country = table.countries[code]
        kinds = [r.kind for r in country.resources]
        assert kinds.count("emergency") == 1, code
        assert "talk" in kinds, code
        for resource in country.resources:
            assert resource.kind in RESOURCE_KINDS
            assert resource.source.startswith("https://"), (code, resource.name)
            assert re.fullmatch(r"2026-1[12](-\d\d)?", resource.checked), (code, resource.name)
            assert re.search(r"\d", resource.contact) or resource.kind == "counsellor"


def test_a_broken_entry_is_refused() -> None:
    entry = {"kind": "talk", "name": "X", "contact": "call 1", "source": "https://x.example/"}
    elsewhere = {"directory": "https://findahelpline.com", "eu": [], "eu_number": "112"}
    with pytest.raises(SupportTableError, match="checked"):
        table_from({"XX": {"name": "X", "resources": [entry]}, "elsewhere": elsewhere})
    women_talk = {**entry, "checked": "2026-12-03", "who": "women"}
    with pytest.raises(SupportTableError, match="who"):
        table_from({"XX": {"name": "X", "resources": [women_talk]}, "elsewhere": elsewhere})


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


def own_words(text: str, country: Country) -> str:
    """The text without the services' names and addresses: what nudger itself says."""
    for resource in country.resources:
        text = text.replace(resource.name, "").replace(resource.source, "")
    return text


@pytest.mark.parametrize("code", REQUIRED)
def test_help_now_is_calm_for_every_country(code: str) -> None:
    table = support_table()
    lines = help_now_lines(IN_ENGLISH, "Sam: 555-0100", table.countries[code], table, code)
    text = "\n".join(lines)
    assert not ALARM.search(own_words(text, table.countries[code])), code
    assert text.index("Sam: 555-0100") < text.index(table.countries[code].resources[0].contact)


@pytest.mark.parametrize("code", REQUIRED)
def test_every_heading_says_who_a_line_is_for(code: str) -> None:
    table = support_table()
    lines = help_now_lines(IN_ENGLISH, "", table.countries[code], table, code)
    for resource in table.countries[code].resources:
        line = next(line for line in lines if resource.contact in line)
        said = {"women": "women", "men": "For men", "lgbtq": "LGBTQ+", "women_lgbtq": "LGBTQ+"}
        if resource.who != "anyone":
            assert said[resource.who] in line, line
        else:
            assert not re.search(r"\b(women|men|LGBTQ)\b", line), line


def test_help_now_in_germany_and_with_a_country_asked_for(tmp_path: Path) -> None:
    env = {**isolated_env(tmp_path), "LANG": "de_DE.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
    shown = run_cli(env, "help-now")
    assert shown.returncode == 0
    assert "TelefonSeelsorge" in shown.stdout and "0800 111 0 111" in shown.stdout
    assert "116 123" in shown.stdout and "online.telefonseelsorge.de chatten" in shown.stdout
    assert "112 anrufen" in shown.stdout and "Hilfetelefon Gewalt an Männern" in shown.stdout
    assert "geprüft: 2026-12-03" in shown.stdout
    uk = run_cli(env, "help-now", "--country", "uk")
    assert "Samaritans" in uk.stdout and "116 123" in uk.stdout and "999" in uk.stdout
    unknown = run_cli(env, "help-now", "--country", "ZZ")
    assert unknown.returncode == 0
    # In German, as the locale says, and never only "your doctor".
    assert "keine Liste für ZZ" in unknown.stdout and "Ärztin" in unknown.stdout
    assert "https://findahelpline.com" in unknown.stdout and "911" in unknown.stdout


@pytest.mark.parametrize(
    ("lang", "country", "number"),
    [("pt_BR.UTF-8", "BR", "911"), ("C.UTF-8", None, "112"), ("it_IT.UTF-8", "IT", "112")],
)
def test_a_country_without_a_list_gets_numbers_and_a_directory(
    tmp_path: Path, lang: str, country: str | None, number: str
) -> None:
    env = {**isolated_env(tmp_path), "LANG": lang, "LC_ALL": "", "LC_MESSAGES": ""}
    shown = run_cli(env, "help-now")
    assert shown.returncode == 0
    assert number in shown.stdout and "https://findahelpline.com" in shown.stdout
    if country == "IT":
        assert "anywhere in the European Union" in shown.stdout
    if country is not None:
        assert f"no list for {country}" in shown.stdout


def test_help_now_for_the_us_in_spanish_is_all_spanish(tmp_path: Path) -> None:
    env = {**isolated_env(tmp_path), "LANG": "es_US.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
    shown = run_cli(env, "help-now")
    assert shown.returncode == 0
    assert "Estados Unidos" in shown.stdout and "AYUDA" in shown.stdout
    said = own_words(shown.stdout, support_table().countries["US"])
    assert not ENGLISH.search(said), ENGLISH.search(said)


def test_the_us_list_is_in_us_spelling_and_the_uk_list_in_british(tmp_path: Path) -> None:
    env = {**isolated_env(tmp_path), "LANG": "en_US.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
    us = run_cli(env, "help-now").stdout
    assert "counselor" in us and "counsell" not in us
    assert "Finding a counsellor" in run_cli(env, "help-now", "--country", "GB").stdout


def test_spains_016_says_the_call_stays_in_the_phones_list(tmp_path: Path) -> None:
    env = {**isolated_env(tmp_path), "LANG": "es_ES.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
    shown = run_cli(env, "help-now").stdout
    assert "016" in shown and "registro de llamadas" in shown
    assert "Para mujeres" in shown


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


@pytest.mark.parametrize(
    ("lang", "code", "heading"),
    [
        ("de_DE.UTF-8", "CH", "Schweiz:"),  # not "In Schweiz" (in der Schweiz)
        ("de_DE.UTF-8", "US", "Vereinigte Staaten:"),  # not "In Vereinigte Staaten"
        ("es_ES.UTF-8", "GB", "Reino Unido:"),  # not "En Reino Unido" (en el Reino Unido)
        ("en_GB.UTF-8", "GB", "In the United Kingdom:"),
    ],
)
def test_the_country_heading_reads_right_whatever_the_name(
    tmp_path: Path, lang: str, code: str, heading: str
) -> None:
    env = {**isolated_env(tmp_path), "LANG": lang, "LC_ALL": "", "LC_MESSAGES": ""}
    shown = run_cli(env, "help-now", "--country", code).stdout
    assert heading in shown.splitlines(), shown
