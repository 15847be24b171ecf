"""If-then plans: what may be kept, decided by the core's matching."""

from __future__ import annotations

from nudger.core.plans import MAX_PLAN_CHARS, names_blocklist, problem_with, tidy
from nudger.core.types import Rule

JAMIE = Rule("blocklist", "Jamie", match=("Jamie Rivers", "@jamie.r", "instagram.com/jamie.rivers"))
SITE = Rule("site", "Instagram", match=("Instagram",))


def test_a_plan_in_plain_words_is_kept() -> None:
    plan = "If it's late and I feel lonely, then I write in my notebook."
    assert problem_with(plan, [JAMIE, SITE]) is None


def test_a_plan_naming_a_blocklist_entry_by_name_pattern_or_address_is_refused() -> None:
    for plan in (
        "If I miss Jamie, then I call my sister.",
        "If I think of jamie rivers, then I go for a walk.",
        "If I want to look at @jamie.r, then I breathe.",
        "If I type instagram.com/jamie.rivers/ then I close the laptop.",
    ):
        assert problem_with(plan, [JAMIE]) == "on_blocklist", plan


def test_only_whole_words_count_and_sites_are_not_people() -> None:
    assert not names_blocklist("If I feel like Jamieson's bakery, then I go.", [JAMIE])
    assert not names_blocklist("If I open Instagram, then I put the phone down.", [SITE])


def test_empty_and_overlong_plans_are_refused_and_lines_become_one() -> None:
    assert problem_with(tidy("   \n "), []) == "empty"
    assert problem_with("x" * (MAX_PLAN_CHARS + 1), []) == "too_long"
    assert tidy("If late,\n  then\tread.") == "If late, then read."
