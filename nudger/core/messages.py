"""The nudge texts: what one is, the book of them, and filling one in.

Pure: the built-in texts are read from config/messages.toml by nudger/settings/messages.py, which
hands their data to `book_from`.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, get_args

from nudger.core.translate import N_
from nudger.core.types import MessageKind, MessageTime

KINDS: tuple[MessageKind, ...] = get_args(MessageKind)
PLACEHOLDERS = frozenset({"site", "minutes"})
__all__ = ["KINDS", "PLACEHOLDERS", "Message", "MessageBook", "book_from", "render"]
TITLE_LIMIT = 40
BODY_LIMIT = 160
# The longest body a nudge may have once filled in, support line included: Windows' balloon
# takes 255 characters, and a backend without buttons adds the snooze hint (27) to the body.
NOTIFICATION_BODY_LIMIT = 228
NOTIFICATION_TITLE_LIMIT = 63  # the balloon's title takes 63
# How a page on the blocklist is named in a nudge: never by the person's name, handle or title.
DISCREET_SITE = N_("that page")
# How social sites together are named when the day's total is meant, not one site's visit.
ALL_SITES = N_("social media")


@dataclass(frozen=True, slots=True)
class Message:
    id: str
    kind: MessageKind
    title: str
    body: str
    when: MessageTime = "any"

    def fits(self, night: bool) -> bool:
        """Whether the text reads right now: by day day and any-hour texts, at night night and
        any-hour ones (a person's own texts are any-hour unless they say otherwise)."""
        return self.when in {"any", "night" if night else "day"}

    @property
    def needs_minutes(self) -> bool:
        return "minutes" in placeholders_in(self.title + self.body)


@dataclass(frozen=True, slots=True)
class HeavyDayTitle:
    id: str
    title: str


@dataclass(frozen=True)
class MessageBook:
    messages: tuple[Message, ...]
    heavy_day_titles: tuple[HeavyDayTitle, ...]

    def of_kinds(self, kinds: Iterable[MessageKind]) -> list[Message]:
        wanted = set(kinds)
        return [message for message in self.messages if message.kind in wanted]

    def kind_of(self, message_id: str) -> MessageKind | None:
        return next((m.kind for m in self.messages if m.id == message_id), None)

    def with_user_messages(self, own: Sequence[Message], *, builtin: bool = True) -> MessageBook:
        """The texts in use: the built-in ones (unless `builtin` is off) and the user's own."""
        kept = self.messages if builtin else ()
        return MessageBook(kept + tuple(own), self.heavy_day_titles)


def placeholders_in(text: str) -> set[str]:
    """The {names} a text uses (string.Formatter does the parsing, braces and all)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def render(text: str, *, site: str, minutes: int) -> str:
    return text.format_map({"site": site, "minutes": minutes})


def fit(text: str, limit: int) -> str:
    """`text` cut at a word to at most `limit` characters, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:") + "…"


def book_from(data: Mapping[str, Any]) -> MessageBook:
    """The book in a messages file's data: a list of texts per kind, and the hard-day titles."""
    # A built-in text without `when` was written for the day: one shows at night only when it
    # was written for the night, or tagged "any" after a reading found it right at 2 a.m.
    messages = tuple(
        Message(entry["id"], kind, entry["title"], entry["body"], entry.get("when", "day"))
        for kind in KINDS
        for entry in data.get(kind, ())
    )
    heavy = tuple(HeavyDayTitle(entry["id"], entry["title"]) for entry in data.get("heavy_day", ()))
    return MessageBook(messages, heavy)
