"""The built-in catalogue of social sites, read once from the packaged config/sites.toml, and
the rules it makes with the user's settings (the merging itself is nudger/core/catalogue.py)."""

from __future__ import annotations

import functools
import tomllib
from typing import Any

from nudger.core import catalogue
from nudger.core.matching import Explanation, Matcher
from nudger.core.types import Rule, Window
from nudger.errors import ConfigError
from nudger.paths import builtin_config
from nudger.settings.locations import format_location
from nudger.settings.values import RuleSettings, Settings


@functools.cache
def _entries() -> tuple[str, list[dict[str, Any]]]:
    source = builtin_config("sites.toml")
    with source.open("rb") as handle:
        return str(source), list(tomllib.load(handle).get("sites", ()))


@functools.cache
def builtin_sites() -> tuple[RuleSettings, ...]:
    """The entries of config/sites.toml as they are written: the file is nudger's own, and
    every load of the settings checks it first (`check_builtin_sites`), so the daemon reads it
    without pydantic."""
    return tuple(
        RuleSettings(
            name=entry["name"],
            match=tuple(entry.get("match", ())),
            apps=tuple(entry.get("apps", ())),
            profiles=tuple(entry.get("profiles", ())),
        )
        for entry in _entries()[1]
    )


@functools.cache
def check_builtin_sites() -> None:
    """Validate config/sites.toml like the user's own entries; ConfigError names the place (a
    packaging bug). tests/settings/test_values.py checks that it reads the same without."""
    from pydantic import TypeAdapter, ValidationError  # noqa: PLC0415 - not in the daemon

    from nudger.settings import models  # noqa: PLC0415

    label, entries = _entries()
    try:
        TypeAdapter(tuple[models.RuleSettings, ...]).validate_python(entries)
    except ValidationError as error:
        first = error.errors()[0]
        raise ConfigError(
            label, format_location(("sites", *first["loc"])), str(first["msg"])
        ) from None


def all_rules(settings: Settings) -> list[Rule]:
    """The blocklist, then the sites: the built-in catalogue merged with the user's own."""
    return catalogue.all_rules(
        blocklist=[entry.rule("blocklist") for entry in settings.blocklist],
        builtin=[site.rule("site") for site in builtin_sites()],
        own=[site.rule("site") for site in settings.sites],
        disabled=settings.catalogue.disabled,
    )


def explain(settings: Settings, window: Window) -> list[Explanation]:
    """Which rule of these settings matches the window, and why (`block test`, the pages)."""
    return Matcher(all_rules(settings), settings.watch.browsers).explain(window)
