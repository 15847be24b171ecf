"""This device's part in a synced folder: where the folder is, its name and id, and the key.

Kept in the person's data folder (0600), so the daemon can write without asking for the
passphrase. The folder holds a small file with the salt (so every device derives the same key
from the same passphrase) and a check value (so a wrong passphrase is told at once).
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from nudger.core.devices import check_value, device_id, friendly_name
from nudger.core.translate import N_, Said
from nudger.errors import NudgerError
from nudger.paths import MAX_READ_BYTES, read_regular_file, write_private_atomic

SETUP_NAME = "devices.json"
SALT_NAME = "nudger-folder.json"
# scrypt's cost: about 0.1 s and 16 MB once per `devices folder`, far too dear to guess at scale.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "maxmem": 64 * 1024 * 1024, "dklen": 32}


class DevicesProblem(NudgerError):
    """The folder cannot be used as asked; the message says why."""


@dataclass(frozen=True, slots=True)
class DeviceSetup:
    folder: Path
    name: str
    secret: str
    key: bytes

    @property
    def id(self) -> str:
        return device_id(self.secret, machine_id())


def machine_id() -> str:
    """The machine's own id (/etc/machine-id on Linux, the hardware UUID elsewhere), or a
    stand-in where none can be read (then a copied home is told apart only by its path)."""
    for candidate in ("/etc/machine-id", "/var/lib/dbus/machine-id"):
        try:
            text = Path(candidate).read_text(encoding="ascii").strip()
        except (OSError, UnicodeError):
            continue
        if text:
            return text
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import winreg  # noqa: PLC0415

        try:
            with winreg.OpenKey(
                winreg.HKEY_LOCAL_MACHINE, r"SOFTWARE\Microsoft\Cryptography"
            ) as handle:
                return str(winreg.QueryValueEx(handle, "MachineGuid")[0])
        except OSError:
            pass
    import platform  # noqa: PLC0415

    return f"{platform.node()}|{Path.home()}"


def load(data_dir: Path) -> DeviceSetup | None:
    """This device's setting, or None when no folder is set (or the file cannot be read)."""
    try:
        raw = json.loads(read_regular_file(data_dir / SETUP_NAME, MAX_READ_BYTES))
        return DeviceSetup(
            folder=Path(raw["folder"]),
            name=str(raw["name"]),
            secret=str(raw["secret"]),
            key=bytes.fromhex(raw["key"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def turn_on(data_dir: Path, folder: Path, passphrase: str, name: str | None) -> DeviceSetup:
    """Join (or start) the folder: derive the key from the folder's salt and the passphrase,
    keep this device's secret (a new one only the first time), and save the setting."""
    folder = folder.expanduser().resolve()
    if not folder.is_dir():
        raise DevicesProblem(Said(N_("{path} is not a folder"), {"path": folder}))
    if not passphrase:
        raise DevicesProblem(Said(N_("the passphrase is empty")))
    import hashlib  # noqa: PLC0415 - maps OpenSSL (3 MB) into the daemon: only when used
    import secrets  # noqa: PLC0415 - the same

    salt, check = _salt_of(folder)
    key = hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, **_SCRYPT)
    if check is None:
        _write_salt(folder, salt, check_value(key))
    elif check != check_value(key):
        raise DevicesProblem(
            Said(
                N_(
                    "this passphrase is not the one the folder {path} was set up with; use "
                    "the same passphrase on every computer"
                ),
                {"path": folder},
            )
        )
    earlier = load(data_dir)
    setup = DeviceSetup(
        folder=folder,
        name=name or (earlier.name if earlier else friendly_name(secrets.token_bytes(2))),
        secret=earlier.secret if earlier else secrets.token_hex(16),
        key=key,
    )
    save(data_dir, setup)
    return setup


def save(data_dir: Path, setup: DeviceSetup) -> None:
    document = {
        "folder": str(setup.folder),
        "name": setup.name,
        "secret": setup.secret,
        "key": setup.key.hex(),
    }
    write_private_atomic(data_dir / SETUP_NAME, json.dumps(document, indent=1))


def turn_off(data_dir: Path) -> bool:
    """Stop sharing: the setting goes; this device's file in the folder stays until it is
    forgotten (another device may still want to count it). True if a folder was set."""
    try:
        (data_dir / SETUP_NAME).unlink()
    except FileNotFoundError:
        return False
    return True


def _salt_of(folder: Path) -> tuple[bytes, str | None]:
    """The folder's salt and check value, or a new salt when the folder has none yet."""
    import secrets  # noqa: PLC0415 - maps OpenSSL (3 MB) into the daemon: only when used

    path = folder / SALT_NAME
    if not os.path.lexists(path):
        return secrets.token_bytes(16), None
    try:
        raw = json.loads(read_regular_file(path, 4096))
        return bytes.fromhex(raw["salt"]), str(raw["check"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise DevicesProblem(
            Said(N_("cannot read {path}: {error}"), {"path": path, "error": error})
        ) from None


def _write_salt(folder: Path, salt: bytes, check: str) -> None:
    document = {"version": 1, "salt": salt.hex(), "check": check}
    write_private_atomic(folder / SALT_NAME, json.dumps(document))
