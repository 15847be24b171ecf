"""macOS: a LaunchAgent, ~/Library/LaunchAgents/app.nudger.plist, written with plistlib."""

from __future__ import annotations

import plistlib
from pathlib import Path
from typing import Any

from nudger.autostart.base import MARKER, Entry, remove_if_ours
from nudger.paths import write_private_atomic

LABEL = "app.nudger"


class LaunchAgent:
    name = "launchd"

    def __init__(self, home: Path | None = None) -> None:
        self.path = (home or Path.home()) / "Library" / "LaunchAgents" / f"{LABEL}.plist"

    def plist(self, command: tuple[str, ...]) -> dict[str, Any]:
        return {
            "Label": LABEL,
            "ProgramArguments": list(command),
            "RunAtLoad": True,
            # Start again after a crash, but not after a clean exit (`nudger` stopped on purpose).
            "KeepAlive": {"SuccessfulExit": False},
            "ThrottleInterval": 30,
            "ProcessType": "Interactive",
            "NudgerManaged": MARKER,
        }

    def enable(self, command: tuple[str, ...]) -> Entry:
        # 0600 suits launchd: a LaunchAgent is read by the user's own launchd.
        write_private_atomic(self.path, plistlib.dumps(self.plist(command)))
        return Entry(self.name, str(self.path), command)

    def disable(self) -> list[str]:
        return remove_if_ours(self.path, self.status())

    def status(self) -> Entry | None:
        try:
            data = plistlib.loads(self.path.read_bytes())
        except (OSError, plistlib.InvalidFileException, ValueError):
            return None
        return Entry(
            self.name,
            str(self.path),
            tuple(data.get("ProgramArguments", ())),
            ours=data.get("NudgerManaged") == MARKER,
        )
