"""sensing/wayland_idle.py reads swayidle's notices ("idle", "active") however the pipe cuts
them, and goes on past a line that is no notice. `cat` stands in for swayidle: it writes back
what the test gives it, as swayidle writes what its commands print."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator

import pytest

from nudger.sensing.wayland_idle import IdleWatch
from tests.desktop.rig import wait_until

THRESHOLD = 300.0


@pytest.fixture
def stand_in() -> Iterator[tuple[subprocess.Popen[bytes], IdleWatch]]:
    cat = shutil.which("cat")
    assert cat is not None
    process = subprocess.Popen([cat], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    watch = IdleWatch(process, THRESHOLD)
    yield process, watch
    watch.close()
    assert process.poll() is not None


def say(process: subprocess.Popen[bytes], data: bytes) -> None:
    assert process.stdin is not None
    process.stdin.write(data)
    process.stdin.flush()


def test_notices_cut_by_the_pipe_are_read_whole(
    stand_in: tuple[subprocess.Popen[bytes], IdleWatch],
) -> None:
    process, watch = stand_in
    say(process, b"id")
    say(process, b"le\n")
    wait_until(lambda: watch.idle_seconds() >= THRESHOLD, 30, "the idle notice")
    say(process, b"act")
    assert watch.idle_seconds() >= THRESHOLD  # half a notice is no notice
    say(process, b"ive\n")
    wait_until(lambda: watch.idle_seconds() == 0.0, 30, "the active notice")


def test_a_line_too_long_to_be_a_notice_is_skipped_and_the_next_is_read(
    stand_in: tuple[subprocess.Popen[bytes], IdleWatch],
) -> None:
    process, watch = stand_in
    # Small enough for the pipes (cat waits while no one reads), longer than any notice.
    say(process, b"x" * 1500)
    assert watch.idle_seconds() == 0.0
    say(process, b"x" * 1500 + b"\nidle\n")
    wait_until(lambda: watch.idle_seconds() >= THRESHOLD, 30, "the idle notice after it")
