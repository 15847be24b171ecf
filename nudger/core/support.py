"""People to talk to: the table of resources by country, which country is the person's, and
what `nudger help-now` says. Pure: the shell reads config/support.toml and the environment.

The words are calm on purpose. Someone reading this may be at their lowest, so it names
services and how to reach them, and says nothing that alarms. It never leaves the person
with nothing to call: a country without a list still gets an emergency number where one is
known and a directory of helplines.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal, get_args

from nudger.core.translate import N_, Translator

ResourceKind = Literal["emergency", "talk", "safety", "counsellor"]
RESOURCE_KINDS: tuple[ResourceKind, ...] = get_args(ResourceKind)
Who = Literal["anyone", "women", "men", "lgbtq", "women_lgbtq"]
WHO: tuple[Who, ...] = get_args(Who)
# People write the United Kingdom as UK; ISO 3166 (and locales: en_GB) say GB.
_COUNTRY_ALIASES = {"UK": "GB"}
# A phone number in a contact: digits in groups ("116 123", "0800 111 0 111", "9-8-8").
_NUMBER = re.compile(r"\d(?:[ -]?\d)+|\d")
_LOCALE = re.compile(r"^[a-zA-Z]{2,3}_([a-zA-Z]{2})(?:[.@].*)?$")
# A day, or a month where only the month of an older check is known.
_CHECKED = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
_ELSEWHERE = "elsewhere"
# Each heading says who a line is for: a line for women under a heading for everyone would
# tell a man, or a gay man, that there is nothing for him.
_HEADINGS: dict[tuple[ResourceKind, Who], str] = {
    ("emergency", "anyone"): N_("If you or someone else is not safe right now"),
    ("talk", "anyone"): N_("Someone to talk to"),
    ("safety", "anyone"): N_("If someone has hurt you, or home does not feel safe"),
    ("safety", "women"): N_("For women someone has hurt, or who do not feel safe at home"),
    ("safety", "men"): N_("For men someone has hurt, or who do not feel safe at home"),
    ("safety", "lgbtq"): N_("For LGBTQ+ people someone has hurt, or who do not feel safe at home"),
    ("safety", "women_lgbtq"): N_(
        "For women and LGBTQ+ people someone has hurt, or who do not feel safe at home"
    ),
    ("counsellor", "anyone"): N_("Finding a counsellor"),
}
# US spelling for the US list: the English catalogue is British otherwise.
_US_COUNSELLOR = N_("Finding a counselor")


@dataclass(frozen=True, slots=True)
class Resource:
    kind: ResourceKind
    name: str
    contact: str
    hours: str
    source: str
    checked: str
    who: Who = "anyone"
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


@dataclass(frozen=True, slots=True)
class Elsewhere:
    """What a country without a list gets: the EU's shared number, and a directory."""

    eu: frozenset[str]
    eu_number: str
    directory: str


@dataclass(frozen=True, slots=True)
class SupportTable:
    countries: Mapping[str, Country]
    elsewhere: Elsewhere


class SupportTableError(ValueError):
    """The resource table is not as it should be (a packaging mistake, never the user's)."""


def _resource(code: str, index: int, item: Mapping[str, Any]) -> Resource:
    where = f"{code} resource {index + 1}"
    kind = item.get("kind")
    if kind not in RESOURCE_KINDS:
        raise SupportTableError(f"{where}: unknown kind {kind!r}")
    who = item.get("who", "anyone")
    if who not in WHO or (kind != "safety" and who != "anyone"):
        raise SupportTableError(f"{where}: unknown or misplaced who {who!r}")
    source = str(item.get("source", ""))
    if not source.startswith("https://"):
        raise SupportTableError(f"{where}: no https source address")
    checked = str(item.get("checked", ""))
    if not _CHECKED.match(checked):
        raise SupportTableError(f"{where}: no checked date (YYYY-MM-DD)")
    name, contact, hours = str(item["name"]), str(item["contact"]), str(item.get("hours", ""))
    languages = [key.removeprefix("contact_") for key in item if key.startswith("contact_")]
    others = {
        lang: (str(item[f"contact_{lang}"]), str(item.get(f"hours_{lang}", hours)))
        for lang in languages
    }
    return Resource(kind, name, contact, hours, source, checked, who, others)


def table_from(data: Mapping[str, Any]) -> SupportTable:
    """The table in a support file's data, checked: every entry has a source and a date."""
    countries: dict[str, Country] = {}
    for code, entry in data.items():
        if code == _ELSEWHERE:
            continue
        resources = tuple(
            _resource(code, index, item) for index, item in enumerate(entry.get("resources", ()))
        )
        countries[code.upper()] = Country(code.upper(), str(entry["name"]), resources)
    rest = data.get(_ELSEWHERE, {})
    if not str(rest.get("directory", "")).startswith("https://"):
        raise SupportTableError("elsewhere: no https directory of helplines")
    elsewhere = Elsewhere(
        frozenset(str(code) for code in rest.get("eu", ())),
        str(rest.get("eu_number", "")),
        str(rest["directory"]),
    )
    return SupportTable(countries, elsewhere)


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


def chosen_country(
    asked: str | None, configured: str, environ: Mapping[str, str], hint: str | None = None
) -> str | None:
    """Whose services to show, in the one order every place that offers help uses (help-now,
    the browser's Talk page, with or without the daemon): the country asked for there and then,
    else [support] country, else the locale's, else the browser's language's (`hint`)."""
    for given in (asked, configured):
        if given and given.strip():
            return normal_country(given)
    if found := country_from_locale(environ):
        return found
    return normal_country(hint) if hint and hint.strip() else None


def heading(t: Translator, resource: Resource, country_code: str) -> str:
    """The words before a line: what it is for, and whom."""
    if resource.kind == "counsellor" and country_code == "US":
        return t._(_US_COUNSELLOR)
    return t._(_HEADINGS[(resource.kind, resource.who)])


def _country_lines(t: Translator, country: Country) -> list[str]:
    lines = [t._("In {country}:").format(country=country.name)]
    for kind in RESOURCE_KINDS:
        for resource in (r for r in country.resources if r.kind == kind):
            hours = f" ({resource.hours})" if resource.hours else ""
            said = heading(t, resource, country.code)
            if kind == "emergency":
                lines.append(f"  {said}: {resource.contact}")
            else:
                lines.append(f"  {said}: {resource.name}, {resource.contact}{hours}")
            checked = t._("checked {date}").format(date=resource.checked)
            lines.append(f"    {resource.source} ({checked})")
    return lines


def _elsewhere_lines(t: Translator, elsewhere: Elsewhere, code: str | None) -> list[str]:
    """For a country without a list, or none known: a number for right now, and a directory."""
    if code is not None and code in elsewhere.eu:
        number = t._("{heading}: call {number}, anywhere in the European Union").format(
            heading=t._(_HEADINGS[("emergency", "anyone")]), number=elsewhere.eu_number
        )
    else:
        number = t._(
            "{heading}: call your local emergency number ({number} in Europe, 911 in most "
            "of the Americas, 999 in the UK, 000 in Australia)"
        ).format(heading=t._(_HEADINGS[("emergency", "anyone")]), number=elsewhere.eu_number)
    return [
        number,
        t._("Helplines by phone, text and chat in most countries: {address}").format(
            address=elsewhere.directory
        ),
        t._("Your doctor can help you find a counsellor, wherever you are."),
    ]


def help_now_lines(
    t: Translator,
    own_line: str,
    country: Country | None,
    table: SupportTable,
    asked: str | None,
) -> list[str]:
    """What `nudger help-now` prints: the person's own line first, then their country's, and
    for a country without a list, what works anywhere."""
    lines = [t._("You don't have to carry this alone. Here are people who will listen."), ""]
    if own_line:
        lines += [t._("Your own person:"), f"  {own_line}", ""]
    if country is not None and country.resources:
        lines += [*_country_lines(t, country), ""]
    else:
        if asked:
            lines.append(t._("nudger has no list for {country} yet.").format(country=asked))
        lines += [*_elsewhere_lines(t, table.elsewhere, asked), ""]
        lines += [
            t._("Lists for: {countries}. For example: nudger help-now --country GB").format(
                countries=", ".join(sorted(table.countries))
            ),
            "",
        ]
    if not own_line:
        lines.append(
            t._(
                'To keep your own person here, add [support] line = "..." to your settings '
                "(`nudger config init` offers to)."
            )
        )
    lines.append(t._("Take your time. nudger can rest too: `nudger pause 1d`."))
    return lines
