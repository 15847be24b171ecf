"""argparse speaks the person's language through nudger's parser, and argparse's own module is
left as it was: another program in the same process (or a test) still gets argparse's English."""

from __future__ import annotations

import argparse
import contextlib
import io

import pytest

from nudger.cli import build_parser
from nudger.cli.argparse_words import in_words
from nudger.core.translate import ENGLISH
from nudger.shell import i18n


@pytest.mark.parametrize(
    ("english", "german"),
    [
        (
            "the following arguments are required: name, --match",
            "diese Argumente sind nötig: name, --match",
        ),
        ("argument --match: expected one argument", "Argument --match: ein Argument erwartet"),
        ("unrecognized arguments: --bogus", "unbekannte Argumente: --bogus"),
        ("expected 2 arguments", "2 Argumente erwartet"),
        # nudger's own words (already in the language) come back as they were.
        ("argument --date: kein Datum", "Argument --date: kein Datum"),
        ("something argparse never says", "something argparse never says"),
    ],
)
def test_argparses_messages_are_said_again_in_the_language(english: str, german: str) -> None:
    assert in_words(i18n.translator_for("de", {}), english) == german


def test_english_stays_english() -> None:
    message = "argument --match: expected one argument"
    assert in_words(ENGLISH, message) == message


def _error_of(parser: argparse.ArgumentParser, *args: str) -> str:
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), pytest.raises(SystemExit):
        parser.parse_args(list(args))
    return stderr.getvalue()


def test_two_parsers_in_two_languages_in_one_process_leave_argparse_alone() -> None:
    german = build_parser(i18n.translator_for("de", {}))
    spanish = build_parser(i18n.translator_for("es", {}))
    assert "Aufruf: nudger" in german.format_help()
    assert "Optionen:" in german.format_help()
    assert "uso: nudger" in spanish.format_help()
    said = _error_of(german, "block", "add")
    assert "Aufruf: nudger block add" in said
    assert "nudger block add: Fehler: diese Argumente sind nötig: name, --match" in said
    assert "uso: nudger pause" in _error_of(spanish, "pause", "--until")
    # argparse's own words, for every other parser in the process: untouched.
    plain = argparse.ArgumentParser(prog="other")
    assert plain.format_help().startswith("usage: other")
    assert "options:" in plain.format_help()
    assert "other: error: the following arguments are required: x" in _error_of(_needs_x(plain))


def _needs_x(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("x")
    return parser
