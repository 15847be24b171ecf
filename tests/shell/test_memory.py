"""The daemon gives freed memory back once start-up is over (shell/memory.py): pages freed in
the middle of the C heap, which glibc otherwise keeps for later, leave the process."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; glibc's trim")
def test_freed_pages_in_the_middle_of_the_heap_are_given_back() -> None:
    script = textwrap.dedent(
        """
        import os
        from nudger.shell import memory

        def resident_kb():
            with open(f"/proc/{os.getpid()}/status") as status:
                return next(int(l.split()[1]) for l in status if l.startswith("VmRSS:"))

        # 64 MB in 4 kB blocks (from malloc, not Python's small-object arenas); one in 64 kept,
        # so no free stretch reaches the top of the heap, where glibc would give it back itself.
        blocks = [bytes(4000) for _ in range(16_000)]
        kept = blocks[::64]
        del blocks
        before = resident_kb()
        memory.give_back()
        print(before, resident_kb(), len(kept))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    before, after, _ = map(int, done.stdout.split())
    assert before - after > 40_000, (before, after)
