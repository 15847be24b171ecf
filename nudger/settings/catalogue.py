"""The built-in catalogue of social sites, read once from the packaged config/sites.toml, and
the rules it makes with the user's settings (the merging itself is nudger/core/catalogue.py)."""

from __future__ import annotations

import functools
import tomllib

from pydantic import TypeAdapter, ValidationError

from nudger.core import catalogue
from nudger.core.matching import Explanation, Matcher
from nudger.core.types import Rule, Window
from nudger.errors import ConfigError
from nudger.paths import builtin_config
from nudger.settings.locations import format_location
from nudger.settings.models import RuleSettings, Settings


@functools.cache
def builtin_sites() -> tuple[RuleSettings, ...]:
    """The entries of config/sites.toml, validated like the user's own."""
    source = builtin_config("sites.toml")
    with source.open("rb") as handle:
        data = tomllib.load(handle)
    try:
        return TypeAdapter(tuple[RuleSettings, ...]).validate_python(data.get("sites", ()))
    except ValidationError as error:  # a packaging bug, but say where, like any config error
        first = error.errors()[0]
        raise ConfigError(
            str(source), format_location(("sites", *first["loc"])), str(first["msg"])
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
