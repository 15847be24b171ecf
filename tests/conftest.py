"""Fixtures every kind of test may use."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def fake_discord(tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A real process named "Discord" (a renamed copy of sleep): a social app that is running."""
    program = tmp_path / "bin" / "Discord"
    program.parent.mkdir(exist_ok=True)
    shutil.copy("/bin/sleep", program)
    process = subprocess.Popen([str(program), "900"])
    yield process
    process.kill()
    process.wait()
