"""Small helpers the commands share."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nudger.settings import LoadedConfig


def load_config(args: argparse.Namespace) -> LoadedConfig:
    """The effective settings for this command; raises ConfigError (exit code 2) when broken."""
    from nudger import settings  # pydantic is a fifth of a second: not for --help

    explicit = getattr(args, "config", None)
    return settings.load(Path(explicit).expanduser() if explicit else None)
