"""privacy.alias_blocklist: show blocklist entries as "Person A", "Person B", ... in what may be
seen or shared (the HTML report)."""

from __future__ import annotations

import string
from collections.abc import Iterable, Sequence

from nudger.core.summary import Rename, keep_name
from nudger.core.types import Kind


def alias_label(index: int) -> str:
    """0 -> "Person A", 25 -> "Person Z", 26 -> "Person AA" ..."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = string.ascii_uppercase[remainder] + letters
    return f"Person {letters}"


def blocklist_aliases(configured: Sequence[str], recorded: Iterable[str]) -> Rename:
    """Stable aliases: entries in config order first, then any older names from the records.

    The same person keeps the same letter across every output, as long as the config order
    does; a name removed from the config keeps a letter after all current ones.
    """
    order = list(dict.fromkeys(configured))
    order += sorted(set(recorded) - set(order))
    labels = {name: alias_label(index) for index, name in enumerate(order)}

    def rename(kind: Kind, name: str) -> str:
        if kind != "blocklist":
            return name
        return labels.get(name, "Person ?")

    return rename


__all__ = ["alias_label", "blocklist_aliases", "keep_name"]
