"""The gettext catalogues: complete for every string in the code, placeholders the same as the
English, and the compiled .mo files in the package exactly what the .po files say."""

from __future__ import annotations

import gettext
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "nudger" / "locale"
LANGUAGES = ("de", "es")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def code_messages() -> set[str | tuple[str, str]]:
    found: set[str | tuple[str, str]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT / "nudger", [("**.py", "python")], KEYWORDS
    ):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def placeholders(text: str) -> set[str]:
    """{name!r:spec} fields and %(name)s / %s markers: what must survive translation."""
    fields = {
        f"{{{name}{'!' + conv if conv else ''}}}"
        for _lit, name, _spec, conv in string.Formatter().parse(text)
        if name is not None
    }
    return fields | set(re.findall(r"%\([a-z_]+\)[a-z]|%[a-z]", text))


def catalogue(language: str):  # type: ignore[no-untyped-def]
    with (LOCALE / language / "LC_MESSAGES" / "nudger.po").open("rb") as handle:
        return read_po(handle, locale=language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_in_the_code_is_translated(language: str) -> None:
    translated = {
        (m.id if isinstance(m.id, str) else tuple(m.id))
        for m in catalogue(language)
        if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string) and not m.fuzzy
    }
    missing = sorted(map(str, code_messages() - translated))
    assert missing == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_match_the_english(language: str) -> None:
    wrong = []
    for message in catalogue(language):
        if not message.id:
            continue
        if isinstance(message.id, str):
            if placeholders(message.string) != placeholders(message.id):
                wrong.append((message.id, message.string))
            continue
        singular, plural = message.id
        allowed = placeholders(singular) | placeholders(plural)
        for form in message.string:
            if not placeholders(form) <= allowed:
                wrong.append((plural, form))
        if placeholders(message.string[-1]) != placeholders(plural):
            wrong.append((plural, message.string[-1]))
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_the_po_file(language: str) -> None:
    with (LOCALE / language / "LC_MESSAGES" / "nudger.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in catalogue(language):
        if not message.id:
            continue
        if isinstance(message.id, str):
            assert compiled.gettext(message.id) == message.string, message.id
        else:
            assert compiled.ngettext(*message.id, 1) == message.string[0]
            assert compiled.ngettext(*message.id, 7) == message.string[-1]


def test_the_placeholder_check_can_fail() -> None:
    assert placeholders("{count} visits") != placeholders("{anzahl} Besuche")
    assert placeholders("%(prog)s: error") != placeholders("Fehler")
