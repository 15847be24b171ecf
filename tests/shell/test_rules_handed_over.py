"""The rules (the blocklist, the catalogue's sites and the user's own) are made once per load of
the settings, by the daemon, and handed to the watcher and the browsers' companion: neither makes
its own, so the two can never watch for different things."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

from nudger.core.types import Rule
from nudger.sensing import Backend, Why
from nudger.settings.models import RuleSettings, Settings
from nudger.shell.companion import Companion
from nudger.shell.watcher import Watcher
from nudger.store import Store

SHELL = Path(__file__).resolve().parents[2] / "nudger" / "shell"
# The settings name Alex; the rules handed over name someone else: what is used must be those.
SETTINGS = Settings(blocklist=(RuleSettings(name="Alex", match=("example.org/alexdoe",)),))
HANDED = [
    Rule("blocklist", "Sam", ("Sam Roe", "example.org/samroe"), (), ()),
    Rule("site", "Example", ("example.com/",), (), ()),
]


def test_the_watcher_watches_for_the_rules_it_is_handed(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "nudger.db")
    backend = Backend("none", Why("a test"), lambda _idle: None)  # type: ignore[arg-type,return-value]
    watcher = Watcher(SETTINGS, backend, store, rules=HANDED)
    try:
        assert watcher.rule_counts() == (1, 1)
        assert watcher.settings_in_use()["rules"] == [["blocklist:Sam", "site:Example"]]
        watcher.apply(SETTINGS, HANDED[:1])
        assert watcher.rule_counts() == (0, 1)
    finally:
        store.close()


def test_the_companion_tells_the_browsers_the_rules_it_is_handed() -> None:
    sent: list[dict[str, Any]] = []

    class Relay:
        def instruct(self, message: dict[str, Any]) -> None:
            sent.append(message)

    companion = Companion(None, SETTINGS, HANDED)
    companion.relay = Relay()  # type: ignore[assignment]
    companion.tell(paused=False)
    held = [rule for rule in sent[-1]["rules"] if rule["kind"] == "blocklist"]
    assert [bool(re.search(r["regex"], "https://example.org/samroe")) for r in held] == [True]
    assert not re.search(held[0]["regex"], "https://example.org/alexdoe")


def test_in_the_shell_only_the_daemon_makes_the_rules() -> None:
    makers = set()
    for path in SHELL.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module == "nudger.settings.catalogue"
                and any(alias.name == "all_rules" for alias in node.names)
            ):
                makers.add(path.name)
    assert makers == {"daemon.py"}
