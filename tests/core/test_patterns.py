"""Patterns as people write them, turned into RE2 (nudger/core/patterns.py)."""

from __future__ import annotations

import pytest
import re2

from nudger.core.patterns import PatternError, breadth_warning, check, re2_options, to_re2
from nudger.core.translate import ENGLISH


def matches(pattern: str, title: str) -> bool:
    return re2.compile(to_re2(pattern), re2_options()).search(title) is not None


def test_plain_words_match_whole_words_case_insensitively() -> None:
    assert matches("alexdoe", "ALEXDOE on Instagram")
    assert not matches("alexdoe", "alexdoe2 on Instagram")
    assert not matches("X", "Xbox news")


def test_a_space_stands_for_the_separators_between_parts_of_a_name() -> None:
    for title in ("Alex Doe", "Alex  Doe", "Alex.Doe", "alex_doe", "Alex-Doe"):
        assert matches("Alex Doe", title), title
    assert not matches("@alex_doe", "@alex.doe")  # a handle is itself, not another account


def test_re_prefix_is_a_regex_as_written() -> None:
    assert to_re2("re:ale(x|c)") == "ale(x|c)"
    assert matches("re:ale(x|c)s", "Alecs")


@pytest.mark.parametrize(
    ("pattern", "said"),
    [
        ("   ", "the pattern is empty"),
        ("re:  ", 'the regex after "re:" is empty'),
        ("re:(unclosed", "not a valid RE2 regex"),
        ("re:(?<=x)y", "RE2 has no look-around or back-references"),
        ("re:.*", "it matches an empty title"),
    ],
)
def test_unusable_patterns_say_why(pattern: str, said: str) -> None:
    with pytest.raises(PatternError) as caught:
        check(pattern)
    assert said in str(caught.value)


def test_a_name_alone_is_broad_a_handle_is_not() -> None:
    warning = breadth_warning(ENGLISH, "kate")
    assert warning is not None and '"kate" is broad' in warning and "Kate" in warning
    assert breadth_warning(ENGLISH, "@alexdoe") is None
    assert breadth_warning(ENGLISH, "instagram.com/alexdoe") is None
    assert breadth_warning(ENGLISH, "Alex Doe") is None
