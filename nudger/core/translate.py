"""The words nudger says, in the person's language: a `Translator` value.

Every user-facing string is written in English inside `_()` (or `ngettext()` where a count
decides the form) and looked up through the translator handed to the code that speaks:
`t._("...")`. The core reads no file and keeps no language of its own: the shell
(nudger/shell/i18n.py) picks the language, builds one `Translator` and hands it on. `ENGLISH`
is the translator before any choice, and for any string a catalogue lacks the English stands.

`N_()` marks a string for the catalogue where it is defined, to be translated where it is shown
(a table of labels, say): Babel's extraction finds `_`, `N_` and `ngettext`, whatever object
they are called on.
"""

from __future__ import annotations

import datetime as dt
import gettext
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class Translator:
    """One language: its catalogue, its code ("de") and how it writes dates."""

    catalogue: gettext.NullTranslations = field(default_factory=gettext.NullTranslations)
    language: str = "en"
    dates: Dates = ENGLISH_DATES

    def _(self, message: str) -> str:
        return self.catalogue.gettext(message)

    def gettext(self, message: str) -> str:
        return self.catalogue.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.catalogue.ngettext(singular, plural, count)

    def say(self, text: str | Said) -> str:
        """A Said in this language; a text already in words as it is."""
        return text.in_language(self) if isinstance(text, Said) else text


ENGLISH = Translator()


def N_(message: str) -> str:
    return message


@dataclass(frozen=True, eq=False)
class Said:
    """A sentence marked with `N_()` and its fillings, put into words where it is shown: what
    is raised or returned before it is known who will read it. A filling may itself be Said,
    or an error carrying one. `str()` gives the English, for logs."""

    text: str
    values: Mapping[str, object] = field(default_factory=dict)

    def in_language(self, t: Translator) -> str:
        values = {key: _in_language(value, t) for key, value in self.values.items()}
        return t._(self.text).format_map(values)

    def __str__(self) -> str:
        return self.in_language(ENGLISH)


def in_language(value: object, t: Translator) -> object:
    """A filling in t's language (a Said, or an error carrying one); anything else as it is.
    The log puts its values into words with it."""
    return _in_language(value, t)


def _in_language(value: object, t: Translator) -> object:
    """A filling in t's language: a Said, or an error that carries one (`error.said`)."""
    said = value if isinstance(value, Said) else getattr(value, "said", None)
    if said is None and isinstance(value, BaseException) and value.args:
        said = value.args[0]  # ConnectionError(Said(...)), say
    return said.in_language(t) if isinstance(said, Said) else value
