"""The built-in nudge texts, read once per language: config/messages.toml (English) or
config/messages.<language>.toml, texts written for that language."""

from __future__ import annotations

import functools
import tomllib

from nudger.core.messages import MessageBook, book_from
from nudger.paths import builtin_config


@functools.cache
def builtin_book(language: str = "en") -> MessageBook:
    own = builtin_config(f"messages.{language}.toml")
    source = own if language != "en" and own.is_file() else builtin_config("messages.toml")
    with source.open("rb") as handle:
        return book_from(tomllib.load(handle))
