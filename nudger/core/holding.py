"""Which pages the browser holds back for a breath, and which it only counts: decided here once.

The daemon's companion tells the browsers what `holding` returns; `nudger block test` asks
`held_back`; the extension decides the same in its holding.js. One table of cases
(tests/core/holding_cases.json) runs through both, as the address patterns' table does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import re2

from nudger.core.addresses import PausePlan, browser_form


@dataclass(frozen=True, slots=True)
class Holding:
    """What the browsers hold back: the packed rules they redirect to the pause, and how many
    addresses (beyond the browsers' limits) they only count."""

    rules: tuple[dict[str, object], ...]
    only_counted: int


NOTHING = Holding((), 0)


def holding(plan: PausePlan, *, pause_seconds: float, paused: bool) -> Holding:
    """A breath of no length holds nothing back, and neither does a paused nudger: a pause
    must quiet the browser too. Otherwise the plan's rules stand, and what did not fit them is
    only counted (and said so)."""
    if pause_seconds <= 0 or paused:
        return NOTHING
    return Holding(plan.rules, plan.only_counted)


def browser_rests(*, paused: bool, snoozed: bool, promised: bool) -> bool:
    """Whether the browser holds nothing back now. A pause (`nudger pause`) quiets it. So does
    a snooze, except while a promise runs: the promise makes every loosening wait, and the
    Snooze button must still work at once, so then it quiets the notifications only."""
    return paused or (snoozed and not promised)


def rule_holding(rules: Sequence[Mapping[str, object]], url: str) -> Mapping[str, object] | None:
    """The rule that holds `url` back, or None: on the address as the browser gives it to the
    rules (browser_form), with regard to case as the browsers apply them (the regex spells
    both cases). The extension's ruleFor (addresses.js) is its twin."""
    options = re2.Options()
    options.case_sensitive = True
    options.log_errors = False
    form = browser_form(url)
    for rule in rules:
        if re2.compile(str(rule["regex"]), options).search(form):
            return rule
    return None


def held_back(plan: PausePlan, url: str, *, pause_seconds: float, paused: bool) -> bool:
    """Whether a browser with the companion pauses before `url`."""
    told = holding(plan, pause_seconds=pause_seconds, paused=paused)
    return rule_holding(told.rules, url) is not None
