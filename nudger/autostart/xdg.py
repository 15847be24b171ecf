"""Linux and BSD desktops: an XDG autostart entry, $XDG_CONFIG_HOME/autostart/nudger.desktop."""

from __future__ import annotations

import configparser
import os
from collections.abc import Mapping
from configparser import ConfigParser

from nudger.autostart.base import MARKER, Entry, config_home, remove_if_ours
from nudger.paths import write_private_atomic


def _quote(argument: str) -> str:
    """Quote one Exec argument as the Desktop Entry Specification asks."""
    if not any(char in argument for char in " \t\n\"'\\><~|&;$*?#()`"):
        return argument.replace("%", "%%")
    escaped = (
        argument.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`").replace("$", "\\$")
    )
    return f'"{escaped.replace("%", "%%")}"'


class XdgAutostart:
    name = "xdg"

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self.path = config_home(os.environ if env is None else env) / "autostart" / "nudger.desktop"

    def enable(self, command: tuple[str, ...]) -> Entry:
        exec_line = " ".join(_quote(part) for part in command)
        text = (
            f"# {MARKER}\n"
            "[Desktop Entry]\n"
            "Type=Application\n"
            "Name=nudger\n"
            "Comment=A gentle companion for stepping back from social media\n"
            f"Exec={exec_line}\n"
            "Terminal=false\n"
            "NoDisplay=true\n"
            "X-GNOME-Autostart-enabled=true\n"
        )
        write_private_atomic(self.path, text)
        return Entry(self.name, str(self.path), command)

    def disable(self) -> list[str]:
        return remove_if_ours(self.path, self.status())

    def status(self) -> Entry | None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except OSError:
            return None
        parser = ConfigParser(interpolation=None, strict=False)
        try:
            parser.read_string(text)
            exec_line = parser.get("Desktop Entry", "Exec", fallback="")
        except configparser.Error:  # a file we cannot parse is simply not ours
            exec_line = ""
        return Entry(self.name, str(self.path), tuple(exec_line.split()), ours=MARKER in text)
