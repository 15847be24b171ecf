"""Every nudge text, filled with every value its slots can take, in every language, reads right.

{site} is a site's name ("Instagram"), the discreet "that page" ("diese Seite", "esa página")
or, for the day's total, "social media" ("soziale Medien", "las redes sociales"). A text whose
grammar depends on the filling breaks for one of them: German needs the dative after auf, mit,
in, seit ("auf dieser Seite") and a pronoun of the filling's gender ("es", "sie"); Spanish
needs the pronoun to agree ("cerrarlo", "cerrarla", "sin él", "sin ella") and the verb to agree
with a plural ("que las redes sociales esperen"). So the texts keep {site} where every filling
reads right, and this test renders them all and looks for the known faults.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from nudger.core.messages import ALL_SITES, DISCREET_SITE, render
from nudger.core.policy import MINUTES_WORTH_SAYING
from nudger.settings.catalogue import builtin_sites
from nudger.settings.messages import builtin_book
from nudger.shell import i18n

LANGUAGES = ("en", "de", "es")
MINUTES = (MINUTES_WORTH_SAYING, 12, 95)

# German: the accusative or nominative filling after a preposition that takes the dative
# ("auf diese Seite", "mit soziale Medien"), the dative filling where the accusative belongs
# ("schließt du sozialen Medien"), and a gendered pronoun standing for the filling.
_DATIVE = r"(auf|mit|in|im|von|vom|bei|seit|aus|nach|zu|zum|vor)"
GERMAN = (
    re.compile(rf"\b{_DATIVE} (diese Seite|soziale Medien)\b", re.I),
    # "statt diese Seite offen zu lassen" is right (an infinitive follows); "statt mit diese
    # Seite" and a bare "statt diese Seite." are not.
    re.compile(r"\bstatt (mit )?(diese Seite|soziale Medien)\b(?![^.?!]*\bzu \w+)"),
    re.compile(r"(?<!\bden )(?<!\bin )(?<!\bvon )(?<!\bmit )(?<!\bzu )\bsozialen Medien\b"),
    re.compile(r"\b(es|sie|ihn) (eine Weile |für \w+ |kurz )?(zu )?(schließen|zuzumachen|ruhen)"),
    re.compile(r"(diese Seite|soziale Medien) (kann|wird|ist|hat|wartet|darf)\b"),
)
# Spanish: a pronoun standing for the filling (looked for only in texts that have {site}: a
# "¿Escribirlo?" elsewhere stands for something else), and a singular verb after the plural.
SPANISH_PRONOUNS = (
    re.compile(r"\b\w+(ar|er|ir)(lo|la|los|las)\b"),
    re.compile(r"\bsin (él|ella|ellos|ellas)\b"),
)
SPANISH = (
    re.compile(r"(redes sociales|esa página) (espere|puede|está|es)\b"),
    re.compile(r"(?<!las )\bredes sociales\b"),
)
# Any language: the filling beginning a sentence in lower case ("diese Seite ist ...").
SENTENCE_START = re.compile(r"(^|[.?!:]\s+)(that page|social media|diese|soziale|esa|las)\b")
FAULTS = {
    "en": (SENTENCE_START,),
    "de": (*GERMAN, SENTENCE_START),
    "es": (*SPANISH, SENTENCE_START),
}


def fillings(language: str) -> list[str]:
    """What {site} can read in the language: every catalogue site, "that page", "social media"."""
    t = i18n.translator_for(language, {})
    shown = [t._(DISCREET_SITE), t._(ALL_SITES)]
    return [site.name for site in builtin_sites()] + shown


def renderings() -> Iterator[tuple[str, str, str, bool]]:
    """(language, case, the text as shown, whether its grammar could depend on the filling)."""
    for language in LANGUAGES:
        sites = fillings(language)
        for message in builtin_book(language).messages:
            for site in sites:
                for minutes in MINUTES:
                    for text in (message.title, message.body):
                        shown = render(text, site=site, minutes=minutes)
                        case = f"{message.id}/{site}/{minutes}"
                        yield language, case, shown, "{site}" in text


def faults_in(language: str, shown: str, has_site: bool) -> list[re.Pattern[str]]:
    checks = [*FAULTS[language], *(SPANISH_PRONOUNS if language == "es" and has_site else ())]
    return [fault for fault in checks if fault.search(shown)]


def test_the_fillings_are_the_forms_that_read_right_everywhere() -> None:
    assert fillings("de")[-2:] == ["diese Seite", "soziale Medien"]
    assert fillings("es")[-2:] == ["esa página", "las redes sociales"]


def test_every_text_with_every_filling_in_every_language_reads_right() -> None:
    faults = [
        (language, case, shown)
        for language, case, shown, has_site in renderings()
        if faults_in(language, shown, has_site)
    ]
    assert not faults, "\n".join(map(str, faults[:20]))


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("de", "Du bist seit 12 Minuten auf diese Seite. Wie wäre es, es eine Weile zu schließen"),
        (
            "de",
            "Vielleicht verbringst du ein paar Minuten mit einer Lektion statt mit diese Seite.",
        ),
        ("de", "Vielleicht schließt du sozialen Medien für heute?"),
        ("es", "Llevas 12 minutos en esa página. ¿Qué tal cerrarlo un rato?"),
        ("es", "12 minutos en esa página hasta ahora. ¿Y si pruebas una hora sin él?"),
        ("es", "¿Qué tal cerrar redes sociales por hoy?"),
        ("es", "¿Y dejar que las redes sociales espere?"),
    ],
)
def test_the_checks_find_the_faults_a_native_reader_found(language: str, shown: str) -> None:
    assert faults_in(language, shown, has_site=True)
