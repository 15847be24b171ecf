"""The nudge texts of every language follow the same rules as the English ones: the same kinds
and counts, the same limits and placeholders, night texts for the night, and the same
discretion and tone (checked with each language's own words)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from nudger.core.messages import (
    BODY_LIMIT,
    KINDS,
    PLACEHOLDERS,
    TITLE_LIMIT,
    Message,
    placeholders_in,
    render,
)
from nudger.core.policy import NIGHT_KINDS
from nudger.settings.messages import builtin_book

LANGUAGES = ("en", "de", "es")
# Words that order, shame or alarm, and words that give the topic away, in each language.
COLD = {
    "en": r"\b(stop|don'?t|must|should|need to|have to|never|quit|warning|danger|shame\w*|bad|"
    r"fail\w*|wrong|enough)\b",
    "de": r"\b(hör auf|aufhören|musst|muss|sollst|solltest|nie|niemals|Warnung|Gefahr|schäm\w*|"
    r"Schande|schwach|versag\w*|falsch\w*|genug|süchtig)\b",
    "es": r"\b(deja de|debes|deberías|tienes que|hay que|nunca|jamás|peligro|vergüenza|"
    r"malo|fracas\w*|mal\b|basta|suficiente)",
}
REVEALING = {
    "en": r"\b(break[- ]?ups?|heart\w*|hurt\w*|miss(ing|ed)?|ex|relationships?|partners?|"
    r"divorce\w*|lonel\w*|grie\w*|heal\w*|hard day|heavy day|struggl\w*)\b",
    "de": r"\b(Trennung\w*|Schluss gemacht|Liebeskummer|Herz\w*|Ex|vermiss\w*|Beziehung\w*|"
    r"Partner\w*|Scheidung|einsam\w*|Trauer|trauer\w*|heil\w*|Schmerz\w*|verletz\w*|"
    r"schwere[rn]? Tag\w*)\b",
    "es": r"\b(ruptura\w*|romper|corazón|ex|extrañ\w*|echar de menos|relación|relaciones|"
    r"pareja|divorcio|soledad|duelo|desamor|herid\w*|dolor\w*|sanar|día (difícil|duro))\b",
}
OFFERING = {
    "en": r"\b(maybe|how about|could|would|might|is there|if|who might|can)\b",
    "de": r"\b(vielleicht|wie wäre|magst|könnte|könntest|würde|würden|wenn|gibt es|kann|kannst)\b",
    "es": r"(quizá|qué tal|podría|podrías|y si|te apetece|\bsi\b|hay|puede|puedes|te sentaría|"
    r"ayudaría)",
}
# Kind uses of a listed word.
ALLOWED = {
    "en": ("no wrong time",),
    "de": ("keinen falschen Zeitpunkt",),
    "es": ("no pasa nada", "No hay un mal momento"),
}
TODAY = {"en": "today", "de": "heute", "es": "hoy"}


def book_messages(language: str) -> list[Message]:
    return list(builtin_book(language).messages)


def cases() -> list[tuple[str, Message]]:
    return [(language, m) for language in LANGUAGES for m in book_messages(language)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_kind_has_at_least_eight_texts_and_the_night_has_its_own(language: str) -> None:
    messages = book_messages(language)
    counts = Counter(m.kind for m in messages)
    assert set(counts) == set(KINDS) and min(counts.values()) >= 8, counts
    for kind in NIGHT_KINDS:
        assert sum(1 for m in messages if m.kind == kind and m.when == "night") >= 2, kind
    assert len(builtin_book(language).heavy_day_titles) >= 3


@pytest.mark.parametrize("language", ["de", "es"])
def test_each_language_has_its_own_texts_not_the_english(language: str) -> None:
    english = {m.body for m in book_messages("en")}
    assert not english & {m.body for m in book_messages(language)}


@pytest.mark.parametrize(("language", "message"), cases(), ids=lambda c: getattr(c, "id", c))
def test_limits_placeholders_tone_and_discretion(language: str, message: Message) -> None:
    assert 0 < len(message.title) <= TITLE_LIMIT
    assert 0 < len(message.body) <= BODY_LIMIT
    assert placeholders_in(message.title) | placeholders_in(message.body) <= PLACEHOLDERS
    assert len(render(message.title, site="diese Seite", minutes=180)) <= TITLE_LIMIT + 8
    text = f"{message.title} {message.body}"
    for phrase in ALLOWED[language]:
        text = text.replace(phrase, "")
    assert not re.search(COLD[language], text, re.IGNORECASE), text
    assert not re.search(REVEALING[language], text, re.IGNORECASE), text
    assert re.search(OFFERING[language], message.body, re.IGNORECASE), message.id
    if message.needs_minutes:
        assert TODAY[language] not in text.lower()


@pytest.mark.parametrize("language", LANGUAGES)
def test_heavy_day_titles_are_neutral(language: str) -> None:
    for heavy in builtin_book(language).heavy_day_titles:
        assert len(heavy.title) <= TITLE_LIMIT
        assert not re.search(REVEALING[language], heavy.title, re.IGNORECASE)


@pytest.mark.parametrize("language", LANGUAGES)
def test_ids_and_texts_are_unique(language: str) -> None:
    book = builtin_book(language)
    ids = [m.id for m in book.messages] + [h.id for h in book.heavy_day_titles]
    assert len(ids) == len(set(ids))
    assert len({m.body for m in book.messages}) == len(book.messages)
    assert len({m.title for m in book.messages}) == len(book.messages)
