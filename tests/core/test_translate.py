"""The Translator value and Said (nudger/core/translate.py): words put into a language where
they are shown, never before."""

from __future__ import annotations

import datetime as dt
import gettext

from nudger.core.translate import ENGLISH, N_, Dates, Said, Translator


class _Catalogue(gettext.NullTranslations):
    """A catalogue from a dict: the core's tests need no compiled .mo file."""

    def __init__(self, words: dict[str, str]) -> None:
        super().__init__()
        self.words = words

    def gettext(self, message: str) -> str:
        return self.words.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.words.get(singular if n == 1 else plural, singular if n == 1 else plural)


GERMAN = Translator(
    _Catalogue(
        {
            "the pattern is empty": "das Muster ist leer",
            "{name} is away": "{name} ist weg",
            "a friend": "ein Freund",
            "{n} day": "{n} Tag",
            "{n} days": "{n} Tage",
        }
    ),
    "de",
    Dates(
        long=lambda day: f"{day.day}. {day:%m}. {day.year}",
        short=lambda day: f"{day.day}.{day.month}.",
        weekday=lambda day: "Fr",
        full=lambda day: "Freitag",
    ),
)


def test_a_said_is_put_into_words_by_each_reader_and_is_english_as_text() -> None:
    said = Said(N_("the pattern is empty"))
    assert said.in_language(GERMAN) == "das Muster ist leer"
    assert said.in_language(ENGLISH) == "the pattern is empty"
    assert str(said) == "the pattern is empty"


def test_fillings_that_are_said_or_errors_carrying_one_follow_the_reader() -> None:
    nested = Said(N_("{name} is away"), {"name": Said(N_("a friend"))})
    assert nested.in_language(GERMAN) == "ein Freund ist weg"
    carried = Said(N_("{name} is away"), {"name": ValueError(Said(N_("a friend")))})
    assert carried.in_language(GERMAN) == "ein Freund ist weg"
    plain = Said(N_("{name} is away"), {"name": ValueError("Sam")})
    assert plain.in_language(GERMAN) == "Sam ist weg"


def test_say_leaves_words_already_said_as_they_are() -> None:
    assert GERMAN.say("schon gesagt") == "schon gesagt"
    assert GERMAN.say(Said(N_("the pattern is empty"))) == "das Muster ist leer"


def test_plurals_and_dates_come_from_the_translator() -> None:
    assert GERMAN.ngettext("{n} day", "{n} days", 1).format(n=1) == "1 Tag"
    assert GERMAN.ngettext("{n} day", "{n} days", 3).format(n=3) == "3 Tage"
    day = dt.date(2026, 11, 27)
    assert GERMAN.dates.long(day) == "27. 11. 2026"
    assert ENGLISH.dates.long(day) == "27 November 2026"
    assert ENGLISH.dates.full(day) == "Friday 27 November 2026"


def test_a_string_the_catalogue_lacks_stays_english() -> None:
    assert GERMAN._("not in the catalogue") == "not in the catalogue"
    assert ENGLISH.language == "en" and GERMAN.language == "de"
