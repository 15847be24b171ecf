"""The nudge texts: what one is, the book of them, and filling one in.

Pure: the built-in texts are read from config/messages.toml by nudger/messages.py, which hands
their data to `book_from`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, get_args

from nudger.models import PLACEHOLDERS, MessageKind, MessageSettings, placeholders_in

KINDS: tuple[MessageKind, ...] = get_args(MessageKind)
__all__ = ["KINDS", "PLACEHOLDERS", "Message", "MessageBook", "book_from", "render"]
TITLE_LIMIT = 40
BODY_LIMIT = 160
# How a page on the blocklist is named in a nudge: never by the person's name, handle or title.
DISCREET_SITE = "that page"


@dataclass(frozen=True, slots=True)
class Message:
    id: str
    kind: MessageKind
    title: str
    body: str

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

    def with_user_messages(self, own: Sequence[MessageSettings]) -> MessageBook:
        extra = tuple(
            Message(f"user.{index + 1}", item.kind, item.title, item.body)
            for index, item in enumerate(own)
        )
        return MessageBook(self.messages + extra, self.heavy_day_titles)


def render(text: str, *, site: str, minutes: int) -> str:
    return text.format_map({"site": site, "minutes": minutes})


def book_from(data: Mapping[str, Any]) -> MessageBook:
    """The book in a messages file's data: a list of texts per kind, and the hard-day titles."""
    messages = tuple(
        Message(entry["id"], kind, entry["title"], entry["body"])
        for kind in KINDS
        for entry in data.get(kind, ())
    )
    heavy = tuple(HeavyDayTitle(entry["id"], entry["title"]) for entry in data.get("heavy_day", ()))
    return MessageBook(messages, heavy)
