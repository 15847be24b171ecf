"""The last settings that loaded, kept so that one typo never takes the summaries away.

Every command that loads the settings successfully keeps a copy of the user's validated settings
in the data directory (0600, like everything there). When the file is later broken, `summary`,
`report`, `status`, `pause` and `block list` use that copy and say in one line what is wrong,
instead of refusing to work. The daemon and `config check` stay strict: they say what is wrong
and stop, with exit code 2.
"""

from __future__ import annotations

import contextlib
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomlkit

from nudger import settings as settings_module
from nudger.errors import ConfigError
from nudger.paths import write_private_atomic

LAST_GOOD_NAME = "last-good-config.toml"


def remember(loaded: settings_module.LoadedConfig, data_dir: Path) -> None:
    """Keep the user's part of settings that just loaded (only when it changed)."""
    path = data_dir / LAST_GOOD_NAME
    text = tomlkit.dumps(dict(loaded.user_data))
    with contextlib.suppress(OSError):
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            return
    with contextlib.suppress(OSError):  # a read-only data dir only loses this convenience
        write_private_atomic(path, text, durable=False)


def load_instead(
    user_file: Path, data_dir: Path, env: Mapping[str, str]
) -> settings_module.LoadedConfig:
    """The last good settings with today's environment, else without it, else the defaults."""
    saved: dict[str, Any] = {}
    with contextlib.suppress(OSError, ValueError, tomllib.TOMLDecodeError):
        saved = tomllib.loads((data_dir / LAST_GOOD_NAME).read_text(encoding="utf-8"))
    for data, environment in ((saved, env), (saved, {}), ({}, {})):
        with contextlib.suppress(ConfigError):
            return settings_module.load_from(data, user_file, environment)
    return settings_module.load_from({}, user_file, {})  # the defaults: raises only on a bug
