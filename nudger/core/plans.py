"""If-then plans ("If it's late and I feel lonely, then I write in my notebook."): the rules for
what may be kept. A plan is shown in the summary and the report in the person's words, never in a
notification (a plan may be about people, and notifications are seen by others); so a plan that
names someone or something on the blocklist is refused, by the same matching that counts visits.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Literal

from nudger.core.matching import Matcher
from nudger.core.printable import printable
from nudger.core.types import Rule, Window

# Long enough for "If ..., then ..." with some detail; short enough to read at a glance.
MAX_PLAN_CHARS = 300

PlanProblem = Literal["empty", "too_long", "on_blocklist"]


def tidy(text: str) -> str:
    """One line, as typed: runs of spaces and line breaks become one space, and characters that
    would move a terminal's cursor are shown instead of obeyed."""
    return printable(" ".join(text.split()))


def problem_with(text: str, blocklist: Iterable[Rule]) -> PlanProblem | None:
    """Why `text` (already tidied) cannot be kept as a plan, or None when it can."""
    if not text:
        return "empty"
    if len(text) > MAX_PLAN_CHARS:
        return "too_long"
    if names_blocklist(text, blocklist):
        return "on_blocklist"
    return None


def names_blocklist(text: str, blocklist: Iterable[Rule]) -> bool:
    """Whether any blocklist entry's name or pattern is in `text`, as a title or as an address.

    The entry's name counts as one more plain pattern: "Jamie" is a name even when the entry
    matches only "@jamie.r"."""
    rules = [
        dataclasses.replace(rule, match=(*rule.match, rule.name), apps=())
        for rule in blocklist
        if rule.kind == "blocklist"
    ]
    if not rules:
        return False
    matcher = Matcher(rules, browsers=())
    if matcher.match(Window(app="", title=text)):
        return True
    # Words that look like addresses ("instagram.com/jamie") are matched as a page's address.
    for word in text.split():
        if "." in word.strip(".,;:!?") or "/" in word:
            url = word if "://" in word else f"https://{word.strip('.,;:!?')}"
            if matcher.match(Window(app="", title="", url=url)):
                return True
    return False
