"""The packaged table of people to talk to (config/support.toml), and the person's country."""

from __future__ import annotations

import functools
import os
import tomllib
from collections.abc import Mapping
from dataclasses import replace

from nudger.core.support import (
    Country,
    SupportTable,
    chosen_country,
    table_from,
)
from nudger.paths import builtin_config


@functools.cache
def support_table() -> SupportTable:
    with builtin_config("support.toml").open("rb") as handle:
        return table_from(tomllib.load(handle))


def localized(country: Country | None, language: str) -> Country | None:
    """The country as the language writes it: its name (from CLDR, generated with Babel at
    build time into nudger/core/cldr_data.py), and each service's contact and hours where the
    table has them in that language."""
    if country is None:
        return None
    from nudger.core.cldr_data import LANGUAGES  # noqa: PLC0415 - only for help-now

    name = country.name
    cldr = LANGUAGES.get(language)
    if language != "en" and cldr is not None:
        name = cldr.territories.get(country.code, country.name)
    resources = tuple(r.for_language(language) for r in country.resources)
    return replace(country, name=name, resources=resources)


def country_of(configured: str, environ: Mapping[str, str] | None = None) -> str | None:
    """[support] country when set, else the locale's country."""
    return chosen_country(None, configured, os.environ if environ is None else environ)
