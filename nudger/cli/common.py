"""Small helpers the commands share: loading the settings, strictly or forgivingly."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from nudger.core.translate import Translator

if TYPE_CHECKING:
    from nudger.settings.values import LoadedConfig


def user_file(args: argparse.Namespace) -> Path | None:
    explicit = getattr(args, "config", None)
    return Path(explicit).expanduser() if explicit else None


def load_config(args: argparse.Namespace) -> LoadedConfig:
    """The effective settings for this command; raises ConfigError (exit code 2) when broken."""
    # Imported here: pydantic takes a fifth of a second, which `--help` should not pay.
    from nudger.settings import last_good
    from nudger.settings import loader as settings

    loaded = settings.load(user_file(args))
    last_good.remember(loaded)
    return loaded


def load_config_or_last_good(
    t: Translator, args: argparse.Namespace, *, promise: bool = True
) -> LoadedConfig:
    """The settings, or when the file is broken, the last ones that loaded (or the defaults),
    with one line on stderr that says what is wrong. For commands that read, never write: a
    typo must not take away a summary, a pause or the status."""
    from nudger.errors import ConfigError
    from nudger.paths import user_config_file
    from nudger.settings import last_good

    try:
        loaded = load_config(args)
        return in_force(loaded) if promise else loaded
    except ConfigError as error:
        print(
            t._(
                "nudger: {error} (using your last good settings until this is fixed; "
                "`nudger config check` checks the file)"
            ).format(error=error.in_language(t)),
            file=sys.stderr,
        )
        path = user_file(args)
        instead = last_good.load_instead(path or user_config_file(), os.environ)
        return in_force(instead, fresh=False) if promise else instead


def in_force(loaded: LoadedConfig, *, fresh: bool = True) -> LoadedConfig:
    """The settings in force: while a promise runs, a loosening of the file waits (see
    shell/promise.py). Never waits itself: a state it cannot read now leaves `loaded` as it is."""
    import time

    from nudger import paths
    from nudger.shell.promise import Keeper

    return Keeper(loaded.user_file, paths.data_dir()).keep(loaded, time.time(), fresh=fresh)
