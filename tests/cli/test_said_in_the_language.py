"""What `block`, `doctor`, `config check` and `status` print in German and Spanish holds no
English sentence, and the English `--help` never names the topic."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.nudger_process import isolated_env, run_cli

# Words of an English sentence that German and Spanish never use. Commands in backticks,
# variables (DISPLAY=...), paths and names (GNOME Shell, KDE Plasma) are not sentences.
ENGLISH = re.compile(
    r"\b(the|is|are|nothing|changed|first|again|which|window|running|does|not|tell|"
    r"programs|session|counting|instead|shows|fix|then|on|of|and|with|your|this|that|it)\b",
    re.IGNORECASE,
)
NOT_A_SENTENCE = re.compile(r"`[^`]*`|\S*[=/]\S*|\b[A-Z_]{2,}\b")
BROKEN = "[nudges]\nnight_cap = -1\n"


def english_in(text: str) -> list[str]:
    return [line for line in text.splitlines() if ENGLISH.search(NOT_A_SENTENCE.sub("", line))]


def env_in(tmp_path: Path, lang: str, **extra: str) -> dict[str, str]:
    env = {**isolated_env(tmp_path), "LANG": lang, "LC_ALL": "", "LC_MESSAGES": ""}
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "SWAYSOCK", "HYPRLAND_INSTANCE_SIGNATURE"):
        env.pop(name, None)
    return {**env, **extra}


@pytest.mark.parametrize("lang", ["de_DE.UTF-8", "es_ES.UTF-8"])
def test_block_on_a_broken_settings_file_says_it_all_in_the_language(
    tmp_path: Path, lang: str
) -> None:
    env = env_in(tmp_path, lang)
    Path(env["NUDGER_CONFIG"]).write_text(BROKEN)
    shown = run_cli(env, "block", "add", "Alex", "--match", "alex")
    assert shown.returncode == 2
    assert "nudger config check" in shown.stderr  # the sentence that was English before
    assert not english_in(shown.stderr), shown.stderr
    assert Path(env["NUDGER_CONFIG"]).read_text() == BROKEN  # and nothing was changed


@pytest.mark.parametrize("lang", ["de_DE.UTF-8", "es_ES.UTF-8"])
@pytest.mark.parametrize("desktop", ["GNOME", "river", "KDE"])
def test_doctor_says_why_it_chose_a_backend_in_the_language(
    tmp_path: Path, lang: str, desktop: str
) -> None:
    env = env_in(
        tmp_path,
        lang,
        XDG_SESSION_TYPE="wayland",
        XDG_CURRENT_DESKTOP=desktop,
        WAYLAND_DISPLAY="wayland-nudger-test",
        DBUS_SESSION_BUS_ADDRESS="unix:path=" + str(tmp_path / "no-bus"),
    )
    shown = run_cli(env, "doctor")
    lines = shown.stdout.splitlines()
    backend_at = next(i for i, line in enumerate(lines) if "Backend" in line)
    # The reason follows on a line of its own, in the language.
    assert "Wayland" in lines[backend_at + 1]
    assert not english_in(shown.stdout), english_in(shown.stdout)


@pytest.mark.parametrize("lang", ["de_DE.UTF-8", "es_ES.UTF-8"])
def test_config_check_and_status_in_the_language(tmp_path: Path, lang: str) -> None:
    env = env_in(tmp_path, lang)
    Path(env["NUDGER_CONFIG"]).write_text(BROKEN)
    checked = run_cli(env, "config", "check")
    assert checked.returncode == 2 and "night_cap" in checked.stderr
    assert not english_in(checked.stdout + checked.stderr)
    status = run_cli(env, "status")
    assert not english_in(status.stdout + status.stderr), status.stdout + status.stderr


def test_the_english_help_never_names_the_topic(tmp_path: Path) -> None:
    env = env_in(tmp_path, "en_GB.UTF-8")
    for args in (("--help",), ("browser", "--help")):
        shown = run_cli(env, *args)
        assert shown.returncode == 0 and "browser" in shown.stdout
        assert not re.search(r"\bex\b|\bex's\b|\bex-", shown.stdout, re.IGNORECASE), args


def test_the_checks_see_english_where_it_was(tmp_path: Path) -> None:
    assert english_in("Fenster-Backend: gnome (GNOME on Wayland)")
    assert english_in("sollte mindestens 0 sein; fix that first, then run this again")
    assert not english_in("Fenster-Backend: gnome (GNOME unter Wayland)")
