"""Linux with systemd: a user unit, ~/.config/systemd/user/nudger.service.

Tied to graphical-session.target, so it starts with the desktop (and has its DISPLAY), stops
with it, and restarts after a crash.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Mapping

from nudger.autostart.base import MARKER, Entry, config_home
from nudger.paths import write_private_atomic

UNIT = "nudger.service"


def _escape(argument: str) -> str:
    """Quote for ExecStart (systemd's own quoting rules; % is a specifier)."""
    escaped = argument.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%")
    return f'"{escaped}"' if any(c in escaped for c in " \t\"'") else escaped


class SystemdUserUnit:
    name = "systemd"

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self.path = config_home(os.environ if env is None else env) / "systemd" / "user" / UNIT

    def unit_text(self, command: tuple[str, ...]) -> str:
        return (
            f"# {MARKER}\n"
            "[Unit]\n"
            "Description=nudger, a gentle companion for stepping back from social media\n"
            "PartOf=graphical-session.target\n"
            "After=graphical-session.target\n"
            "\n"
            "[Service]\n"
            f"ExecStart={' '.join(_escape(part) for part in command)}\n"
            "Restart=on-failure\n"
            "RestartSec=10\n"
            "\n"
            "[Install]\n"
            "WantedBy=graphical-session.target\n"
        )

    def enable(self, command: tuple[str, ...]) -> Entry:
        write_private_atomic(self.path, self.unit_text(command))
        self._systemctl("daemon-reload")
        self._systemctl("enable", UNIT)
        return Entry(self.name, str(self.path), command)

    def disable(self) -> list[str]:
        entry = self.status()
        if entry is None or not entry.ours:
            return []
        self._systemctl("disable", UNIT)
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        self._systemctl("daemon-reload")
        return [str(self.path)]

    def status(self) -> Entry | None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except OSError:
            return None
        command = next(
            (line.split("=", 1)[1] for line in text.splitlines() if line.startswith("ExecStart=")),
            "",
        )
        return Entry(self.name, str(self.path), tuple(command.split()), ours=MARKER in text)

    def _systemctl(self, *args: str) -> bool:
        """Tell systemd, where there is a user manager. Without one the unit file still waits."""
        try:
            result = subprocess.run(
                ["systemctl", "--user", *args],
                capture_output=True,
                text=True,
                timeout=20,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return False
        return result.returncode == 0
