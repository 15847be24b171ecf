"""The built-in nudge texts, read once from the packaged config/messages.toml."""

from __future__ import annotations

import functools
import tomllib

from nudger.core.messages import MessageBook, book_from
from nudger.paths import builtin_config


@functools.cache
def builtin_book() -> MessageBook:
    with builtin_config("messages.toml").open("rb") as handle:
        return book_from(tomllib.load(handle))
