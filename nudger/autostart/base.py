"""What every login integration offers: enable, disable, status. One module per platform."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

# Written into every file we create, so `disable` removes only what `enable` wrote.
MARKER = "written by `nudger autostart enable`"


@dataclass(frozen=True)
class Entry:
    """An installed login entry: what it is, where it lives, and the command it runs."""

    method: str
    location: str
    command: tuple[str, ...]
    ours: bool = True


class Method(Protocol):
    name: str

    def enable(self, command: tuple[str, ...]) -> Entry: ...

    def disable(self) -> list[str]:
        """Remove what enable wrote; return what was removed."""
        ...

    def status(self) -> Entry | None: ...


def daemon_command(executable: str | None = None) -> tuple[str, ...]:
    """The absolute command that starts the daemon from this very installation.

    `python -m nudger` with the interpreter's absolute path works from a venv or a pipx install
    without activating anything and without relying on PATH at login.
    """
    python = Path(executable or sys.executable).absolute()
    if sys.platform == "win32":
        # pythonw.exe: no console window flashing up at login.
        windowless = python.with_name("pythonw.exe")
        if windowless.exists():
            python = windowless
    return (str(python), "-m", "nudger", "run")


def config_home(env: Mapping[str, str]) -> Path:
    """$XDG_CONFIG_HOME, or ~/.config, as the XDG Base Directory Specification says."""
    explicit = env.get("XDG_CONFIG_HOME")
    return Path(explicit) if explicit else Path(env.get("HOME", "~")).expanduser() / ".config"


def remove_if_ours(path: Path, entry: Entry | None) -> list[str]:
    """Remove the file behind `entry` if `enable` wrote it; leave anything else alone."""
    if entry is None or not entry.ours:
        return []
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    return [str(path)]
