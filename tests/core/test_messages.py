"""Every built-in text: short, warm, well-formed, and never naming anyone."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from nudger.core.messages import (
    BODY_LIMIT,
    KINDS,
    PLACEHOLDERS,
    TITLE_LIMIT,
    placeholders_in,
    render,
)
from nudger.core.policy import NIGHT_KINDS
from nudger.errors import ConfigError
from nudger.settings.loader import load
from nudger.settings.messages import builtin_book

BOOK = builtin_book()
ALL = BOOK.messages

# Words that order, shame or alarm. A reviewer reading every text should find nothing cold.
COLD = re.compile(
    r"\b(stop|don'?t|do not|must|should|need to|have to|never|quit|warning|alert|danger|"
    r"addict\w*|obsess\w*|pathetic|weak|again\?|shame\w*|bad|fail\w*|wrong|enough)\b",
    re.IGNORECASE,
)
# "There's no wrong time to ask" is the one kind use of a listed word.
ALLOWED = {"no wrong time"}


def test_every_kind_has_at_least_eight_messages() -> None:
    counts = Counter(message.kind for message in ALL)
    assert set(counts) == set(KINDS)
    assert min(counts.values()) >= 8, counts


@pytest.mark.parametrize("message", ALL, ids=lambda m: m.id)
def test_lengths_and_placeholders(message: object) -> None:
    title, body = message.title, message.body  # type: ignore[attr-defined]
    assert 0 < len(title) <= TITLE_LIMIT
    assert 0 < len(body) <= BODY_LIMIT
    assert placeholders_in(title) | placeholders_in(body) <= PLACEHOLDERS
    # Filled in with the longest likely values, the title still fits.
    assert len(render(title, site="that page", minutes=180)) <= TITLE_LIMIT + 6


@pytest.mark.parametrize("message", ALL, ids=lambda m: m.id)
def test_no_cold_words(message: object) -> None:
    text = f"{message.title} {message.body}"  # type: ignore[attr-defined]
    for phrase in ALLOWED:
        text = text.replace(phrase, "")
    assert not COLD.search(text), COLD.search(text)


def test_ids_and_texts_are_unique() -> None:
    ids = [m.id for m in ALL] + [h.id for h in BOOK.heavy_day_titles]
    assert len(ids) == len(set(ids))
    bodies = [m.body for m in ALL]
    assert len(bodies) == len(set(bodies))
    titles = [m.title for m in ALL]
    assert len(titles) == len(set(titles))


def test_heavy_day_titles_are_short_and_kind() -> None:
    assert len(BOOK.heavy_day_titles) >= 3
    for heavy in BOOK.heavy_day_titles:
        assert len(heavy.title) <= TITLE_LIMIT
        assert not COLD.search(heavy.title)


def test_every_message_offers_rather_than_orders() -> None:
    offering = re.compile(
        r"\b(maybe|how about|could|would|might|is there|if|who might|can)\b", re.I
    )
    for message in ALL:
        assert offering.search(message.body), message.id


def test_user_messages_are_checked_like_built_in_ones(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(
        '[[messages]]\nkind = "reach_out"\ntitle = "Text Sam?"\nbody = "Sam said {anytime}."\n'
    )
    with pytest.raises(ConfigError, match="unknown placeholder"):
        load(config, env={})
    config.write_text('[[messages]]\nkind = "reach_out"\ntitle = "' + "x" * 41 + '"\nbody = "b"\n')
    with pytest.raises(ConfigError, match="messages"):
        load(config, env={})
    config.write_text(
        '[[messages]]\nkind = "reach_out"\ntitle = "Text Sam?"\nbody = "Sam said to call any time."\n'
    )
    settings = load(config, env={}).settings
    book = BOOK.with_user_messages(
        settings.messages.own_messages(), builtin=settings.messages.builtin
    )
    assert book.messages[-1].id == "user.1" and book.messages[-1].title == "Text Sam?"


# Words that tell anyone glancing at the screen what this is about. Notifications are seen by
# others; the titles and bodies stay neutral.
REVEALING = re.compile(
    r"\b(break[- ]?ups?|broke up|heart\w*|hurt\w*|miss(ing|ed)?|ex|exes|relationships?|"
    r"partners?|divorce\w*|dumped|lonel\w*|grie\w*|heal\w*|wounds?|love life|"
    r"hard day|heavy day|struggl\w*)\b",
    re.IGNORECASE,
)
# The texts as they were before this rule: the test must be able to fail.
TODAYS_REVEALING = (
    "Missing someone is heavy.",
    "Exercise is one of the kindest things for a hurting heart.",
    "Many people find it helps to talk with a counsellor after a breakup.",
    "Today seems like a hard day",
)


@pytest.mark.parametrize("text", TODAYS_REVEALING)
def test_the_revealing_words_test_catches_the_old_texts(text: str) -> None:
    assert REVEALING.search(text)


def test_no_text_gives_the_topic_away() -> None:
    texts = [(m.id, f"{m.title} {m.body}") for m in ALL]
    texts += [(h.id, h.title) for h in BOOK.heavy_day_titles]
    revealing = [(i, REVEALING.search(t).group(0)) for i, t in texts if REVEALING.search(t)]  # type: ignore[union-attr]
    assert revealing == []


def test_a_text_with_minutes_never_calls_them_today() -> None:
    """{minutes} is one visit's minutes in a session nudge: "today" would misstate them."""
    for message in ALL:
        if message.needs_minutes:
            assert "today" not in (message.title + message.body).lower(), message.id


def test_the_night_has_its_own_texts_of_every_night_kind() -> None:
    for kind in NIGHT_KINDS:
        night = [m for m in ALL if m.kind == kind and m.fits(night=True)]
        assert len(night) >= 2, kind
    assert all(m.fits(night=False) for m in ALL if m.when != "night")
    day_advice = re.compile(r"\b(walk|outside|errand|coffee|gym|call)\b", re.IGNORECASE)
    for message in ALL:
        if message.fits(night=True) and message.when == "night":
            assert not day_advice.search(message.body.replace("call to", "")), message.id


def test_own_messages_can_replace_the_built_in_ones(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(
        '[messages]\nbuiltin = false\n\n[[messages.own]]\nkind = "reach_out"\nwhen = "any"\n'
        'title = "Text Sam?"\nbody = "Sam said to call any time."\n'
    )
    book = BOOK.with_user_messages(
        load(config, env={}).settings.messages.own_messages(),
        builtin=load(config, env={}).settings.messages.builtin,
    )
    assert [m.id for m in book.messages] == ["user.1"]
    config.write_text("[messages]\nbuiltin = false\n")
    with pytest.raises(ConfigError, match="nothing to say"):
        load(config, env={})
