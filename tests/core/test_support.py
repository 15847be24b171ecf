"""People to talk to: the table's checks, the country from the locale, and what `help-now`
says (nudger/core/support.py)."""

from __future__ import annotations

from typing import Any

import pytest

from nudger.core.support import (
    SupportTableError,
    any_time_number,
    chosen_country,
    country_from_locale,
    help_now_lines,
    normal_country,
    table_from,
)
from nudger.core.translate import ENGLISH

TALK = {
    "kind": "talk",
    "name": "Samaritans",
    "contact": "call 116 123",
    "hours": "any time",
    "source": "https://www.samaritans.org",
    "checked": "2026-12",
    "contact_de": "116 123 anrufen",
}
ELSEWHERE = {"eu": ["DE"], "eu_number": "112", "directory": "https://findahelpline.com"}


def table(*resources: dict[str, Any]) -> dict[str, Any]:
    return {"elsewhere": ELSEWHERE, "gb": {"name": "the UK", "resources": list(resources)}}


def test_a_table_reads_countries_in_capitals_and_contacts_per_language() -> None:
    support = table_from(table(TALK))
    [resource] = support.countries["GB"].resources
    assert resource.for_language("de").contact == "116 123 anrufen"
    assert resource.for_language("es").contact == "call 116 123"
    assert any_time_number(support.countries["GB"]) == "116 123"


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"kind": "chat"}, "unknown kind"),
        ({"source": "http://example.org"}, "no https source"),
        ({"checked": "last year"}, "no checked date"),
        ({"who": "women"}, "misplaced who"),
    ],
)
def test_an_entry_without_a_source_or_a_date_is_refused(change: dict[str, str], said: str) -> None:
    with pytest.raises(SupportTableError, match=said):
        table_from(table({**TALK, **change}))


def test_the_country_comes_from_the_locale_as_the_c_library_picks_it() -> None:
    assert country_from_locale({"LC_ALL": "", "LANG": "de_AT.UTF-8"}) == "AT"
    assert country_from_locale({"LC_MESSAGES": "en_UK", "LANG": "de_DE"}) == "GB"
    assert country_from_locale({"LANG": "C"}) is None
    assert normal_country(" uk ") == "GB"


def test_one_order_chooses_the_country_everywhere_help_is_offered() -> None:
    """Asked there and then, else [support] country, else the locale's, else the browser's."""
    german = {"LANG": "de_DE.UTF-8"}
    assert chosen_country("uk", "ES", german, "fr") == "GB"
    assert chosen_country(None, " es ", german, "fr") == "ES"
    assert chosen_country("", "", german, "fr") == "DE"
    assert chosen_country(None, "", {"LANG": "C.UTF-8"}, "fr") == "FR"
    assert chosen_country(None, "", {}, None) is None


def test_help_now_always_leaves_a_path_to_someone() -> None:
    support = table_from(table(TALK))
    listed = "\n".join(help_now_lines(ENGLISH, "", support.countries["GB"], support, None))
    assert "Samaritans" in listed and "call 116 123" in listed
    elsewhere = "\n".join(help_now_lines(ENGLISH, "Mum: 0123", None, support, "FR"))
    assert "Mum: 0123" in elsewhere and "https://findahelpline.com" in elsewhere
    assert "nudger has no list for FR yet." in elsewhere
