"""The words nudger says, in the person's language.

Every user-facing string is written in English inside `_()` (or `ngettext()` where a count
decides the form) and looked up in the catalogue in use. The core reads no file: the shell
(nudger/shell/i18n.py) picks the language and hands a loaded catalogue to `use`. Until it does, and
for any string a catalogue lacks, the English stands.

`N_()` marks a string for the catalogue where it is defined, to be translated where it is shown
(a table of labels, say): Babel's extraction finds all three.
"""

from __future__ import annotations

import datetime as dt
import gettext
from collections.abc import Callable
from dataclasses import dataclass

DateWords = Callable[[dt.date], str]


@dataclass(frozen=True)
class Dates:
    """How the language writes a date: the shell builds these with Babel's formats."""

    long: DateWords  # 27 November 2026
    short: DateWords  # 27 Nov
    weekday: DateWords  # Fri
    full: DateWords  # Friday 27 November 2026


ENGLISH_DATES = Dates(
    long=lambda day: f"{day.day} {day:%B %Y}",
    short=lambda day: f"{day.day} {day:%b}",
    weekday=lambda day: f"{day:%a}",
    full=lambda day: f"{day:%A} {day.day} {day:%B %Y}",
)
_catalogue: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"
_dates = ENGLISH_DATES


def use(catalogue: gettext.NullTranslations, language: str, dates: Dates = ENGLISH_DATES) -> None:
    global _catalogue, _language, _dates
    _catalogue, _language, _dates = catalogue, language, dates


def dates() -> Dates:
    return _dates


def language() -> str:
    """The language in use, as a code such as "de" ("en" until the shell chooses)."""
    return _language


def _(message: str) -> str:
    return _catalogue.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _catalogue.ngettext(singular, plural, count)


def N_(message: str) -> str:
    return message
