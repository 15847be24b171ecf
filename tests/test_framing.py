"""nudger/framing.py: lines out of a stream that comes in chunks of any size, and one JSON object
per line, as the relay, Hyprland's events and swayidle's notices read them."""

from __future__ import annotations

import socket
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nudger.framing import Lines, LineTooLong, NotAnObject, json_line, parse_object

# Bytes that may be in a line: anything but the newline that ends it.
LINE = st.binary(max_size=40).map(lambda data: data.replace(b"\n", b""))


def test_several_lines_in_one_read_come_out_in_order_and_the_rest_waits() -> None:
    lines = Lines(100)
    lines.feed(b"one\ntwo\n\nthree\nfo")
    assert lines.take() == [b"one", b"two", b"", b"three"]
    assert len(lines) == 2  # "fo" waits for its newline
    lines.feed(b"ur\n")
    assert lines.take() == [b"four"]
    assert len(lines) == 0


def test_a_line_cut_anywhere_by_the_reads_comes_out_whole() -> None:
    lines = Lines(100)
    taken: list[bytes] = []
    for byte in b'{"a": 1}\n{"b": 2}\n':
        lines.feed(bytes([byte]))
        taken += lines.take()
    assert taken == [b'{"a": 1}', b'{"b": 2}']


@given(st.lists(LINE, max_size=20), st.data())
def test_any_chunking_of_a_stream_gives_its_lines(sent: list[bytes], data: st.DataObject) -> None:
    stream = b"".join(line + b"\n" for line in sent)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=10)))
    lines = Lines(40)
    taken: list[bytes] = []
    for start, end in zip([0, *cuts], [*cuts, len(stream)], strict=True):
        lines.feed(stream[start:end])
        taken += lines.take()
    assert taken == sent
    assert len(lines) == 0


def test_a_line_of_exactly_the_limit_is_taken() -> None:
    lines = Lines(8)
    lines.feed(b"12345678\n")
    assert lines.take() == [b"12345678"]


def test_a_huge_line_without_its_newline_is_refused_and_dropped_as_it_comes() -> None:
    lines = Lines(1024)
    lines.feed(b"x" * 1025)
    with pytest.raises(LineTooLong):
        lines.take()
    assert len(lines) == 0  # nothing of it is kept: the reader cannot be made to grow
    for _ in range(100):
        lines.feed(b"x" * 65536)  # the rest of it
        assert len(lines) == 0
    lines.feed(b"xxx\nnext\n")
    assert lines.take() == [b"next"]  # the line after it comes whole


def test_a_huge_line_that_came_whole_is_refused_too() -> None:
    lines = Lines(1024)
    lines.feed(b"x" * 5000 + b"\nnext\n")
    assert lines.has_line()
    with pytest.raises(LineTooLong):
        lines.next()
    assert lines.next() == b"next"


def test_a_huge_line_after_good_ones_is_refused_when_its_turn_comes() -> None:
    lines = Lines(4)
    lines.feed(b"ok\n" + b"y" * 10)
    assert lines.next() == b"ok"
    with pytest.raises(LineTooLong):
        lines.next()


def test_bad_utf8_is_split_like_any_bytes_and_refused_as_json() -> None:
    lines = Lines(100)
    lines.feed(b'{"url": "\xff\xfe"}\n{"url": "ok"}\n')
    bad, good = lines.take()
    assert bad == b'{"url": "\xff\xfe"}'
    with pytest.raises(NotAnObject):
        parse_object(bad)
    assert parse_object(good) == {"url": "ok"}


@pytest.mark.parametrize(
    "line",
    [
        b"",
        b"not json",
        b"[1, 2]",
        b'"text"',
        b'{"at": NaN}',
        b'{"at": -Infinity}',
        b'{"at": 1e400}',
        b"[" * 200_000 + b"]" * 200_000,
        b'{"pid": 1' + b"0" * 5000 + b"}",
    ],
)
def test_what_is_not_one_json_object_with_finite_numbers_is_refused(line: bytes) -> None:
    with pytest.raises(NotAnObject):
        parse_object(line)


JSON_TEXT = st.text(string.printable + "äß字\u2028\U0001f600", max_size=30)


@given(st.dictionaries(JSON_TEXT, JSON_TEXT | st.integers() | st.booleans(), max_size=5))
def test_a_message_is_one_line_that_reads_back_as_itself(message: dict[str, object]) -> None:
    line = json_line(message)
    assert line.endswith(b"\n") and line.count(b"\n") == 1  # newlines inside are escaped
    lines = Lines(len(line))
    lines.feed(line)
    (taken,) = lines.take()
    assert parse_object(taken) == message


def test_lines_read_from_a_real_socket() -> None:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        theirs.sendall(json_line({"type": "state"}) + json_line({"type": "hello"}) + b'{"ha')
        lines = Lines(1024)
        while len(lines) < len(b'{"type":"state"}\n{"type":"hello"}\n{"ha'):
            lines.feed(ours.recv(7))
        assert [parse_object(line) for line in lines.take()] == [
            {"type": "state"},
            {"type": "hello"},
        ]
