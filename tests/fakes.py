"""Stand-ins for OS interfaces that cannot run here (the Windows registry). Only for those: every
other part in the tests is real."""

from __future__ import annotations

from typing import Any


class FakeWinreg:
    """A stand-in for the winreg module (the OS boundary that cannot run here): a dict of keys."""

    HKEY_CURRENT_USER = "HKCU"
    KEY_READ, KEY_SET_VALUE, REG_SZ, REG_DWORD = 1, 2, 1, 4

    def __init__(self) -> None:
        self.keys: dict[tuple[str, str], dict[str, tuple[Any, int]]] = {}

    class _Key:
        def __init__(self, values: dict[str, tuple[Any, int]]) -> None:
            self.values = values

        def __enter__(self) -> FakeWinreg._Key:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

    def CreateKeyEx(self, root: str, path: str, reserved: int, access: int) -> _Key:
        return self._Key(self.keys.setdefault((root, path), {}))

    def OpenKey(self, root: str, path: str, reserved: int, access: int) -> _Key:
        if (root, path) not in self.keys:
            raise FileNotFoundError(path)
        return self._Key(self.keys[(root, path)])

    def SetValueEx(self, key: _Key, name: str, reserved: int, kind: int, value: Any) -> None:
        key.values[name] = (value, kind)

    def QueryValueEx(self, key: _Key, name: str) -> tuple[Any, int]:
        if name not in key.values:
            raise FileNotFoundError(name)
        return key.values[name]

    def DeleteValue(self, key: _Key, name: str) -> None:
        if name not in key.values:
            raise FileNotFoundError(name)
        del key.values[name]

    def DeleteKey(self, root: str, path: str) -> None:
        if (root, path) not in self.keys:
            raise FileNotFoundError(path)
        del self.keys[(root, path)]
