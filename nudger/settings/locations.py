"""Naming a place in a settings file the way a person finds it: `blocklist[0] ("Alex").match`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nudger.core.printable import printable


def format_location(loc: tuple[Any, ...], data: Mapping[str, Any] | None = None) -> str:
    """('blocklist', 0, 'match') -> 'blocklist[0] ("Alex").match': readable, and names the entry."""
    text = ""
    node: Any = data
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            name = node.get("name") if isinstance(node, Mapping) else None
            if isinstance(name, str):
                text += f' ("{printable(name)}")'
        else:
            text += f".{part}" if text else str(part)
            node = node.get(part) if isinstance(node, Mapping) else None
    return text
