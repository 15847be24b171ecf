"""Editing the user's config file from the command line, with tomlkit.

Comments, order and formatting of everything not edited survive byte for byte. Every edit is
validated as a whole config before it is written, and the write is atomic (a private temporary
file, then a rename), so a bad edit leaves the file exactly as it was and the running daemon
never sees half a file.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

import tomlkit
from tomlkit.items import AoT, Array, Comment, Table, Whitespace

from nudger.core.translate import N_, Said
from nudger.errors import ConfigError
from nudger.oslock import FileLock, Locked
from nudger.paths import builtin_config, make_dirs, read_regular_file, write_private_atomic
from nudger.settings import loader as settings_module
from nudger.settings.values import Settings

RuleKind = Literal["blocklist", "sites"]
# How long an edit waits for another edit of the same file to finish.
EDIT_LOCK_SECONDS = 30.0

INIT_HEADER = """\
# Your nudger settings.
#
# Every setting is here with its built-in default, commented out. To change one, remove the "# "
# in front of it and edit the value. Anything left commented keeps the built-in default, even
# when a later version of nudger improves it. Check your changes with `nudger config check`.
#
# Blocklist entries and sites are easiest to manage with `nudger block ...` and
# `nudger sites ...`, which keep this file's comments and layout as they are.

"""

NEW_FILE_HEADER = """\
# nudger settings: your own. Only what you set here differs from the built-in defaults;
# `nudger config init` writes a file with every setting explained.
"""


@contextlib.contextmanager
def edit_lock(path: Path) -> Iterator[None]:
    """Hold the settings file for one read, check and write, so that parallel edits (twenty
    `nudger block add` at once) each see the one before and none is lost."""
    make_dirs(path.parent)
    lock = FileLock(path.with_name(f".{path.name}.lock"))
    try:
        lock.acquire(timeout=EDIT_LOCK_SECONDS)
    except Locked:
        raise ConfigError(
            str(path),
            "(file)",
            Said(N_("another nudger command has been editing it for 30 s; try again")),
        ) from None
    try:
        yield
    finally:
        lock.release()


class UserConfig:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.existed = path.exists()
        try:
            self.original = read_regular_file(path).decode("utf-8-sig") if self.existed else ""
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            raise ConfigError(
                str(path), "(file)", Said(N_("cannot be read: {reason}"), {"reason": reason})
            ) from None
        try:
            self.doc = (
                tomlkit.parse(self.original) if self.existed else tomlkit.parse(NEW_FILE_HEADER)
            )
        except tomlkit.exceptions.ParseError as error:
            raise ConfigError(
                str(path),
                Said(N_("line {line}, column {column}"), {"line": error.line, "column": error.col}),
                Said(N_("this is not valid TOML; fix it first")),
            ) from None

    # -- reading ------------------------------------------------------------------------------

    def rules(self, kind: RuleKind) -> list[Table]:
        found = self.doc.get(kind)
        return list(found) if isinstance(found, AoT) else []

    def find(self, kind: RuleKind, name: str) -> tuple[int, Table] | None:
        wanted = name.strip().casefold()
        for index, table in enumerate(self.rules(kind)):
            if str(table.get("name", "")).strip().casefold() == wanted:
                return index, table
        return None

    # -- editing ------------------------------------------------------------------------------

    def add_rule(
        self, kind: RuleKind, name: str, match: Sequence[str], apps: Sequence[str]
    ) -> None:
        if self.find(kind, name) is not None:
            command = "block edit" if kind == "blocklist" else "sites remove"
            raise ConfigError(
                str(self.path),
                kind,
                Said(
                    N_('an entry named "{name}" already exists (see `nudger {command}`)'),
                    {"name": name, "command": command},
                ),
            )
        table = tomlkit.table()
        table["name"] = name
        table["match"] = _array(match)
        table["apps"] = _array(apps)
        table.add(tomlkit.nl())  # a blank line before whatever follows
        existing = self.doc.get(kind)
        if isinstance(existing, AoT):
            existing.append(table)
        else:
            if self.doc.as_string() and not self.doc.as_string().endswith("\n\n"):
                self.doc.add(tomlkit.nl())  # keep the new section apart from what came before
            self.doc.append(kind, tomlkit.aot())
            self.doc[kind].append(table)

    def remove_rule(self, kind: RuleKind, name: str) -> str:
        found = self.find(kind, name)
        if found is None:
            raise ConfigError(
                str(self.path), kind, Said(N_('there is no entry named "{name}"'), {"name": name})
            )
        index, table = found
        removed = str(table["name"])
        aot = self.doc[kind]
        del aot[index]
        if not len(aot):
            del self.doc[kind]
        return removed

    def edit_rule(
        self,
        kind: RuleKind,
        name: str,
        *,
        rename: str | None = None,
        match: Sequence[str] | None = None,
        add_match: Sequence[str] = (),
        remove_match: Sequence[str] = (),
        apps: Sequence[str] | None = None,
        add_apps: Sequence[str] = (),
        remove_apps: Sequence[str] = (),
    ) -> None:
        found = self.find(kind, name)
        if found is None:
            raise ConfigError(
                str(self.path), kind, Said(N_('there is no entry named "{name}"'), {"name": name})
            )
        _index, table = found
        if rename is not None:
            other = self.find(kind, rename)
            if other is not None and other[1] is not table:
                raise ConfigError(
                    str(self.path),
                    kind,
                    Said(N_('an entry named "{rename}" already exists'), {"rename": rename}),
                )
            table["name"] = rename
        _edit_list(
            table, "match", replace=match, add=add_match, remove=remove_match, path=self.path
        )
        _edit_list(table, "apps", replace=apps, add=add_apps, remove=remove_apps, path=self.path)

    def set_site_enabled(self, name: str, enabled: bool) -> bool:
        """Switch a site on or off in [catalogue] disabled. True if anything changed."""
        catalogue = self.doc.get("catalogue")
        if not isinstance(catalogue, Table):
            catalogue = tomlkit.table()
            self.doc.append("catalogue", catalogue)
        disabled = catalogue.get("disabled")
        if not isinstance(disabled, Array):
            disabled = _array([])
            catalogue["disabled"] = disabled
        present = [i for i, item in enumerate(disabled) if str(item).casefold() == name.casefold()]
        if enabled and present:
            for index in reversed(present):
                del disabled[index]
            return True
        if not enabled and not present:
            disabled.append(name)
            return True
        return False

    def support_line(self) -> str:
        support = self.doc.get("support")
        return str(support.get("line", "")) if isinstance(support, Table) else ""

    def set_support_line(self, line: str) -> None:
        if not isinstance(self.doc.get("support"), Table):
            self.doc["support"] = tomlkit.table()
        self.doc["support"]["line"] = line

    # -- saving -------------------------------------------------------------------------------

    def text(self) -> str:
        return tomlkit.dumps(self.doc)

    def validate(self) -> Settings:
        """The settings this file would give, or ConfigError naming the field. Writes nothing."""
        data: dict[str, Any] = tomlkit.parse(self.text()).unwrap()
        return settings_module.load_from(data, self.path).settings

    def save(self) -> Settings:
        settings = self.validate()
        write_private_atomic(self.path, self.text())
        return settings


def defaults_file_text() -> str:
    """The built-in defaults, every explanation kept and every value commented out.

    Commented out rather than copied, so a later nudger with better defaults still applies them
    to everything you have not changed yourself.
    """
    with builtin_config("nudger.toml").open("r", encoding="utf-8") as handle:
        source = tomlkit.parse(handle.read())
    out = tomlkit.parse(INIT_HEADER)
    for key, item in source.body:
        if key is not None and isinstance(item, Table):  # the built-in file's own header is skipped
            out.add(key.key, _commented_table(item))
    return tomlkit.dumps(out)


def with_missing_defaults(text: str, label: str) -> tuple[str, list[str]]:
    """`text` (a settings file) with every setting it lacks added, commented out and explained.

    Nothing the person wrote is removed or changed: their values, entries, comments and layout
    stay byte for byte; what is missing is added after it. Returns the new text and the names
    of the settings added. Raises ConfigError when `text` is not TOML.
    """
    try:
        document = tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as error:
        raise ConfigError(
            label,
            Said(N_("line {line}, column {column}"), {"line": error.line, "column": error.col}),
            Said(N_("this is not valid TOML; fix it first")),
        ) from None
    with builtin_config("nudger.toml").open("r", encoding="utf-8") as handle:
        source = tomlkit.parse(handle.read())
    added: list[str] = []
    for key, item in source.body:
        if key is None or not isinstance(item, Table):
            continue
        section = key.key
        own = document.get(section)
        if own is None:
            if not document.as_string().endswith("\n\n"):
                document.add(tomlkit.nl())
            document.add(section, _commented_table(item))
            added += [f"{section}.{k.key}" for k, _ in item.value.body if k is not None]
        elif isinstance(own, Table) and not own.is_super_table():
            added += _add_missing_keys(own, item, section)
        # A section written inline or as dotted keys cannot hold comments: left as it is.
    return tomlkit.dumps(document), added


def _add_missing_keys(own: Table, defaults: Table, section: str) -> list[str]:
    added: list[str] = []
    explanation: list[Comment] = []
    # A setting shown commented out ("# poll_seconds = 1.0") is there already, just not set.
    mentioned = {
        line.split("=", 1)[0].lstrip("#").strip()
        for _, item in own.value.body
        if isinstance(item, Comment)
        for line in [item.as_string().strip()]
        if "=" in line
    }
    for key, item in defaults.value.body:
        if isinstance(item, Comment):
            explanation.append(item)
            continue
        if key is not None and key.key not in own and key.key not in mentioned:
            if not added:
                own.add(tomlkit.nl())
                own.add(tomlkit.comment("Added by `nudger config init`, with their defaults:"))
            for line in explanation:
                own.add(line)
            value = tomlkit.item(item.unwrap()).as_string()
            own.add(tomlkit.comment(f"{key.key} = {value}"))
            added.append(f"{section}.{key.key}")
        explanation = []
    return added


def _commented_table(table: Table) -> Table:
    result = tomlkit.table()
    for key, item in table.value.body:
        if isinstance(item, Comment | Whitespace):
            result.add(item)
        elif key is not None:
            value = tomlkit.item(item.unwrap()).as_string()
            result.add(tomlkit.comment(f"{key.key} = {value}"))
    return result


def _array(values: Sequence[str]) -> Array:
    array = tomlkit.array()
    array.extend(values)
    return array


def _edit_list(
    table: Table,
    key: str,
    *,
    replace: Sequence[str] | None,
    add: Sequence[str],
    remove: Sequence[str],
    path: Path,
) -> None:
    if replace is None and not add and not remove:
        return
    current = [str(v) for v in table.get(key, [])] if replace is None else list(replace)
    for value in remove:
        if value not in current:
            raise ConfigError(
                str(path),
                f"{key}",
                Said(N_('"{value}" is not one of {current}'), {"value": value, "current": current}),
            )
        current.remove(value)
    current += [value for value in add if value not in current]
    table[key] = _array(current)
