"""Putting one waiting change of a promise back into the settings file (`promise withdraw`).

The file says what the person wants; a loosening in it waits while a promise runs. To withdraw
such a change is to put the setting in force back into the file, with tomlkit, so everything
else in the file stays as written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import tomlkit
from tomlkit.items import Array, Table

from nudger.core.promise import Change
from nudger.settings.edits import RuleKind, UserConfig


def put_back(config: UserConfig, change: Change, in_force: Mapping[str, Any]) -> None:
    """Write what `in_force` says for `change` into `config` (not saved: the caller saves)."""
    if change.field in {"blocklist", "sites"}:
        _put_back_rule(config, cast("RuleKind", change.field), change, in_force)
    elif change.field == "catalogue.disabled":
        config.set_site_enabled(change.name, enabled=True)
    elif change.field == "watch.browsers":
        browsers = _list_in(_table(config, "watch"), "browsers")
        if change.name not in browsers:
            browsers.append(change.name)
    else:
        section, key = change.field.split(".", 1)
        value = in_force[section][key]
        _table(config, section)[key] = "" if value is None else value


def _put_back_rule(
    config: UserConfig, kind: RuleKind, change: Change, in_force: Mapping[str, Any]
) -> None:
    entry = next(e for e in in_force[kind] if str(e["name"]).casefold() == change.name.casefold())
    found = config.find(kind, change.name)
    if found is None:
        config.add_rule(kind, str(entry["name"]), entry.get("match", []), entry.get("apps", []))
        found = config.find(kind, change.name)
        assert found is not None  # just added
        if entry.get("profiles"):
            found[1]["profiles"] = list(entry["profiles"])
        return
    values = _list_in(found[1], change.part)
    if change.item not in values:
        values.append(change.item)


def _table(config: UserConfig, name: str) -> Table:
    table = config.doc.get(name)
    if not isinstance(table, Table):
        table = tomlkit.table()
        config.doc[name] = table
    return table


def _list_in(table: Table, key: str) -> Array:
    values = table.get(key)
    if not isinstance(values, Array):
        values = tomlkit.array()
        table[key] = values
    return values
