"""nudger in German and Spanish, as a person runs it: the summary, --help, help-now and the
report follow LANG (or [ui] language); a language nudger does not speak falls back to English."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from nudger.core.days import LocalDays
from nudger.core.types import Visit
from nudger.report import html
from nudger.shell import i18n
from nudger.shell.history import History
from nudger.store import Store
from tests.nudger_process import isolated_env, run_cli


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    env = {**isolated_env(tmp_path), "LC_ALL": "", "LC_MESSAGES": ""}
    store = Store.open(Path(env["NUDGER_DATA_DIR"]) / "nudger.db")
    now = time.time()
    store.save_visits([Visit("site", "Reddit", "title", "front", now - 900, now - 300)])
    store.close()
    return env


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("de_DE.UTF-8", ("Soziale Seiten", "Tage beginnen um", "10 Min.")),
        ("es_ES.UTF-8", ("Redes sociales", "los días empiezan a las", "10 min")),
        ("en_GB.UTF-8", ("Social sites", "days start at", "10 min")),
    ],
)
def test_the_summary_speaks_the_locales_language(
    home: dict[str, str], lang: str, expected: tuple[str, ...]
) -> None:
    shown = run_cli({**home, "LANG": lang}, "summary")
    assert shown.returncode == 0, shown.stderr
    for words in expected:
        assert words in shown.stdout, shown.stdout


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "de_AT.UTF-8",
            ("Aufruf: nudger", "Optionen:", "Menschen, mit denen du jetzt reden kannst"),
        ),
        ("es_MX.UTF-8", ("uso: nudger", "opciones:", "personas con quienes hablar ahora")),
    ],
)
def test_help_speaks_the_locales_language(
    home: dict[str, str], lang: str, expected: tuple[str, ...]
) -> None:
    shown = run_cli({**home, "LANG": lang}, "--help")
    for words in expected:
        assert words in shown.stdout, shown.stdout


def test_the_setting_wins_over_the_locale_and_an_unknown_language_is_english(
    home: dict[str, str],
) -> None:
    config = Path(home["NUDGER_CONFIG"])
    config.write_text('[ui]\nlanguage = "es"\n')
    assert "Redes sociales" in run_cli({**home, "LANG": "de_DE.UTF-8"}, "summary").stdout
    config.write_text('[ui]\nlanguage = "tlh"\n')
    shown = run_cli({**home, "LANG": "de_DE.UTF-8"}, "summary")
    assert shown.returncode == 0 and shown.stderr == ""
    assert "Social sites" in shown.stdout
    assert run_cli({**home, "LANG": "xx_YY.UTF-8"}, "config", "check").returncode == 0


def test_help_now_in_spanish_for_mexico(home: dict[str, str]) -> None:
    shown = run_cli({**home, "LANG": "es_MX.UTF-8"}, "help-now")
    assert "\nMéxico:\n" in shown.stdout
    assert "Alguien con quien hablar: Línea de la Vida" in shown.stdout
    assert "llama al 911" in shown.stdout
    assert "llama al 800 911 2000" in shown.stdout


@pytest.mark.parametrize(
    ("lang", "attribute", "date"),
    [
        ("de", "de", "27. November 2026"),
        ("es", "es", "27 de noviembre de 2026"),
        ("en", "en", "27 November 2026"),
    ],
)
def test_the_report_follows_the_language(
    tmp_path: Path, lang: str, attribute: str, date: str
) -> None:
    t = i18n.translator_for(lang)
    store = Store.open(tmp_path / "nudger.db")
    days = LocalDays(dt.UTC, dt.time(4, 0))
    history = History(store, days)
    day = dt.date(2026, 11, 27)
    page = html.render(
        t,
        history.day(day),
        history.range(day - dt.timedelta(days=29), day),
        dt.datetime(2026, 11, 27, 21, 0, tzinfo=dt.UTC),
    )
    store.close()
    assert f'<html lang="{attribute}">' in page
    assert date in page


def test_the_report_written_by_the_command_is_in_german(
    home: dict[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "bericht.html"
    assert (
        run_cli({**home, "LANG": "de_DE.UTF-8"}, "report", "--output", str(target)).returncode == 0
    )
    page = target.read_text(encoding="utf-8")
    assert '<html lang="de">' in page and "Deine letzten 30 Tage" in page


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("de_DE.UTF-8", "watch.poll_seconds: sollte mindestens 0,2 sein"),
        ("es_ES.UTF-8", "watch.poll_seconds: debería ser al menos 0,2"),
        ("en_GB.UTF-8", "watch.poll_seconds: Input should be greater than or equal to 0.2"),
    ],
)
def test_a_config_error_names_the_file_and_field_in_the_language(
    home: dict[str, str], lang: str, said: str
) -> None:
    Path(home["NUDGER_CONFIG"]).write_text("[watch]\npoll_seconds = 0\n")
    checked = run_cli({**home, "LANG": lang}, "config", "check")
    assert checked.returncode == 2
    assert home["NUDGER_CONFIG"] in checked.stderr and said in checked.stderr
