"""Windows: a value under HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run, with winreg.

The registry module is passed in, so this imports on every platform and the decisions here can
be checked on Linux through a fake at the winreg boundary.
"""

from __future__ import annotations

import subprocess
from typing import Any

from nudger.autostart.base import Entry

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
VALUE_NAME = "nudger"


class WindowsRunKey:
    name = "registry"

    def __init__(self, registry: Any | None = None) -> None:
        if registry is None:
            import winreg  # noqa: PLC0415 - exists only on Windows

            registry = winreg
        self._reg = registry

    @property
    def location(self) -> str:
        return f"HKEY_CURRENT_USER\\{RUN_KEY}\\{VALUE_NAME}"

    def enable(self, command: tuple[str, ...]) -> Entry:
        with self._reg.CreateKeyEx(
            self._reg.HKEY_CURRENT_USER, RUN_KEY, 0, self._reg.KEY_SET_VALUE
        ) as key:
            self._reg.SetValueEx(
                key, VALUE_NAME, 0, self._reg.REG_SZ, subprocess.list2cmdline(command)
            )
        return Entry(self.name, self.location, command)

    def disable(self) -> list[str]:
        if self.status() is None:
            return []
        with self._reg.OpenKey(
            self._reg.HKEY_CURRENT_USER, RUN_KEY, 0, self._reg.KEY_SET_VALUE
        ) as key:
            self._reg.DeleteValue(key, VALUE_NAME)
        return [self.location]

    def status(self) -> Entry | None:
        try:
            with self._reg.OpenKey(
                self._reg.HKEY_CURRENT_USER, RUN_KEY, 0, self._reg.KEY_READ
            ) as key:
                value, kind = self._reg.QueryValueEx(key, VALUE_NAME)
        except OSError:  # FileNotFoundError: no such key or value
            return None
        if kind != self._reg.REG_SZ or not isinstance(value, str):
            return Entry(self.name, self.location, (), ours=False)
        # Only a command that runs nudger is ours to remove.
        ours = "nudger" in value and " run" in value
        return Entry(self.name, self.location, (value,), ours=ours)
