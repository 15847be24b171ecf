"""The daemon's side of the browser companion: what the browsers are told, and when.

The relay (browser/relay.py) carries messages; this part tells the browsers what core/holding.py
decides they hold back: the pages that `[browser]` and the rules ask for, unless nudger is paused
(a pause must quiet the browser too) or `pause_seconds` is 0. They are told again whenever that
changes, and every browser that connects later hears it at once.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import psutil

from nudger.browser.install import browser_of_process
from nudger.browser.relay import BrowserRelay, Contact
from nudger.core.addresses import pause_plan
from nudger.core.feelings import Feeling
from nudger.core.holding import holding
from nudger.core.translate import N_
from nudger.core.types import Rule
from nudger.settings.values import Settings

log = logging.getLogger(__name__)


class Companion:
    def __init__(
        self, relay: BrowserRelay | None, settings: Settings, rules: Sequence[Rule]
    ) -> None:
        self.relay = relay
        self._settings = settings.browser
        self._plan = pause_plan(rules, sites=settings.browser.pause_sites)
        self._told: dict[str, Any] | None = None
        # The person's if-then plans, for the pause page only (never a notification).
        self._plans: tuple[str, ...] = ()

    @classmethod
    def open(
        cls, settings: Settings, rules: Sequence[Rule], env: Mapping[str, str] | None = None
    ) -> Companion:
        """Listen for the browsers. Without the socket nudger still runs, on windows alone."""
        try:
            relay = BrowserRelay.start(os.environ if env is None else env)
        except OSError as error:
            log.warning(
                N_("cannot listen for the browser companion: %s; watching windows only"), error
            )
            return cls(None, settings, rules)
        log.info(N_("listening for the browser companion at %s"), relay.path)
        return cls(relay, settings, rules)

    def apply(self, settings: Settings, rules: Sequence[Rule]) -> None:
        self._settings = settings.browser
        self._plan = pause_plan(rules, sites=settings.browser.pause_sites)

    def wake_on_news(self, wake: Callable[[], None]) -> None:
        """Call `wake` (from the relay's thread) whenever a browser says something or goes."""
        if self.relay is not None:
            self.relay.on_news = wake

    def know_plans(self, plans: Sequence[str]) -> None:
        """The plans to show on the pause page; the browsers hear them at the next `tell`."""
        self._plans = tuple(plans)

    def feelings(self) -> list[tuple[float, Feeling]]:
        """The taps on the pause page since the last call, as (when, answer)."""
        return [] if self.relay is None else self.relay.feelings()

    def tell(self, *, paused: bool) -> None:
        """Send the browsers what to hold back, when it differs from what they were told."""
        if self.relay is None:
            return
        message = self.message(paused=paused)
        if message != self._told:
            self._told = message
            self.relay.instruct(message)

    def message(self, *, paused: bool) -> dict[str, Any]:
        """What the browsers are told to hold back (core/holding.py decides what)."""
        held = holding(self._plan, pause_seconds=self._settings.pause_seconds, paused=paused)
        return {
            "type": "pause_rules",
            "pause_seconds": self._settings.pause_seconds,
            "pause_again_minutes": self._settings.pause_again_minutes,
            "rules": list(held.rules),
            # Addresses beyond the browsers' limits: counted, never held back (and said so).
            "only_counted": held.only_counted,
            # Shown on the pause page, in the person's words.
            "plans": list(self._plans),
        }

    def switched_off(self) -> dict[int, str]:
        """The browsers whose extension spoke and then went quiet while the browser kept
        running (switched off or removed), by process id: the name of each."""
        found: dict[int, str] = {}
        for contact in self.contacts():
            if not contact.connected and _browser_running(contact.browser_pid):
                found[contact.browser_pid] = contact.browser
        return found

    def contacts(self) -> list[Contact]:
        return [] if self.relay is None else self.relay.contacts()

    def settings_in_use(self) -> dict[str, list[object]]:
        """The [browser] settings as the browsers were last told them."""
        told = self._told or {}
        return {
            "browser.pause_seconds": [told.get("pause_seconds", self._settings.pause_seconds)],
            "browser.pause_again_minutes": [
                told.get("pause_again_minutes", self._settings.pause_again_minutes)
            ],
            "browser.pause_sites": [any(rule["kind"] == "site" for rule in self._plan.rules)],
        }

    def close(self) -> None:
        if self.relay is not None:
            self.relay.close()


def _browser_running(pid: int) -> bool:
    """A browser's main process still runs under this id (not another program that took it)."""
    try:
        name = psutil.Process(pid).name()
    except psutil.Error:
        return False
    return browser_of_process(name) is not None
