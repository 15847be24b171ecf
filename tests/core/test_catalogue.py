"""Which rules apply: the blocklist, then the built-in sites less those switched off or
replaced, then the person's own sites (nudger/core/catalogue.py)."""

from __future__ import annotations

from nudger.core.catalogue import all_rules, site_rules
from nudger.core.types import Rule

REDDIT = Rule("site", "Reddit", ("reddit",))
TIKTOK = Rule("site", "TikTok", ("tiktok",))
OWN_REDDIT = Rule("site", "reddit", ("old.reddit",))
FORUM = Rule("site", "Forum", ("my forum",))
ALEX = Rule("blocklist", "Alex", ("alex doe",))


def test_own_sites_replace_built_in_ones_of_the_same_name_whatever_the_case() -> None:
    assert site_rules([REDDIT, TIKTOK], [OWN_REDDIT, FORUM], disabled=()) == [
        TIKTOK,
        OWN_REDDIT,
        FORUM,
    ]


def test_switched_off_sites_are_off_built_in_or_own() -> None:
    assert site_rules([REDDIT, TIKTOK], [FORUM], disabled=["tiktok", "FORUM"]) == [REDDIT]


def test_the_blocklist_comes_first() -> None:
    assert all_rules([ALEX], [REDDIT], [FORUM], disabled=()) == [ALEX, REDDIT, FORUM]
