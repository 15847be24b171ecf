"""Texts for their hour, in every language: a day text never speaks of the evening or the
night, and a text that can come at night never speaks of today, of texting someone now, of
going out, or of an hour's plan. Every kind the night uses has night texts in every language."""

from __future__ import annotations

import re

import pytest

from nudger.core.messages import Message
from nudger.core.policy import NIGHT_KINDS
from nudger.settings.messages import builtin_book

LANGUAGES = ("en", "de", "es")

# Words of the evening and the night, which a day text may come hours before.
EVENING_OR_NIGHT = {
    "en": r"\b(evening|tonight|night\w*|bedtime|late)\b",
    "de": r"\b(abend\w*|nacht\w*|nächt\w*|heute nacht)\b",
    "es": r"\b(noche\w*|esta tarde|por la tarde|madrugada)\b",
}
# What someone awake at 2 a.m. should not be offered: today, a message to someone now, going
# out, an hour's plan.
NOT_AT_NIGHT = {
    "en": (
        r"\b(today|this week|text\w*|messag\w*|outside|go out|walk|stroll|fresh air|jog\w*|"
        r"errand|an hour|half hour|next hour)\b"
    ),
    "de": (
        r"\b(heute(?! nacht)|diese woche|nachricht\w*|draußen|rausgehen|spaziergang|"
        r"frische luft|joggen|besorgung\w*|eine stunde|halbe stunde|nächste stunde)\b|"
        r"\b(dem|der) du\b[^.?!]*\bschreiben\b"
    ),
    "es": (
        r"\b(hoy|esta semana|mensaje\w*|afuera|salir|paseo|aire fresco|correr|recado\w*|"
        r"una hora|media hora|próxima hora)\b|\ba quien\b[^.?!]*\bescrib\w*"
    ),
}


def texts(language: str) -> tuple[Message, ...]:
    return builtin_book(language).messages


def words(message: Message) -> str:
    return f"{message.title} {message.body}".lower()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_day_text_never_speaks_of_the_evening_or_the_night(language: str) -> None:
    pattern = re.compile(EVENING_OR_NIGHT[language])
    found = [
        (m.id, pattern.search(words(m)).group(0))  # type: ignore[union-attr]
        for m in texts(language)
        if m.when == "day" and pattern.search(words(m))
    ]
    assert found == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_text_that_can_come_at_night_offers_nothing_for_the_day(language: str) -> None:
    pattern = re.compile(NOT_AT_NIGHT[language])
    found = [
        (m.id, pattern.search(words(m)).group(0))  # type: ignore[union-attr]
        for m in texts(language)
        if m.fits(night=True) and pattern.search(words(m))
    ]
    assert found == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_night_kind_has_night_texts_in_every_language(language: str) -> None:
    for kind in NIGHT_KINDS:
        assert sum(1 for m in texts(language) if m.kind == kind and m.fits(night=True)) >= 2, kind


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "How about closing that page for the evening?"),
        ("en", "Who might you reach out to today?"),
        ("de", "Wie wäre es, {site} für den Abend zu schließen?"),
        ("es", "¿Qué tal cerrar {site} por esta tarde?"),
    ],
)
def test_the_checks_catch_the_texts_that_were_wrong(language: str, text: str) -> None:
    day = re.compile(EVENING_OR_NIGHT[language])
    night = re.compile(NOT_AT_NIGHT[language])
    assert day.search(text.lower()) or night.search(text.lower())


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Is there a friend you could message now, for them to read in the morning?"),
        ("de", "Gibt es jemanden, dem du jetzt schreiben könntest, zum Lesen am Morgen?"),
        ("es", "¿Hay alguien a quien puedas escribir ahora, para que lo lea por la mañana?"),
        ("en", "Maybe try an hour without it and see how it feels?"),
        ("de", "Heute Nacht braucht nichts geklärt zu werden."),  # allowed: tonight is not today
    ],
)
def test_the_night_check_knows_texting_now_from_tonight(language: str, text: str) -> None:
    caught = bool(re.compile(NOT_AT_NIGHT[language]).search(text.lower()))
    assert caught is not text.startswith("Heute Nacht")
