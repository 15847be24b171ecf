"""Small helpers the commands share."""

from __future__ import annotations

import argparse
from pathlib import Path

from nudger import settings
from nudger.settings import LoadedConfig


def load_config(args: argparse.Namespace) -> LoadedConfig:
    """The effective settings for this command; raises ConfigError (exit code 2) when broken."""
    explicit = getattr(args, "config", None)
    return settings.load(Path(explicit).expanduser() if explicit else None)
