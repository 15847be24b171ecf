"""The sampler's thread: a sample at once, then one when poked (a focus event) or at its pace,
never on a short timer (issue 34)."""

from __future__ import annotations

import threading

from nudger.shell.sampling import Sampler


def test_a_poke_samples_at_once_however_long_the_pace() -> None:
    count = 0
    changed = threading.Condition()

    def sample() -> None:
        nonlocal count
        with changed:
            count += 1
            changed.notify_all()

    sampler = Sampler(sample, pace=lambda: 3600.0)
    sampler.start()
    try:
        with changed:
            assert changed.wait_for(lambda: count == 1, 30), "the first look is immediate"
        sampler.poke()
        with changed:
            assert changed.wait_for(lambda: count == 2, 30), "a poke did not wake the sampler"
    finally:
        sampler.stop()
    assert not sampler.running


def test_a_failing_sample_does_not_end_the_sampling() -> None:
    calls: list[int] = []
    again = threading.Event()

    def sample() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("a bug in one sample")
        again.set()

    sampler = Sampler(sample, pace=lambda: 0.05)
    sampler.start()
    try:
        assert again.wait(30), "sampling stopped after a failing sample"
    finally:
        sampler.stop()
