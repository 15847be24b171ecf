"""The rules nudger matches: the user's blocklist, the built-in catalogue of social sites (less
the ones switched off, and the ones the user replaced by their own), and the user's own sites.

Pure: the catalogue's entries come in as an argument (nudger/catalogue.py reads them).
"""

from __future__ import annotations

from collections.abc import Sequence

from nudger.core.matching import Rule
from nudger.models import RuleSettings, Settings


def site_rules(settings: Settings, builtin: Sequence[RuleSettings]) -> list[Rule]:
    """Built-in sites that are switched on, with same-named user sites replacing them."""
    disabled = {name.casefold() for name in settings.catalogue.disabled}
    own = {site.name.casefold() for site in settings.sites}
    rules = [
        Rule("site", site.name, site.match, site.apps, site.profiles)
        for site in builtin
        if site.name.casefold() not in disabled and site.name.casefold() not in own
    ]
    rules += [
        Rule("site", site.name, site.match, site.apps, site.profiles)
        for site in settings.sites
        if site.name.casefold() not in disabled
    ]
    return rules


def all_rules(settings: Settings, builtin: Sequence[RuleSettings]) -> list[Rule]:
    blocklist = [
        Rule("blocklist", entry.name, entry.match, entry.apps) for entry in settings.blocklist
    ]
    return blocklist + site_rules(settings, builtin)
