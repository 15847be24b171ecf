"""sensing/listening.py: the listener loop that Hyprland's and sway's backends share, and the
record of the event stream vouching for gaps that x11 and sway share."""

from __future__ import annotations

import socket
import threading

import pytest

from nudger.sensing import listening
from nudger.sensing.listening import Wakeup
from tests.desktop.rig import wait_until


def test_a_listener_is_called_with_the_moment_for_each_read_and_ends_when_woken() -> None:
    ours, theirs = socket.socketpair()
    seen: list[tuple[float, bytes]] = []

    def ready(at: float) -> None:
        seen.append((at, ours.recv(100)))

    wakeup = Wakeup()
    listener = threading.Thread(target=wakeup.follow, args=(ours.fileno(), ready), daemon=True)
    listener.start()
    with ours, theirs:
        theirs.sendall(b"one")
        wait_until(lambda: len(seen) == 1, 30, "the first read")
        theirs.sendall(b"two")
        wait_until(lambda: len(seen) == 2, 30, "the second read")
        wakeup.stop(listener)
        assert not listener.is_alive()
    assert [data for _, data in seen] == [b"one", b"two"]
    assert seen[0][0] <= seen[1][0]


def test_what_the_listener_raises_ends_the_loop_and_reaches_the_caller() -> None:
    ours, theirs = socket.socketpair()
    caught: list[BaseException] = []

    def ready(at: float) -> None:
        raise ConnectionError("closed")

    def listen() -> None:
        try:
            Wakeup().follow(ours.fileno(), ready)
        except ConnectionError as error:
            caught.append(error)

    with ours, theirs:
        listener = threading.Thread(target=listen, daemon=True)
        listener.start()
        theirs.sendall(b"x")
        listener.join(30)
    assert [str(error) for error in caught] == ["closed"]


def test_a_late_read_the_stream_could_not_vouch_for_is_not_relied_on_for_a_while(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [1000.0]
    monkeypatch.setattr(listening.time, "monotonic", lambda: now[0])
    vouching = listening.Vouching()
    vouching.late_read(True)
    assert vouching.relied_on
    vouching.late_read(False)
    assert not vouching.relied_on
    now[0] += 9.0
    assert not vouching.relied_on
    now[0] += 1.0  # long enough at the poll pace: the stream is asked to vouch again
    assert vouching.relied_on
