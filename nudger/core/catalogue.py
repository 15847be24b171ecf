"""The rules nudger matches: the user's blocklist, the built-in catalogue of social sites (less
the ones switched off, and the ones the user replaced by their own), and the user's own sites.

Pure: the rules come in as values (nudger/settings/catalogue.py reads the catalogue and builds them
from the settings).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from nudger.core.types import Rule


def site_rules(
    builtin: Sequence[Rule], own: Sequence[Rule], disabled: Collection[str]
) -> list[Rule]:
    """Built-in sites that are switched on, with same-named user sites replacing them."""
    off = {name.casefold() for name in disabled}
    own_names = {site.name.casefold() for site in own}
    rules = [
        site
        for site in builtin
        if site.name.casefold() not in off and site.name.casefold() not in own_names
    ]
    rules += [site for site in own if site.name.casefold() not in off]
    return rules


def all_rules(
    blocklist: Sequence[Rule],
    builtin: Sequence[Rule],
    own: Sequence[Rule],
    disabled: Collection[str],
) -> list[Rule]:
    """The blocklist, then the sites."""
    return list(blocklist) + site_rules(builtin, own, disabled)
