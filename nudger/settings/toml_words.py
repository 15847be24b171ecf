"""What tomllib says about a broken settings file, as the person's language says it.

tomllib words its errors in English (and they are not part of its API, so they may change):
each one known here gets a sentence of nudger's own, marked for the catalogue; one not known
here is passed on in tomllib's words, which is better than no reason at all.
"""

from __future__ import annotations

import ast
import re

from nudger.core.translate import N_, Said

# tomllib's reason (without its " (at line L, column C)") -> what nudger says instead.
_REASONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(english), said)
    for english, said in (
        (r"Invalid statement", N_("this line is neither a setting (key = value) nor a [table]")),
        (
            r"Expected ']' at the end of a table declaration",
            N_("a ']' is missing after a [table] name"),
        ),
        (
            r"Expected ']]' at the end of an array declaration",
            N_("a ']]' is missing after a [[table]] name"),
        ),
        (r"Expected '=' after a key in a key/value pair", N_("a '=' is missing after the key")),
        (
            r"Expected newline or end of document after a statement",
            N_("something follows a setting on its line (one setting per line)"),
        ),
        (r"Expected (?P<expected>'.+')", N_("{expected} is missing here")),
        (r"Found invalid character (?P<char>.+)", N_("the character {char} does not belong here")),
        (r"Illegal character (?P<char>.+)", N_("the character {char} is not allowed here")),
        (r"Cannot declare (?P<key>.+) twice", N_("{key} is declared twice")),
        (r"Cannot redefine namespace (?P<key>.+)", N_("{key} is declared twice")),
        (r"Cannot overwrite a value", N_("a setting is given twice")),
        (
            r"Cannot mutate immutable namespace (?P<key>.+)",
            N_("{key} was already given in full and cannot be added to"),
        ),
        (r"Duplicate inline table key (?P<key>.+)", N_("the key {key} is given twice")),
        (r"Invalid initial character for a key part", N_("a key cannot begin with this character")),
        (r"Unclosed array", N_("a list is missing its closing ']'")),
        (r"Unclosed inline table", N_("a table in braces is missing its closing brace")),
        (r"Unterminated string", N_("a text is missing its closing quote")),
        (r"Unescaped '\\' in a string", N_("a '\\' in a text must be written '\\\\'")),
        (r"Invalid hex value", N_("a \\u or \\U escape in a text is not valid")),
        (
            r"Escaped character is not a Unicode scalar value",
            N_("an escape in a text stands for no valid character"),
        ),
        (r"Invalid date or datetime", N_("a date or time is not valid")),
        (r"Invalid value", N_("a value is not valid (does a text lack its quotes?)")),
    )
)


def toml_reason(reason: str) -> Said:
    """tomllib's reason in nudger's words, to be put into the person's language."""
    for english, said in _REASONS:
        found = english.fullmatch(reason)
        if found:
            return Said(said, {name: _key(value) for name, value in found.groupdict().items()})
    # Not known here: tomllib's own words. The filling is no sentence of its own.
    return Said("{reason}", {"reason": reason})


def _key(value: str) -> str:
    """A key as the file writes it: tomllib names one as a tuple, "('ui', 'language')"."""
    try:
        parts = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return value
    if isinstance(parts, tuple) and all(isinstance(part, str) for part in parts):
        return ".".join(parts)
    return value
