"""The i3/sway IPC wire format: "i3-ipc", a length and a type (little-endian), then JSON.

Small enough to write out (the one Python library for it has had no release since 2020), and
only framing is done here: the JSON is read by the json module.
"""

from __future__ import annotations

import json
import socket
import struct
from typing import Any

MAGIC = b"i3-ipc"
HEADER = struct.Struct("<6sII")
GET_TREE = 4
GET_VERSION = 7
SUBSCRIBE = 2
EVENT_BIT = 0x80000000
WINDOW_EVENT = EVENT_BIT | 3
WORKSPACE_EVENT = EVENT_BIT | 0
MAX_MESSAGE = 64 * 1024 * 1024


class IpcError(ConnectionError):
    """The compositor closed the socket or sent something that is not i3-ipc."""


def encode(kind: int, payload: str = "") -> bytes:
    body = payload.encode("utf-8")
    return HEADER.pack(MAGIC, len(body), kind) + body


def split_messages(buffer: bytearray) -> list[tuple[int, Any]]:
    """Take every complete message off the front of `buffer`; leave a partial one in it."""
    messages = []
    while len(buffer) >= HEADER.size:
        magic, length, kind = HEADER.unpack_from(buffer)
        if magic != MAGIC or length > MAX_MESSAGE:
            raise IpcError("not an i3-ipc stream")
        end = HEADER.size + length
        if len(buffer) < end:
            break
        messages.append((kind, json.loads(bytes(buffer[HEADER.size : end]))))
        del buffer[:end]
    return messages


def request(connection: socket.socket, kind: int, payload: str = "") -> Any:
    """Send one request on a blocking socket and return its reply."""
    connection.sendall(encode(kind, payload))
    buffer = bytearray()
    while True:
        chunk = connection.recv(65536)
        if not chunk:
            raise IpcError("the compositor closed the connection")
        buffer += chunk
        for reply_kind, reply in split_messages(buffer):
            if reply_kind == kind:
                return reply
