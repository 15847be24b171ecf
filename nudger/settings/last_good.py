"""The last settings that loaded, kept so that one typo never takes the summaries away.

Every command that loads the settings successfully keeps a copy of the user's validated settings
beside the settings file (`.config.toml.last-good`, 0600). When the file is later broken,
`summary`, `report`, `status`, `pause` and `block list` use that copy and say in one line what is
wrong, instead of refusing to work. The daemon and `config check` stay strict: they say what is
wrong and stop, with exit code 2.

Beside the file, not in the data directory: the copy holds the blocklist's names, and whoever
deletes their settings folder to be rid of a name should be rid of every copy with it.
"""

from __future__ import annotations

import contextlib
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from nudger.errors import ConfigError
from nudger.paths import data_dir, read_regular_file, write_private_atomic
from nudger.settings.values import LoadedConfig


def copy_path(user_file: Path) -> Path:
    return user_file.with_name(f".{user_file.name}.last-good")


def promise_path(user_file: Path) -> Path:
    """A promise's state (shell/promise.py). While there is one, the copy holds the settings in
    force, which the promise writes, never the file as it was last read."""
    return user_file.with_name(f".{user_file.name}.promise")


# A second note that a promise runs, in the data folder (shell/promise.py).
PROMISE_MARKER = "promise-made.json"


def promise_runs(user_file: Path) -> bool:
    return any(
        os.path.lexists(path) for path in (promise_path(user_file), data_dir() / PROMISE_MARKER)
    )


def remember(loaded: LoadedConfig) -> None:
    """Keep the user's file as it was just read and found good (only when it changed)."""
    path = copy_path(loaded.user_file)
    if promise_runs(loaded.user_file):
        return
    text = loaded.user_text or b""
    if not path.parent.is_dir() or (not text and not path.exists()):
        return  # no settings folder, or nothing of the user's to keep
    with contextlib.suppress(OSError):
        if path.is_file() and read_regular_file(path) == text:
            return
    with contextlib.suppress(OSError):  # a read-only folder only loses this convenience
        write_private_atomic(path, text, durable=False)


def load_instead(user_file: Path, env: Mapping[str, str]) -> LoadedConfig:
    """The last good settings with today's environment, else without it, else the defaults."""
    from nudger.settings import loader as settings_module  # noqa: PLC0415 - pydantic: not in the daemon

    saved: dict[str, Any] = {}
    with contextlib.suppress(OSError, ValueError, RecursionError):
        saved = tomllib.loads(read_regular_file(copy_path(user_file)).decode("utf-8-sig"))
    for data, environment in ((saved, env), (saved, {}), ({}, {})):
        with contextlib.suppress(ConfigError):
            return settings_module.load_from(data, user_file, environment)
    return settings_module.load_from({}, user_file, {})  # the defaults: raises only on a bug
