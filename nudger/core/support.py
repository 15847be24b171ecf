"""People to talk to: the table of resources by country, which country is the person's, and
what `nudger help-now` says. Pure: the shell reads config/support.toml and the environment.

The words are calm on purpose. Someone reading this may be at their lowest, so it names
services and how to reach them, and says nothing that alarms.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, get_args

from nudger.core.translate import N_, _

ResourceKind = Literal["talk", "safety", "counsellor"]
RESOURCE_KINDS: tuple[ResourceKind, ...] = get_args(ResourceKind)
# People write the United Kingdom as UK; ISO 3166 (and locales: en_GB) say GB.
_COUNTRY_ALIASES = {"UK": "GB"}
# A phone number in a contact: digits in groups ("116 123", "0800 111 0 111", "9-8-8").
_NUMBER = re.compile(r"\d(?:[ -]?\d)+|\d")
_LOCALE = re.compile(r"^[a-zA-Z]{2,3}_([a-zA-Z]{2})(?:[.@].*)?$")
_HEADINGS: dict[ResourceKind, str] = {
    "talk": N_("Someone to talk to, any time"),
    "safety": N_("If someone has hurt you, or home does not feel safe"),
    "counsellor": N_("Finding a counsellor"),
}


@dataclass(frozen=True, slots=True)
class Resource:
    kind: ResourceKind
    name: str
    contact: str
    hours: str
    source: str
    # The contact and hours as written for other languages: {"de": ("116 016 anrufen", ...)}.
    in_language: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def for_language(self, language: str) -> Resource:
        contact, hours = self.in_language.get(language, (self.contact, self.hours))
        return replace(self, contact=contact, hours=hours)


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    name: str
    resources: tuple[Resource, ...]


class SupportTableError(ValueError):
    """The resource table is not as it should be (a packaging mistake, never the user's)."""


def table_from(data: Mapping[str, Any]) -> dict[str, Country]:
    """The countries in a support file's data, checked: every entry has a source address."""
    countries: dict[str, Country] = {}
    for code, entry in data.items():
        resources = []
        for index, item in enumerate(entry.get("resources", ())):
            kind = item.get("kind")
            if kind not in RESOURCE_KINDS:
                raise SupportTableError(f"{code} resource {index + 1}: unknown kind {kind!r}")
            source = str(item.get("source", ""))
            if not source.startswith("https://"):
                raise SupportTableError(f"{code} resource {index + 1}: no https source address")
            name, contact, hours = (
                str(item["name"]),
                str(item["contact"]),
                str(item.get("hours", "")),
            )
            languages = [key.removeprefix("contact_") for key in item if key.startswith("contact_")]
            others = {
                lang: (str(item[f"contact_{lang}"]), str(item.get(f"hours_{lang}", hours)))
                for lang in languages
            }
            resources.append(Resource(kind, name, contact, hours, source, others))
        countries[code.upper()] = Country(code.upper(), str(entry["name"]), tuple(resources))
    return countries


def any_time_number(country: Country) -> str:
    """The number of the country's first line to talk to at any hour ("116 123"); empty when
    its table has none. The number alone reads the same in every language."""
    for resource in country.resources:
        if resource.kind == "talk":
            found = _NUMBER.search(resource.contact)
            if found:
                return found.group()
    return ""


def normal_country(code: str) -> str:
    """ "uk" -> "GB", "de" -> "DE"; anything else as it was, in capitals."""
    code = code.strip().upper()
    return _COUNTRY_ALIASES.get(code, code)


def country_from_locale(environ: Mapping[str, str]) -> str | None:
    """The country part of the locale, as the C library picks it: LC_ALL, then LC_MESSAGES,
    then LANG. "de_DE.UTF-8" -> "DE"; "C" and "POSIX" say nothing."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            match = _LOCALE.match(value)
            return normal_country(match.group(1)) if match else None
    return None


def help_now_lines(
    own_line: str, country: Country | None, known: Sequence[str], asked: str | None
) -> list[str]:
    """What `nudger help-now` prints: the person's own line first, then their country's."""
    lines = [_("You don't have to carry this alone. Here are people who will listen."), ""]
    if own_line:
        lines += [_("Your own person:"), f"  {own_line}", ""]
    if country is not None and country.resources:
        lines.append(_("In {country}:").format(country=country.name))
        for kind in RESOURCE_KINDS:
            for resource in (r for r in country.resources if r.kind == kind):
                hours = f" ({resource.hours})" if resource.hours else ""
                heading = _(_HEADINGS[kind])
                lines.append(f"  {heading}: {resource.name}, {resource.contact}{hours}")
                lines.append(f"    {resource.source}")
        lines.append("")
    elif asked:
        lines += [_("nudger has no list for {country} yet.").format(country=asked), ""]
    if country is None or not country.resources:
        lines += [
            _("Your doctor can help you find a counsellor, wherever you are."),
            _("Lists for: {countries}. For example: nudger help-now --country GB").format(
                countries=", ".join(known)
            ),
            "",
        ]
    if not own_line:
        lines.append(
            _(
                'To keep your own person here, add [support] line = "..." to your settings '
                "(`nudger config init` offers to)."
            )
        )
    lines.append(_("Take your time. nudger can rest too: `nudger pause 1d`."))
    return lines
