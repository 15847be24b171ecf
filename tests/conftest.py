"""Fixtures every kind of test may use."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

# Second local users and folders like /tmp, for the attacks of one person on another.
pytest_plugins = ["tests.local_users"]


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


@dataclass
class OwnApp:
    """A running social app that no other test runs: a site of the test's own, and its process."""

    site: str
    process: subprocess.Popen[bytes]
    config: str  # the [[sites]] entry that makes it a social app


@pytest.fixture
def own_app(tmp_path: Path) -> Iterator[OwnApp]:
    """Unlike fake_discord, this app ends only when the test ends it: tests running in parallel
    each run their own Discord, which a scan sees as well."""
    name = f"chatter-{uuid.uuid4().hex[:8]}"
    program = tmp_path / "bin" / name
    program.parent.mkdir(exist_ok=True)
    shutil.copy("/bin/sleep", program)
    process = subprocess.Popen([str(program), "900"])
    config = f'[[sites]]\nname = "Chatter"\nmatch = []\napps = ["{name}"]\n'
    yield OwnApp("Chatter", process, config)
    process.kill()
    process.wait()
