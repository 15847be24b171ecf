"""The built-in catalogue of social sites, merged with the user's own sites and blocklist."""

from __future__ import annotations

import functools
import tomllib

from pydantic import TypeAdapter, ValidationError

from nudger.core.matching import Rule
from nudger.errors import ConfigError
from nudger.models import RuleSettings, Settings
from nudger.paths import builtin_config
from nudger.settings import format_location


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


def site_rules(settings: Settings) -> list[Rule]:
    """Built-in sites that are switched on, with same-named user sites replacing them."""
    disabled = {name.casefold() for name in settings.catalogue.disabled}
    own = {site.name.casefold() for site in settings.sites}
    rules = [
        Rule("site", site.name, site.match, site.apps)
        for site in builtin_sites()
        if site.name.casefold() not in disabled and site.name.casefold() not in own
    ]
    rules += [
        Rule("site", site.name, site.match, site.apps)
        for site in settings.sites
        if site.name.casefold() not in disabled
    ]
    return rules


def all_rules(settings: Settings) -> list[Rule]:
    blocklist = [
        Rule("blocklist", entry.name, entry.match, entry.apps) for entry in settings.blocklist
    ]
    return blocklist + site_rules(settings)
