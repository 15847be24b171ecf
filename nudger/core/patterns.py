"""One pattern from a rule: plain words or an `re:` regex, turned into RE2 syntax and checked.

RE2 (google-re2) instead of Python's `re`: its matching time is linear in the length of the title
whatever the pattern, so a user's regex or a hostile window title can never stall the daemon.
The price is that RE2 has no look-around and no back-references; `check` says so clearly.
"""

from __future__ import annotations

import re2

from nudger.core.translate import N_, Said, Translator

REGEX_PREFIX = "re:"
# Plain patterns shorter than this catch too much to be what the user meant ("al" is in "total").
SHORT_PATTERN = 3


class PatternError(ValueError):
    """A pattern that cannot be used, with a reason a person can act on (`said`, put into words
    by whoever shows it; `str()` is the English)."""

    def __init__(self, said: Said) -> None:
        super().__init__(str(said))
        self.said = said


def re2_options() -> re2.Options:
    options = re2.Options()
    options.case_sensitive = False
    # Without this, RE2 prints its own parse errors to stderr; we report them ourselves.
    options.log_errors = False
    return options


def _is_ascii_word_char(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char == "_")


# What a space in a plain pattern stands for: any run of spaces and the separators people and
# sites put between the parts of a name ("Alex  Doe", "Alex.Doe", "Alex_Doe", "Alex-Doe").
_NAME_GAP = r"[\s._\-·]+"


def to_re2(pattern: str) -> str:
    """The RE2 source for a pattern, to be compiled case-insensitively.

    Plain text matches whole words: `\\b` is added on each side that starts or ends with an ASCII
    letter or digit, so "X" does not match "Xbox" and "alexdoe" does not match "alexdoe2".
    (RE2's `\\b` only knows ASCII, so edges such as "ë" get no boundary rather than a wrong one.)
    Each space in plain text matches any run of spaces and separators, so "Alex Doe" matches
    "Alex  Doe" and "Alex.Doe"; the words themselves are matched exactly ("@alex_doe" stays
    itself: another account may be "@alex.doe").
    """
    if pattern.startswith(REGEX_PREFIX):
        return pattern[len(REGEX_PREFIX) :]
    text = pattern.strip()
    source: str = _NAME_GAP.join(re2.escape(word) for word in text.split())
    if text and _is_ascii_word_char(text[0]):
        source = r"\b" + source
    if text and _is_ascii_word_char(text[-1]):
        source += r"\b"
    return source


def check(pattern: str) -> None:
    """Raise PatternError if `pattern` is empty, not valid RE2, or would match every title."""
    if not isinstance(pattern, str) or not pattern.strip():
        raise PatternError(Said(N_("the pattern is empty")))
    if pattern.startswith(REGEX_PREFIX) and not pattern[len(REGEX_PREFIX) :].strip():
        raise PatternError(Said(N_('the regex after "re:" is empty')))
    try:
        compiled = re2.compile(to_re2(pattern), re2_options())
    except re2.error as error:
        raise PatternError(
            Said(N_("not a valid RE2 regex ({describe})"), {"describe": _describe(error)})
        ) from None
    if compiled.search("") is not None:
        raise PatternError(Said(N_("it matches an empty title, so it would match every window")))


# Everyday window titles: a pattern that matches any of these would count unrelated windows.
EVERYDAY_TITLES = (
    "Inbox (3) - me@example.com - Gmail",
    "Google Calendar - Week of 23 November 2026",
    "Amazon.co.uk: Online Shopping for Electronics, Books and more",
    "BBC News - Home",
    "Weather forecast for today - Met Office",
    "Netflix",
    "Spotify – Liked Songs",
    "Untitled document - Google Docs",
    "Budget 2026.xlsx - Excel",
    "notes.txt - Text Editor",
    "Terminal",
    "Downloads - Files",
    "Zoom Meeting",
    "general | Work - Slack",
    "Wikipedia, the free encyclopedia",
    "Al Jazeera English | Live",
    "Ed Sheeran - Shape of You (Official Music Video)",
    "Easy lasagne recipe - BBC Good Food",
    "Train times | National Rail",
    "Holiday 2025 - Photos",
    "Online banking - Overview",
    "Directions to work - Google Maps",
    "Jo Malone London | Candles",
    "Sam Smith - Unholy (Lyrics)",
    "Dan Brown: books - Goodreads",
    "Book a GP appointment",
    "Jobs near me | Indeed",
    "Stack Overflow - Where Developers Learn, Share, & Build Careers",
    "GitHub: Let's build from here",
    "Alexa app",
    "Alexander the Great - Wikipedia",
    "Chris Evans breakfast show - Virgin Radio",
    "Max Richter - Sleep",
    "Ben & Jerry's",
    "New Tab",
    "Settings",
    "Dr. Kate's clinic - Home",
    "Paris travel guide - Lonely Planet",
    "How to cook rice - YouTube",
    "Lee Child - Reacher novels",
)


def breadth_warning(t: Translator, pattern: str) -> str | None:
    """A warning, with examples, for a pattern that would also catch everyday titles.

    Broad: a pattern that matches one of EVERYDAY_TITLES, a plain pattern shorter than three
    letters, and any single plain word that is not a handle (@alexdoe) or an address
    (instagram.com/alexdoe): a first name or a surname alone is in titles all day long.
    """
    compiled = re2.compile(to_re2(pattern), re2_options())
    caught = [title for title in EVERYDAY_TITLES if compiled.search(title)]
    text = pattern.strip()
    plain = not pattern.startswith(REGEX_PREFIX)
    short = plain and len(text) < SHORT_PATTERN
    one_word = plain and _is_bare_word(text)
    if not caught and not short and not one_word:
        return None
    # Written as a name appears in a title (capitalised), so the example reads like a real one.
    name = text[:1].upper() + text[1:]
    everyday = [f"Happy birthday, {name}!", f"{name} Johnson - Wikipedia", f"{name} - News"]
    examples = (caught + [title for title in everyday if compiled.search(title)])[:2]
    if not examples:
        return t._('"{pattern}" is broad: it is so short that it may match many titles').format(
            pattern=pattern
        )
    if len(examples) == 1:
        return t._('"{pattern}" is broad: it would also match titles such as "{first}"').format(
            pattern=pattern, first=examples[0]
        )
    return t._(
        '"{pattern}" is broad: it would also match titles such as "{first}" and "{second}"'
    ).format(pattern=pattern, first=examples[0], second=examples[1])


def _is_bare_word(text: str) -> bool:
    """One word with no sign of being a handle or an address (no @, dot, slash or digit)."""
    if not text or any(char.isspace() for char in text):
        return False
    return not any(char in "@./:_" or char.isdigit() for char in text)


def _describe(error: Exception) -> str | Said:
    message = error.args[0] if error.args else str(error)
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    text = str(message)
    if "invalid perl operator" in text or "invalid escape" in text:
        # RE2's own words (English) and ours; the joining is no sentence, so no catalogue entry.
        hint = Said(N_("RE2 has no look-around or back-references"))
        return Said("{text}; {hint}", {"text": text, "hint": hint})
    return text
