"""The German and Spanish a native reading found wrong stay fixed; the Spanish is neutral for
the Americas and Spain; and today's summary says "today" in every language."""

from __future__ import annotations

import re
import time
import tomllib
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from nudger.shell.history import FIRST_RUN_KEY
from nudger.store import Store
from tests.nudger_process import isolated_env, run_cli

ROOT = Path(__file__).resolve().parents[2]
# Each phrase from the reading, as it stood.
FOUND_WRONG = {
    "de": (
        "Freie Tage in den letzten",  # days off work
        "Heute hat viel von dir verlangt",
        "und wie läuft der Tag",
        "Menschen zum Reden, jetzt",
        "Bewegung ist freundlich zur Stimmung",
        "schlechter fühlen lassen",
        "auf {site}",
        "mit {site}",
    ),
    "es": (
        "personas con quien ",  # quienes, for people
        "¿está nudger en marcha?, y",
        "Nota los sitios",
        "son cuándo",
        "Hoy nada de tiempo",
        "esperó una respiración",
        "{first} a {last}",
        "a solas",
        "en soledad",
        "cerrarlo",
        "sin él",
    ),
}
# Words of Spain's Spanish that read foreign in Mexico or Argentina.
SPAIN_ONLY = re.compile(
    r"\b(móvil|ordenador|apetec\w*|tumbar\w*|fregar|portátil|vale|coger|vosotr\w*|manzana|"
    r"llamarle|ilusión|recado)\b",
    re.IGNORECASE,
)


def catalogue_texts(language: str) -> list[str]:
    path = ROOT / f"nudger/locale/{language}/LC_MESSAGES/nudger.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    texts: list[str] = []
    for message in catalogue:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        texts += [s for s in strings if s]
    return texts


def message_texts(language: str) -> list[str]:
    data = tomllib.loads((ROOT / f"config/messages.{language}.toml").read_text("utf-8"))
    return [
        entry[field]
        for entries in data.values()
        for entry in entries
        for field in ("title", "body")
        if field in entry
    ]


@pytest.mark.parametrize("language", ["de", "es"])
def test_what_was_found_wrong_is_gone(language: str) -> None:
    texts = catalogue_texts(language) + message_texts(language)
    for phrase in FOUND_WRONG[language]:
        assert not [t for t in texts if phrase in t], phrase


def test_the_spanish_is_neutral_for_the_americas_and_spain() -> None:
    texts = catalogue_texts("es") + message_texts("es")
    assert not [t for t in texts if SPAIN_ONLY.search(t)]


@pytest.mark.parametrize(
    ("lang", "today", "that_day"),
    [
        ("en_GB.UTF-8", "today", "this day"),
        ("de_DE.UTF-8", "Heute", "An diesem Tag"),
        ("es_ES.UTF-8", "Hoy", "Ese día"),
    ],
)
def test_todays_summary_says_today(tmp_path: Path, lang: str, today: str, that_day: str) -> None:
    env = {**isolated_env(tmp_path), "LANG": lang, "LC_ALL": "", "LC_MESSAGES": ""}
    # nudger has watched since yesterday: today is a watched day with nothing on it.
    store = Store.open(Path(env["NUDGER_DATA_DIR"]) / "nudger.db")
    store.set_meta(FIRST_RUN_KEY, str(time.time() - 86400))
    store.close()
    shown = run_cli(env, "summary")
    assert shown.returncode == 0
    assert today in shown.stdout and that_day not in shown.stdout, shown.stdout
