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
from importlib.resources import files

from nudger.core.cldr import format_date
from nudger.core.cldr_data import LANGUAGES as CLDR
from nudger.core.translate import ENGLISH, ENGLISH_DATES, Dates, Translator

DOMAIN = "nudger"
LANGUAGES = ("en", "de", "es")
_CODE = re.compile(r"^([a-zA-Z]{2,3})(?:[_-][a-zA-Z0-9]+)?(?:[.@].*)?$")


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
    return Translator(_catalogue(language), language, _dates_in(language))


def _catalogue(language: str) -> gettext.NullTranslations:
    """The language's compiled catalogue, read through importlib.resources while it is open:
    the package may be a zip or a wheel on no file system, so no path to it is kept."""
    compiled = files("nudger") / "locale" / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    try:
        with compiled.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    except OSError:  # no catalogue (yet) for a language: English stands, as gettext's fallback
        return gettext.NullTranslations()


def _dates_in(language: str) -> Dates:
    """Dates as the language writes them, from CLDR (nudger/core/cldr_data.py, generated with
    Babel at build time): "27. November 2026", "viernes, 27 de noviembre de 2026". English
    keeps nudger's day-first form; a language without CLDR data yet writes English dates."""
    cldr = CLDR.get(language)
    if language == "en" or cldr is None:
        return ENGLISH_DATES
    return Dates(
        long=lambda day: format_date(day, cldr.date_long, cldr),
        short=lambda day: format_date(day, cldr.date_short, cldr),
        weekday=lambda day: format_date(day, "EEE", cldr),
        full=lambda day: format_date(day, cldr.date_full, cldr),
    )
