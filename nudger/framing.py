"""Lines on a byte stream, and one JSON object per line: what the edges that read a socket or a
pipe share (the browser relay, Hyprland's event socket, swayidle's notices), written once.

A stream arrives in chunks that cut lines anywhere, so the unfinished end is kept until its
newline comes. Whoever sends must not make the reader grow without end: a line longer than the
reader allows is refused (LineTooLong) and its bytes are dropped as they come, up to its
newline; the reader decides what that means (close the connection, stop following, or go on
with the next line). Lines are bytes: a line need not be UTF-8, and saying so
is the parser's job, not the splitter's.

The browser's native-messaging host (browser/host.py) keeps its own few lines of this on
purpose: it runs isolated (`python -I -S`) and imports nothing but the standard library.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

NEWLINE = b"\n"


class LineTooLong(ValueError):
    """A line longer than the reader takes: the stream is not what it should be."""


class NotAnObject(ValueError):
    """A line that is not one JSON object with finite numbers."""


class Lines:
    """The complete lines of a byte stream that comes in chunks of any size, each at most
    `max_line` bytes (without its newline)."""

    def __init__(self, max_line: int) -> None:
        self.max_line = max_line
        self._unread = bytearray()
        self._skipping = False  # inside a line refused as too long: dropped up to its newline

    def feed(self, chunk: bytes) -> None:
        if self._skipping:
            end = chunk.find(NEWLINE)
            if end < 0:
                return
            chunk, self._skipping = chunk[end + 1 :], False
        self._unread += chunk

    def next(self) -> bytes | None:
        """The next complete line without its newline, or None until one is complete.

        Raises LineTooLong when the next line is longer than `max_line`, whether its newline has
        come or not; that line is dropped (what is still to come of it too), and the next call
        goes on with the line after it."""
        end = self._unread.find(NEWLINE)
        length = len(self._unread) if end < 0 else end
        if length > self.max_line:
            if end < 0:
                self._unread.clear()
                self._skipping = True
            else:
                del self._unread[: end + 1]
            raise LineTooLong(f"a line of more than {self.max_line} bytes")
        if end < 0:
            return None
        line = bytes(self._unread[:end])
        del self._unread[: end + 1]
        return line

    def has_line(self) -> bool:
        """A complete line is waiting (it may still be too long)."""
        return NEWLINE in self._unread

    def take(self) -> list[bytes]:
        """Every complete line fed so far, oldest first (see `next` for LineTooLong)."""
        lines = []
        while (line := self.next()) is not None:
            lines.append(line)
        return lines

    def __len__(self) -> int:
        """Bytes fed and not yet taken as a line."""
        return len(self._unread)


def json_line(message: Mapping[str, Any]) -> bytes:
    """`message` as one compact line of JSON, newline included."""
    return json.dumps(message, separators=(",", ":")).encode("utf-8") + NEWLINE


def parse_object(line: bytes) -> dict[str, Any]:
    """One line as a JSON object. Anything else raises NotAnObject: not UTF-8, not JSON, nested
    too deep, not an object, or numbers JSON has no room for (NaN, Infinity, 1e400)."""
    try:
        message = json.loads(line, parse_constant=_refuse_constant, parse_float=_finite)
    except (ValueError, RecursionError, OverflowError) as error:
        raise NotAnObject(str(error)[:80]) from None
    if not isinstance(message, dict):
        raise NotAnObject("not an object")
    return message


def _refuse_constant(name: str) -> Any:
    raise NotAnObject(name)  # NaN, Infinity, -Infinity


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise NotAnObject(text)  # 1e400
    return value
