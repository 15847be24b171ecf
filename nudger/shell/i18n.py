"""Choosing the language and loading its catalogue (nudger/locale/<lang>/LC_MESSAGES/nudger.mo).

The language is `[ui] language` when set, else the locale the C library would use (LC_ALL,
then LC_MESSAGES, then LANG). A language without a catalogue falls back to English, silently:
an unknown code must never stop nudger.
"""

from __future__ import annotations

import gettext
import os
import re
from collections.abc import Mapping
from importlib.resources import as_file, files
from pathlib import Path

from nudger.core import translate
from nudger.core.translate import ENGLISH, ENGLISH_DATES, Dates, Translator

DOMAIN = "nudger"
LANGUAGES = ("en", "de", "es")
_CODE = re.compile(r"^([a-zA-Z]{2,3})(?:[_-][a-zA-Z0-9]+)?(?:[.@].*)?$")


def locale_dir() -> Path:
    with as_file(files("nudger") / "locale") as path:
        return Path(path)


def choose_language(configured: str = "", environ: Mapping[str, str] | None = None) -> str:
    """ "de" for "de_AT.UTF-8"; "en" for "C", for an empty locale, or for a language nudger
    does not speak yet."""
    env = os.environ if environ is None else environ
    candidates = [configured] if configured else []
    candidates += [env.get(name, "") for name in ("LC_ALL", "LC_MESSAGES", "LANG")]
    for value in candidates:
        if not value:
            continue
        match = _CODE.match(value.strip())
        code = match.group(1).lower() if match else ""
        return code if code in LANGUAGES else "en"
    return "en"


def translator_for(configured: str = "", environ: Mapping[str, str] | None = None) -> Translator:
    """The translator for the chosen language, built once by whoever starts speaking (the
    command line, the daemon) and handed to what speaks."""
    language = choose_language(configured, environ)
    if language == "en":
        return ENGLISH
    catalogue = gettext.translation(
        DOMAIN, localedir=str(locale_dir()), languages=[language], fallback=True
    )
    return Translator(catalogue, language, _dates_in(language))


def _dates_in(language: str) -> Dates:
    """Dates as the language writes them, from Babel's CLDR data: "27. November 2026",
    "viernes, 27 de noviembre de 2026". English keeps nudger's day-first form."""
    if language == "en":
        return ENGLISH_DATES
    from babel.dates import format_date, format_skeleton  # noqa: PLC0415 - only when needed

    return Dates(
        long=lambda day: format_date(day, "long", locale=language),
        short=lambda day: format_skeleton("dMMM", day, locale=language),
        weekday=lambda day: format_date(day, "EEE", locale=language),
        full=lambda day: format_date(day, "full", locale=language),
    )


def setup(configured: str = "", environ: Mapping[str, str] | None = None) -> Translator:
    """The chosen language's translator, also made the process's for the modules not yet handed
    one (transitional: see nudger/core/translate.py)."""
    chosen = translator_for(configured, environ)
    translate.use(chosen)
    return chosen
