"""`nudger config ...`: create, locate, show and check the settings."""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nudger import paths
from nudger.cli.common import load_config
from nudger.core.translate import Translator
from nudger.errors import NudgerError

if TYPE_CHECKING:
    from nudger.settings.values import LoadedConfig

RULE_LISTS = ("sites", "blocklist")


def register(t: Translator, commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "config",
        help=t._("create, find, show and check the settings"),
        description=t._(
            "nudger's settings: the built-in defaults, your file, and NUDGER_* variables."
        ),
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    # Each action: its name, what it runs, its line in the list and its own help.
    for name, handler, summary, description in (
        (
            "init",
            init_config,
            t._("write a settings file with every setting explained"),
            t._(
                "Write your settings file with every setting explained and its default "
                "commented out (file mode 0600). On an existing file, add only the "
                "settings it lacks, commented out: everything you wrote (your "
                "blocklist, values and comments) is kept as it is, and the file as it "
                "was is saved beside it with the date in its name."
            ),
        ),
        (
            "path",
            show_paths,
            t._("print where the settings, data and logs are"),
            t._("Print the paths nudger uses."),
        ),
        (
            "show",
            show_config,
            t._("print the effective settings and where each came from"),
            t._(
                "Print every effective setting, with where it came from: the built-in "
                "default, your file, or an environment variable."
            ),
        ),
        (
            "check",
            check_config,
            t._("read every settings file and report problems"),
            t._(
                "Read the built-in defaults, your settings file and NUDGER_* "
                "variables. Prints the files read; on a problem, names the file, the "
                "field and the reason, and exits with code 2."
            ),
        ),
        (
            "open",
            open_config,
            t._("open the settings file with your usual program for it"),
            t._(
                "Open your settings file with the desktop's usual program for it; when there "
                "is none yet, write it first, with every setting explained."
            ),
        ),
    ):
        action = actions.add_parser(name, help=summary, description=description)
        action.set_defaults(handler=partial(handler, t))
        if name == "init":
            # Kept for old scripts: init never drops what you wrote, so there is nothing to
            # force.
            action.add_argument("--force", action="store_true", help=argparse.SUPPRESS)


def _user_file(args: argparse.Namespace) -> Path:
    explicit = getattr(args, "config", None)
    return Path(explicit).expanduser() if explicit else paths.user_config_file()


def init_config(t: Translator, args: argparse.Namespace) -> int:
    target = _user_file(args)
    _write_defaults(t, target)
    _offer_support_line(t, target)  # after the file is released: a prompt must not hold it
    return 0


def open_config(t: Translator, args: argparse.Namespace) -> int:
    from nudger.cli.summary_cmd import _open_in_browser

    target = _user_file(args)
    if not target.exists():
        _write_defaults(t, target)
    problem = _open_in_browser(t, target)
    if problem is not None:
        print(
            t._("Could not open it ({problem}); open {target} yourself.").format(
                problem=problem, target=target
            )
        )
        return 1
    return 0


def _write_defaults(t: Translator, target: Path) -> None:
    from nudger.settings.edits import defaults_file_text, edit_lock, with_missing_defaults

    with edit_lock(target):
        if not target.exists():
            paths.write_private_atomic(target, defaults_file_text())
            print(
                t._("Wrote {target} (every setting explained, defaults commented out).").format(
                    target=target
                )
            )
            return
        try:
            original = target.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise NudgerError(
                t._("{target}: cannot be read ({error}); nothing was changed").format(
                    target=target, error=error
                )
            ) from None
        merged, added = with_missing_defaults(original, str(target))
        if not added:
            print(
                t._("{target} already lists every setting; nothing was changed.").format(
                    target=target
                )
            )
            return
        backup = target.with_name(f"{target.name}.{time.strftime('%Y%m%d-%H%M%S')}.bak")
        paths.write_private_atomic(backup, original)
        paths.write_private_atomic(target, merged)
    print(
        t.ngettext(
            "Added {count} setting to {target}, commented out with its default. ",
            "Added {count} settings to {target}, commented out with their defaults. ",
            len(added),
        ).format(count=len(added), target=target)
        + t._("Everything you wrote is kept as it was.")
    )
    print(t._("The file as it was before: {backup}").format(backup=backup))


def _offer_support_line(t: Translator, target: Path) -> None:
    """In a terminal, offer once to keep a trusted person's or a counsellor's number as
    [support] line. Enter (or Ctrl-D) skips, and nothing else changes."""
    from nudger.settings.edits import UserConfig

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return
    try:
        if UserConfig(target).support_line():
            return
    except NudgerError:
        return  # the file has its own problem; `config check` will say
    print()
    print(t._("Is there someone you trust, or a counsellor, you would like nudger to show you"))
    print(t._("on a hard day? A name and a number is enough. (Enter skips.)"))
    try:
        answer = input("> ").strip()
    except (EOFError, KeyboardInterrupt):
        answer = ""
    if not answer:
        print(t._('Skipped. You can add it any time as [support] line = "..." in the file.'))
        return
    try:
        _save_support_line(target, answer)
    except NudgerError as error:
        print(t._("Not saved: {error}").format(error=error.in_language(t)))
        return
    print(t._("Kept. It shows once on a hard day, and in `nudger help-now`."))


def _save_support_line(target: Path, line: str) -> None:
    from nudger.settings.edits import UserConfig, edit_lock

    with edit_lock(target):
        config = UserConfig(target)
        config.set_support_line(line)
        config.save()


def show_paths(t: Translator, args: argparse.Namespace) -> int:
    print(t._("settings:  {user_file}").format(user_file=_user_file(args)))
    print(t._("data:      {data_dir}").format(data_dir=paths.data_dir()))
    print(t._("database:  {database_file}").format(database_file=paths.database_file()))
    print(t._("logs:      {log_dir}").format(log_dir=paths.log_dir()))
    return 0


def _source(loaded: LoadedConfig, section: str, key: str | None) -> str:
    from nudger.settings.models import ENV_DELIMITER, ENV_PREFIX

    names = [ENV_PREFIX + section.upper()]
    if key is not None:
        names.insert(0, ENV_PREFIX + section.upper() + ENV_DELIMITER + key.upper())
    for name in names:
        if name in loaded.env_keys:
            return f"environment variable {name}"
    user = loaded.user_data.get(section)
    if key is None and user is not None:
        return str(loaded.user_file)
    if isinstance(user, dict) and key in user:
        return str(loaded.user_file)
    return "built-in default"


def show_config(t: Translator, args: argparse.Namespace) -> int:
    import tomlkit

    loaded = load_config(args)
    settings = loaded.settings
    document = tomlkit.document()
    document.add(
        tomlkit.comment(t._("Every effective setting, and where it came from. What is shown"))
    )
    document.add(tomlkit.comment(t._("here can be copied into your settings file as it is.")))
    for section in _names(settings):
        if section in RULE_LISTS:
            continue
        table = tomlkit.table()
        values = getattr(settings, section)
        for key in _names(values):
            value = getattr(values, key)
            if key == "own":  # [[messages.own]]: the user's own texts
                rows = tomlkit.aot()
                for entry in value:
                    rows.append({k: _file_form(v) for k, v in dataclasses.asdict(entry).items()})
                if value:
                    table.add(key, rows)
                continue
            item = tomlkit.item(_file_form(value))
            item.comment(_source(loaded, section, key))
            table.add(key, item)
        document.add(tomlkit.nl())
        document.add(section, table)
    for section in RULE_LISTS:
        entries = getattr(settings, section)
        document.add(tomlkit.nl())
        if not entries:
            document.add(tomlkit.comment(t._("no {section} of your own").format(section=section)))
            continue
        document.add(tomlkit.comment(f"{section}: from {_source(loaded, section, None)}"))
        rows = tomlkit.aot()
        for entry in entries:
            rows.append(
                {key: _file_form(value) for key, value in dataclasses.asdict(entry).items()}
            )
        document.add(section, rows)
    print(tomlkit.dumps(document), end="")
    return 0


def _names(section: object) -> list[str]:
    return [field.name for field in dataclasses.fields(section)]  # type: ignore[arg-type]


def _file_form(value: object) -> object:
    """A setting as it is written in the settings file, so the output can be pasted there."""
    import datetime as dt

    from nudger.settings.values import QuietHours

    if value is None:
        return ""  # "no quiet hours", "no evening summary": the file says it with ""
    if isinstance(value, QuietHours):
        return f"{_clock(value.start)}-{_clock(value.end)}"
    if isinstance(value, dt.time):
        return _clock(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, tuple):
        return [_file_form(item) for item in value]
    return value


def _clock(moment: object) -> str:
    text = f"{moment:%H:%M:%S}"
    return text.removesuffix(":00")


def check_config(t: Translator, args: argparse.Namespace) -> int:
    from nudger.settings.catalogue import check_builtin_sites

    loaded = load_config(args)
    check_builtin_sites()  # the catalogue is part of the configuration too
    from nudger.core.printable import printable

    print(t._("Settings are fine. Read, in order:"))
    for source in loaded.files_read:
        print(f"  {printable(source)}")
    if not loaded.user_file.exists():
        print(
            t._("  (no settings file of your own at {printable})").format(
                printable=printable(str(loaded.user_file))
            )
        )
    for key in loaded.env_keys:
        print(t._("  environment variable {printable}").format(printable=printable(key)))
    settings = loaded.settings
    entries = t.ngettext(
        "{count} blocklist entry", "{count} blocklist entries", len(settings.blocklist)
    )
    sites = t.ngettext("{count} site of your own", "{count} sites of your own", len(settings.sites))
    print(
        t._("{entries}, {sites}.").format(
            entries=entries.format(count=len(settings.blocklist)),
            sites=sites.format(count=len(settings.sites)),
        )
    )
    return 0
