"""What `block`, `doctor`, `config check` and `status` print in German and Spanish holds no
English sentence, nor does the daemon's log or what `status` passes on from it; and the English
`--help` never names the topic."""

from __future__ import annotations

import functools
import re
import signal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.desktop.rig import wait_until
from tests.nudger_process import NudgerDaemon, isolated_env, run_cli

ROOT = Path(__file__).resolve().parents[2]

# Words of an English sentence that German and Spanish never use. Commands in backticks,
# variables (DISPLAY=...), paths and names (GNOME Shell, KDE Plasma) are not sentences.
ENGLISH = re.compile(
    r"\b(the|is|are|nothing|changed|first|again|which|window|running|does|not|tell|"
    r"programs|session|counting|instead|shows|fix|then|on|of|and|with|your|this|that|it)\b",
    re.IGNORECASE,
)
NOT_A_SENTENCE = re.compile(r"`[^`]*`|\S*[=/]\S*|\b[A-Z_]{2,}\b")
BROKEN = "[nudges]\nnight_cap = -1\n"


def english_in(text: str, language: str = "") -> list[str]:
    """Lines with English words in them, or (given the language) with one of nudger's own
    English sentences that the language's catalogue translates."""
    known = said_in_english(language) if language else None
    return [
        line
        for line in text.splitlines()
        if ENGLISH.search(NOT_A_SENTENCE.sub("", line)) or (known and known.search(line))
    ]


@functools.cache
def said_in_english(language: str) -> re.Pattern[str]:
    """Every English sentence of the catalogue (three words or more besides its placeholders)
    that the language says otherwise, its placeholders (%s, %d, {name}) matching anything."""
    path = ROOT / f"nudger/locale/{language}/LC_MESSAGES/nudger.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    patterns = []
    for message in catalogue:
        english = message.id[0] if isinstance(message.id, tuple) else message.id
        said = message.string[0] if isinstance(message.string, tuple) else message.string
        if not english or said == english:
            continue
        parts = re.split(r"%\.?\d*[sdrf]|\{[^}]*\}", english)
        if len(re.findall(r"[A-Za-z]{2,}", " ".join(parts))) >= 3:
            patterns.append(".+?".join(re.escape(part) for part in parts))
    return re.compile("|".join(sorted(patterns, key=len, reverse=True)))


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
    assert not english_in(shown.stderr, lang[:2]), shown.stderr
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
    assert not english_in(shown.stdout, lang[:2]), shown.stdout


@pytest.mark.parametrize("lang", ["de_DE.UTF-8", "es_ES.UTF-8"])
def test_config_check_and_status_in_the_language(tmp_path: Path, lang: str) -> None:
    env = env_in(tmp_path, lang)
    Path(env["NUDGER_CONFIG"]).write_text(BROKEN)
    checked = run_cli(env, "config", "check")
    assert checked.returncode == 2 and "night_cap" in checked.stderr
    assert not english_in(checked.stdout + checked.stderr, lang[:2])
    status = run_cli(env, "status")
    assert not english_in(status.stdout + status.stderr, lang[:2]), status.stdout + status.stderr


# Every kind of config error: tomllib's (English) reasons, a regex RE2 refuses, a variable.
CONFIG_FAULTS = {
    "table": ("[watch\npoll_seconds = 3\n", {}),
    "unquoted": ("[ui]\nlanguage = de\n", {}),
    "twice": ('[ui]\nlanguage = "de"\nlanguage = "es"\n', {}),
    "unclosed": ("a = [1, 2\n", {}),
    "two on a line": ("[watch]\npoll_seconds = 3 idle_seconds = 4\n", {}),
    "regex": ('[[blocklist]]\nname = "Kim"\nmatch = ["re:(?=x)"]\n', {}),
    "environment": ("", {"NUDGER_WATCH__POLL_SECONDS": "0"}),
}


@pytest.mark.parametrize("lang", ["de_DE.UTF-8", "es_ES.UTF-8"])
@pytest.mark.parametrize("fault", CONFIG_FAULTS)
def test_every_kind_of_config_error_is_in_the_language(
    tmp_path: Path, lang: str, fault: str
) -> None:
    text, variables = CONFIG_FAULTS[fault]
    env = env_in(tmp_path, lang, **variables)
    Path(env["NUDGER_CONFIG"]).write_text(text)
    checked = run_cli(env, "config", "check")
    assert checked.returncode == 2, checked.stdout + checked.stderr
    assert not english_in(checked.stderr, lang[:2]), checked.stderr
    assert not re.search(r"\b(line|column|environment variable|Expected|Invalid)\b", checked.stderr)


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
    # A sentence of nudger's own, even one without any of the words above.
    snoozed = "12:00:01,5 INFO nudger.shell.coach: nudges snoozed for an hour"
    assert not english_in(snoozed) and english_in(snoozed, "de")
    assert english_in("deleted 3 visits older than 30 days (privacy.keep_days)", "es")
    assert not english_in("3 Besuche gelöscht, die älter als 30 Tage waren", "de")


def unused_display() -> str:
    """An X display number that no server holds (no lock file, no socket): the daemon's X11
    backend then cannot see the desktop, a fault it notes in the log and in its status."""
    for number in range(917, 999):
        if (
            not Path(f"/tmp/.X{number}-lock").exists()
            and not Path(f"/tmp/.X11-unix/X{number}").exists()
        ):
            return f":{number}"
    raise AssertionError("no free display number")


def log_lines(daemon: NudgerDaemon) -> list[str]:
    """The log file's lines above debug level (debug lines stay English, for developers)."""
    log_file = daemon.data_dir / "logs" / "nudger.log"
    text = log_file.read_text(encoding="utf-8") if log_file.exists() else ""
    return [line for line in text.splitlines() if " DEBUG " not in line]


@pytest.mark.parametrize(
    ("lang", "language", "then", "fault", "refused", "reloaded"),
    [
        (
            "de_DE.UTF-8",
            "de",
            "es",
            "der Desktop ist nicht zu sehen",
            "die neuen Einstellungen werden nicht verwendet",
            "ajustes recargados desde",
        ),
        (
            "es_ES.UTF-8",
            "es",
            "de",
            "no se ve el escritorio",
            "los ajustes nuevos no se usan",
            "Einstellungen neu geladen aus",
        ),
    ],
)
def test_the_daemons_log_and_the_faults_status_shows_are_in_the_language(
    tmp_path: Path, lang: str, language: str, then: str, fault: str, refused: str, reloaded: str
) -> None:
    env = env_in(tmp_path, lang, XDG_SESSION_TYPE="x11", DISPLAY=unused_display())
    daemon = NudgerDaemon(tmp_path, env).start()
    try:
        # The desktop cannot be seen: a fault, in the log and among the status's notes.
        wait_until(lambda: (daemon.status() or {}).get("notes"), 30, "the fault in the status")
        status = run_cli(env, "status")
        assert fault in status.stdout, status.stdout
        assert not english_in(status.stdout + status.stderr, language), status.stdout

        # A broken settings file is refused, in the log and in `status`.
        daemon.config_path.write_text(BROKEN)
        wait_until(lambda: (daemon.status() or {}).get("config_problem"), 30, "the refused config")
        status = run_cli(env, "status")
        assert "night_cap" in status.stdout and fault in status.stdout, status.stdout
        assert not english_in(status.stdout + status.stderr, language), status.stdout
        assert any(refused in line for line in log_lines(daemon)), daemon.log()

        # Another language in the settings: the log follows it from the reload on.
        daemon.config_path.write_text(f'[ui]\nlanguage = "{then}"\n')
        wait_until(lambda: any(reloaded in line for line in log_lines(daemon)), 30, "the reload")
    finally:
        assert daemon.stop(signal.SIGTERM) == 0
    lines = log_lines(daemon)
    assert f" {language}, " in lines[0], lines[0]  # the first line names the language
    before = lines[: next(i for i, line in enumerate(lines) if reloaded in line)]
    after = lines[len(before) :]
    assert any(fault in line for line in before), lines
    assert not [line for line in before if english_in(line, language)], before
    assert not [line for line in after if english_in(line, then)], after
