"""`nudger block ...` and `nudger sites ...`: the blocklist and the sites, without editing TOML."""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from nudger.cli.common import load_config, load_config_or_last_good, user_file
from nudger.core.printable import printable
from nudger.core.translate import N_, Translator
from nudger.errors import ConfigError
from nudger.paths import user_config_file

if TYPE_CHECKING:
    from collections.abc import Sequence

    from nudger.core.types import Rule
    from nudger.settings.edits import RuleKind, UserConfig
    from nudger.settings.values import Settings

# Marked here, translated where shown: at import the language is not chosen yet.
UNCHANGED = N_("nothing was changed")
FIX_FIRST = N_("fix that first (`nudger config check` shows it), then run this again")


def register(t: Translator, commands: Any) -> None:
    block: argparse.ArgumentParser = commands.add_parser(
        "block",
        help=t._("manage your blocklist (names, handles, profile addresses, apps)"),
        description=t._(
            "Manage the blocklist: the things that are about one person. Changes "
            "go to your settings file (its comments and layout are kept) and the "
            "running nudger picks them up within a few seconds."
        ),
    )
    actions = block.add_subparsers(dest="action", metavar="ACTION", required=True)

    add = actions.add_parser(
        "add",
        help=t._("add an entry"),
        description=t._(
            "Add a blocklist entry. Its name is for you: notifications never show it, nor a "
            "page's title, since others may see your screen."
        ),
    )
    add.add_argument("name", help=t._('a name for the entry, for example "Alex"'))
    _rule_options(t, add, required=True)
    add.set_defaults(handler=lambda a: _add(t, a, "blocklist"))

    listing = actions.add_parser(
        "list", help=t._("show the entries"), description=t._("Show the blocklist.")
    )
    listing.set_defaults(handler=partial(_list_blocklist, t))

    remove = actions.add_parser(
        "remove", help=t._("remove an entry"), description=t._("Remove a blocklist entry.")
    )
    remove.add_argument("name")
    remove.set_defaults(handler=lambda a: _remove(t, a, "blocklist"))

    edit = actions.add_parser(
        "edit",
        help=t._("change an entry"),
        description=t._(
            "Change a blocklist entry: rename it, replace its patterns or apps, or "
            "add and remove single ones."
        ),
    )
    edit.add_argument("name")
    edit.add_argument("--rename", metavar="NEW", help=t._("a new name"))
    edit.add_argument(
        "--match", action="append", metavar="TEXT", help=t._("replace all patterns (repeatable)")
    )
    edit.add_argument(
        "--add-match", action="append", default=[], metavar="TEXT", help=t._("add a pattern")
    )
    edit.add_argument(
        "--remove-match", action="append", default=[], metavar="TEXT", help=t._("remove a pattern")
    )
    edit.add_argument(
        "--app", action="append", metavar="APP", help=t._("replace all apps (repeatable)")
    )
    edit.add_argument(
        "--add-app", action="append", default=[], metavar="APP", help=t._("add an app")
    )
    edit.add_argument(
        "--remove-app", action="append", default=[], metavar="APP", help=t._("remove an app")
    )
    edit.set_defaults(handler=partial(_edit, t))

    test = actions.add_parser(
        "test",
        help=t._("check which entries and sites a window title would match, and why"),
        description=t._(
            "Show which blocklist entries and sites would match a window, and "
            "through which pattern. Without --app the title is tested as a browser "
            "tab. Exit code 0 when something matches, 1 when nothing does."
        ),
    )
    test.add_argument(
        "title",
        help=t._(
            'a window title, for example "Alex Doe (@alexdoe) • Instagram", or a '
            "page address, for example https://www.instagram.com/alexdoe/"
        ),
    )
    test.add_argument(
        "--app", help=t._("the program (process name or window class); default: a browser")
    )
    test.add_argument("--url", help=t._("the page address, where your platform provides it"))
    test.set_defaults(handler=partial(_test, t))

    sites: argparse.ArgumentParser = commands.add_parser(
        "sites",
        help=t._("list, add, remove, switch on or off social sites"),
        description=t._("Manage social sites: the built-in catalogue and your own."),
    )
    site_actions = sites.add_subparsers(dest="action", metavar="ACTION", required=True)
    site_list = site_actions.add_parser(
        "list", help=t._("show every site"), description=t._("Show every site.")
    )
    site_list.set_defaults(handler=partial(_list_sites, t))
    site_add = site_actions.add_parser(
        "add", help=t._("add a site of your own"), description=t._("Add a site.")
    )
    site_add.add_argument("name")
    _rule_options(t, site_add, required=True)
    site_add.set_defaults(handler=lambda a: _add(t, a, "sites"))
    site_remove = site_actions.add_parser(
        "remove",
        help=t._("remove a site of your own"),
        description=t._("Remove one of your own sites."),
    )
    site_remove.add_argument("name")
    site_remove.set_defaults(handler=lambda a: _remove(t, a, "sites"))
    switches = (
        ("disable", False, t._("switch a site off"), t._("Switch a site off (built-in or yours).")),
        ("enable", True, t._("switch a site on"), t._("Switch a site on (built-in or yours).")),
    )
    for verb, enabled, short, long in switches:
        switch = site_actions.add_parser(verb, help=short, description=long)
        switch.add_argument("name")
        switch.set_defaults(handler=lambda a, on=enabled: _switch_site(t, a, on))


def _rule_options(t: Translator, parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument(
        "--match",
        action="append",
        default=[],
        required=required,
        metavar="TEXT",
        help=t._('words (whole words, any case) or "re:<regex>"; repeat for more'),
    )
    parser.add_argument(
        "--app",
        action="append",
        default=[],
        metavar="APP",
        help=t._("a program's process name or window class"),
    )


@contextlib.contextmanager
def _editing(t: Translator, args: argparse.Namespace) -> Iterator[UserConfig]:
    """The settings file, held for one read, check and write (see user_config.edit_lock)."""
    from nudger.settings.edits import UserConfig, edit_lock

    path = user_file(args) or user_config_file()
    with edit_lock(path):
        try:
            load_config(args)  # refuse to edit on top of a config that is already broken
        except ConfigError as error:
            fix_first, unchanged = t._(FIX_FIRST), t._(UNCHANGED)
            raise ConfigError(
                error.source,
                t.say(error.field),
                f"{t.say(error.reason)}; {fix_first} ({unchanged})",
            ) from None
        yield UserConfig(path)


def _save(t: Translator, config: UserConfig) -> None:
    try:
        config.save()
    except ConfigError as error:
        unchanged = t._(UNCHANGED)
        raise ConfigError(
            error.source, t.say(error.field), f"{t.say(error.reason)} ({unchanged})"
        ) from None


def _promise_note(t: Translator, args: argparse.Namespace, since: float) -> None:
    """While a promise runs, what of this edit waits (the file has it; the promise holds it)."""
    from nudger.cli.promise_cmd import say_what_waits

    say_what_waits(t, args, since)


def _warn_broad(t: Translator, values: list[str]) -> None:
    from nudger.core import patterns

    for value in values:
        warning = patterns.breadth_warning(t, value) if value.strip() else None
        if warning:
            print(
                t._("nudger: warning: {warning}. Consider a fuller name or a handle.").format(
                    warning=warning
                ),
                file=sys.stderr,
            )


def _add(t: Translator, args: argparse.Namespace, kind: RuleKind) -> int:
    with _editing(t, args) as config:
        config.add_rule(kind, args.name.strip(), args.match, args.app)
        _save(t, config)
    _warn_broad(t, args.match)
    added = (
        t._('Added the blocklist entry "{name}" to {file}.')
        if kind == "blocklist"
        else t._('Added the site "{name}" to {file}.')
    )
    print(added.format(name=printable(args.name.strip()), file=printable(str(config.path))))
    return 0


def _remove(t: Translator, args: argparse.Namespace, kind: RuleKind) -> int:
    from nudger.settings.catalogue import builtin_sites

    began = time.time()
    built_in = any(site.name.casefold() == args.name.casefold() for site in builtin_sites())
    with _editing(t, args) as config:
        if kind == "sites" and config.find("sites", args.name) is None and built_in:
            raise ConfigError(
                str(config.path),
                "sites",
                t._(
                    '"{name}" is built in; switch it off with `nudger sites disable {name2}`'
                ).format(name=args.name, name2=args.name),
            )
        removed = config.remove_rule(kind, args.name)
        _save(t, config)
    print(
        t._('Removed "{printable}" from {printable2}.').format(
            printable=printable(removed), printable2=printable(str(config.path))
        )
    )
    _promise_note(t, args, began)
    return 0


def _edit(t: Translator, args: argparse.Namespace) -> int:
    began = time.time()
    with _editing(t, args) as config:
        config.edit_rule(
            "blocklist",
            args.name,
            rename=args.rename,
            match=args.match,
            add_match=args.add_match,
            remove_match=args.remove_match,
            apps=args.app,
            add_apps=args.add_app,
            remove_apps=args.remove_app,
        )
        _save(t, config)
    _warn_broad(t, [*(args.match or []), *args.add_match])
    print(
        t._('Changed "{printable}" in {printable2}.').format(
            printable=printable(args.rename or args.name), printable2=printable(str(config.path))
        )
    )
    _promise_note(t, args, began)
    return 0


def _list_blocklist(t: Translator, args: argparse.Namespace) -> int:
    entries = load_config_or_last_good(t, args).settings.blocklist
    if not entries:
        print(t._("The blocklist is empty. Add an entry with: nudger block add NAME --match TEXT"))
        return 0
    for entry in entries:
        print(printable(entry.name))
        for pattern in entry.match:
            print(t._("  match  {printable}").format(printable=printable(pattern)))
        for app in entry.apps:
            print(t._("  app    {printable}").format(printable=printable(app)))
    return 0


def _test(t: Translator, args: argparse.Namespace) -> int:
    from nudger.core.matching import Matcher, as_tested
    from nudger.sensing.base import Window
    from nudger.settings.catalogue import all_rules

    settings = load_config_or_last_good(t, args).settings
    rules = all_rules(settings)
    matcher = Matcher(rules, settings.watch.browsers)
    app = args.app or "chromium"
    title, url = args.title, args.url
    if url is None and not args.app and as_tested(title)[1] is not None:
        title, url = as_tested(title)
        print(t._("Tested as a page address, with no title."))
    elif not args.app:
        print(t._("Tested as a browser tab (use --app NAME for another program)."))
    window = Window(app=app, title=title, url=url)
    if url and _held_back(url, rules, settings):
        print(
            t._(
                "With the browser companion, this page waits for a breath before it "
                "opens (see [browser] in the settings)."
            )
        )
    if args.app and not matcher.is_browser(window):
        print(
            t._(
                "Tested as {printable}: not a browser, so only the blocklist and "
                "native apps can match."
            ).format(printable=printable(app))
        )
    explanations = matcher.explain(window)
    if not explanations:
        print(t._("Nothing matches."))
        return 1
    width = max(len(printable(e.target)) for e in explanations)
    said = {
        "title": t._("the title matches '{pattern}'"),
        "url": t._("the address matches '{pattern}'"),
        "app": t._("the program matches '{pattern}'"),
    }
    kinds = {"blocklist": t._("blocklist"), "site": t._("site")}
    kind_width = max(len(kind) for kind in kinds.values())
    for found in explanations:
        # As written in the settings, not as a Python string: no doubled backslashes.
        target, pattern = printable(found.target), printable(found.pattern)
        kind = kinds[found.kind]
        reason = said[found.signal].format(pattern=pattern)
        print(f"  {kind:<{kind_width}}  {target:<{width}}  {reason}")
    return 0


def _held_back(url: str, rules: Sequence[Rule], settings: Settings) -> bool:
    """Whether the browser companion would pause before `url`, by the very rules it is sent
    while nudger runs (core/holding.py decides, as for the browsers)."""
    from nudger.core.addresses import pause_plan
    from nudger.core.holding import held_back

    plan = pause_plan(rules, sites=settings.browser.pause_sites)
    return held_back(plan, url, pause_seconds=settings.browser.pause_seconds, paused=False)


def _list_sites(t: Translator, args: argparse.Namespace) -> int:
    from nudger.settings.catalogue import builtin_sites

    settings = load_config_or_last_good(t, args).settings
    disabled = {name.casefold() for name in settings.catalogue.disabled}
    own = {site.name.casefold(): site for site in settings.sites}
    rows = []
    for site in builtin_sites():
        origin = (
            t._("built in, replaced by yours") if site.name.casefold() in own else t._("built in")
        )
        rows.append(
            (site.name, origin, site.name.casefold() not in disabled, len(site.match), site.apps)
        )
    for site in settings.sites:
        if not any(b.name.casefold() == site.name.casefold() for b in builtin_sites()):
            rows.append(
                (
                    site.name,
                    t._("yours"),
                    site.name.casefold() not in disabled,
                    len(site.match),
                    site.apps,
                )
            )
    width = max(len(row[0]) for row in rows)
    states = {True: t._("on"), False: t._("off")}
    state_width = max(len(state) for state in states.values())
    for name, origin, enabled, count, apps in rows:
        counted = t.ngettext("{count} pattern", "{count} patterns", count).format(count=count)
        apps_text = ", " + t._("apps: {apps}").format(apps=", ".join(apps)) if apps else ""
        state = states[enabled]
        print(printable(f"{state:<{state_width}}  {name:<{width}}  {origin}; {counted}{apps_text}"))
    return 0


def _switch_site(t: Translator, args: argparse.Namespace, enabled: bool) -> int:
    from nudger.settings.catalogue import builtin_sites

    began = time.time()
    with _editing(t, args) as config:
        settings = config.validate()
        known = [s.name for s in builtin_sites()] + [s.name for s in settings.sites]
        name = next((n for n in known if n.casefold() == args.name.casefold()), None)
        if name is None:
            raise ConfigError(
                str(config.path),
                "catalogue.disabled",
                t._('there is no site named "{name}" (see `nudger sites list`)').format(
                    name=args.name
                ),
            )
        changed = config.set_site_enabled(name, enabled)
        if changed:
            _save(t, config)
    if enabled:
        said = t._("{name} is on.") if changed else t._("{name} is on already.")
    else:
        said = t._("{name} is off.") if changed else t._("{name} is off already.")
    print(said.format(name=printable(name)))
    _promise_note(t, args, began)
    return 0
