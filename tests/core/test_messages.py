"""Every built-in text: short, warm, well-formed, and never naming anyone."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from nudger.core.messages import BODY_LIMIT, KINDS, TITLE_LIMIT, render
from nudger.errors import ConfigError
from nudger.messages import builtin_book
from nudger.models import PLACEHOLDERS, placeholders_in
from nudger.settings import load

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
    book = BOOK.with_user_messages(settings.messages)
    assert book.messages[-1].id == "user.1" and book.messages[-1].title == "Text Sam?"
