"""Text from files and windows made safe to print on one line (nudger/core/printable.py)."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from nudger.core.printable import printable


def test_escapes_and_line_breaks_are_shown_not_obeyed() -> None:
    assert printable("Alex\x1b[2J\nDoe") == "Alex\\x1b[2J\\nDoe"
    assert printable("a\u202eb") == "a\\u202eb"  # a right-to-left override is a format character


def test_accents_emoji_and_backslashes_stay_as_written() -> None:
    assert printable("Zoë 💔 C:\\x") == "Zoë 💔 C:\\x"


@given(st.text())
def test_the_result_is_one_line_with_no_control_character(text: str) -> None:
    assert all(unicodedata.category(char)[0] != "C" for char in printable(text))
