"""`nudger browser install|status|uninstall|extension-dir`: the browser companion's set-up."""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nudger.cli.common import user_file
from nudger.core.translate import Translator

if TYPE_CHECKING:
    from nudger.browser.install import Browser, Installer
    from nudger.browser.sandboxed import Packaged


def register(t: Translator, commands: Any) -> None:
    from nudger.browser.install import BROWSER_NAMES

    parser: argparse.ArgumentParser = commands.add_parser(
        "browser",
        help=t._(
            "connect nudger to your browsers (the exact page, and a pause before a page on "
            "your blocklist)"
        ),
        description=t._(
            "Set up nudger's browser companion: an extension that tells nudger, on "
            "this computer only, which page is in front, and holds a page on your "
            "blocklist back for a slow breath before it opens."
        ),
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    install = actions.add_parser(
        "install",
        help=t._("let your browsers talk to nudger, and say how to add the extension"),
        description=t._(
            "Write the small files that let each browser start nudger's host, then "
            "print how to add the extension. Without --browser, every browser "
            "found here."
        ),
    )
    install.add_argument(
        "--browser",
        action="append",
        choices=BROWSER_NAMES,
        metavar="NAME",
        help=t._("only this browser (may be given more than once): {join}").format(
            join=", ".join(BROWSER_NAMES)
        ),
    )
    install.set_defaults(handler=partial(run, t), browser_action="install")
    for action, text in (
        ("status", t._("say which browsers can reach nudger, and when each last spoke")),
        ("uninstall", t._("remove what `nudger browser install` wrote")),
        (
            "extension-dir",
            t._("print the extension's folder (for Load unpacked, or --load-extension)"),
        ),
    ):
        sub = actions.add_parser(action, help=text, description=text[0].upper() + text[1:] + ".")
        sub.set_defaults(handler=partial(run, t), browser_action=action)


def installer(settings_file: Path | None = None) -> Installer:
    """The installer; `settings_file` (--config) is the one the host's launcher names."""
    import os

    from nudger import paths
    from nudger.browser.install import Installer

    env = {**os.environ, "NUDGER_CONFIG": str(settings_file)} if settings_file else None
    return Installer(Path.home(), paths.data_dir() / "browser", env=env)


def run(t: Translator, args: argparse.Namespace) -> int:
    from nudger.browser.install import extension_dir

    if args.browser_action == "extension-dir":
        print(extension_dir())
        return 0
    if args.browser_action == "status":
        return print_status(t, settings_file=user_file(args))
    chosen = installer(user_file(args))
    if args.browser_action == "uninstall":
        from nudger.cli.promise_cmd import ask_to_wait

        if ask_to_wait(t, args, "browser_off"):  # a promise runs: this waits its cool-off
            return 0
        removed = chosen.uninstall() + _uninstall_packaged(chosen)
        for location in removed:
            print(t._("Removed {location}").format(location=location))
        if not removed:
            print(t._("Nothing to remove: nudger's browser host was not installed."))
        else:
            print(t._("The extension itself stays in each browser until you remove it there."))
        return 0
    return _install(t, args, chosen)


def _install(t: Translator, args: argparse.Namespace, chosen: Installer) -> int:
    from nudger.browser.install import browser_named

    browsers = [browser_named(name) for name in args.browser] if args.browser else chosen.found()
    packaged = [p for p in _packaged(chosen) if not args.browser or p.browser.name in args.browser]
    if not browsers and not packaged:
        print(t._("No browser found here. Name one: nudger browser install --browser chromium"))
        print(t._("  (nudger knows {join})").format(join=", ".join(b.name for b in _all())))
        return 1
    for place in chosen.install(browsers):
        where = place.manifest
        key = f" (registry: HKEY_CURRENT_USER\\{place.registry_key})" if place.registry_key else ""
        print(
            t._("{label}: nudger's host is installed: {where}{key}").format(
                label=place.browser.label, where=where, key=key
            )
        )
    for one in packaged:
        for line in _set_up_packaged(t, chosen, one):
            print(line)
    print()
    print(t._("Now add the extension to each browser, once:"))
    portal = [p.browser for p in packaged if p.way == "portal"]
    for browser in dict.fromkeys([*browsers, *portal]):
        for line in _how_to_add(t, browser, chosen):
            print(f"  {line}")
    for one in packaged:
        if one.way == "wrapper":
            print("  " + _how_to_add_in_flatpak(t, chosen, one))
    print()
    print(t._("Then `nudger browser status` says when each browser last spoke to nudger."))
    return 0


def _packaged(chosen: Installer) -> list[Packaged]:
    """The Flatpak and Snap browsers here (Linux only)."""
    from nudger.browser import sandboxed

    return sandboxed.found(chosen.home) if chosen.platform == "linux" else []


def _set_up_packaged(t: Translator, chosen: Installer, packaged: Packaged) -> list[str]:
    """Set up a Flatpak or Snap browser where a way works, and say what was done, or what to
    use instead."""
    from nudger.browser import sandboxed

    where = sandboxed.install(chosen, packaged)
    if where is None:
        return [_no_way(t, packaged)]
    if packaged.way == "portal":
        return [
            t._(
                "{label}: nudger's host is installed: {where}. The Snap reaches it through your "
                "desktop's WebExtensions portal; the first time, your desktop asks whether "
                "Firefox may start it: choose Allow."
            ).format(label=packaged.label, where=where)
        ]
    lines = [
        t._(
            "{label}: nudger's host is installed: {where}, with a small wrapper, {wrapper}, that "
            "starts nudger outside the Flatpak sandbox (flatpak-spawn --host)."
        ).format(
            label=packaged.label,
            where=where,
            wrapper=sandboxed.wrapper_path(chosen, packaged),
        )
    ]
    if sandboxed.may_leave_sandbox(chosen.home, packaged.app):
        lines.append(
            "    "
            + t._("{label} already has the permission that needs (talk-name={name}).").format(
                label=packaged.label, name=sandboxed.FLATPAK_TALK
            )
        )
    else:
        lines.append("    " + _permission_needed(t, packaged))
    return lines


def _how_to_add_in_flatpak(t: Translator, chosen: Installer, packaged: Packaged) -> str:
    from nudger.browser.sandboxed import extension_copy_path

    return t._(
        '{label}: open {page}, switch on "Developer mode", press "Load unpacked" and choose '
        "{folder} (a copy of the extension inside the browser's own folder, where its sandbox "
        "can see it)"
    ).format(
        label=packaged.label,
        page=packaged.browser.extensions_page,
        folder=extension_copy_path(chosen, packaged),
    )


def _permission_needed(t: Translator, packaged: Packaged) -> str:
    from nudger.browser.sandboxed import FLATPAK_TALK

    return t._(
        "Flatpak lets the browser do that only with a permission you give it, which lets it "
        "start any program on this computer as you. To give it: flatpak override --user "
        "--talk-name={name} {app} (to take it back: flatpak override --user --no-talk-name={name} "
        "{app})"
    ).format(name=FLATPAK_TALK, app=packaged.app)


def _no_way(t: Translator, packaged: Packaged) -> str:
    """One plain sentence: this packaged browser cannot start nudger's host, and what instead."""
    if packaged.kind == "snap":
        return t._(
            "{label}: cannot start nudger's host, as the snap starts no program from outside "
            "it; for the exact page, use Firefox (its Snap works) or Chromium from your "
            "distribution's packages or Flathub; until then nudger counts this browser's pages "
            "by their window titles."
        ).format(label=packaged.label)
    return t._(
        "{label}: no supported way lets it start nudger's host yet; for the exact page, use "
        "Firefox from your distribution's packages, mozilla.org or its Snap; until then nudger "
        "counts this browser's pages by their window titles."
    ).format(label=packaged.label)


def _uninstall_packaged(chosen: Installer) -> list[str]:
    from nudger.browser import sandboxed

    return [str(path) for one in _packaged(chosen) for path in sandboxed.uninstall(chosen, one)]


def _print_packaged_status(t: Translator, chosen: Installer, indent: str) -> None:
    from nudger.browser import sandboxed

    for one in _packaged(chosen):
        if one.way == "none":
            state = _no_way(t, one)
        elif not sandboxed.is_installed(chosen, one):
            state = t._("{label}: not set up (set it up: nudger browser install)").format(
                label=one.label
            )
        elif one.way == "portal":
            state = t._(
                "{label}: set up; it reaches nudger's host through the desktop's WebExtensions "
                "portal"
            ).format(label=one.label)
        elif sandboxed.may_leave_sandbox(chosen.home, one.app):
            state = t._(
                "{label}: set up; it starts nudger's host outside its sandbox with "
                "flatpak-spawn --host"
            ).format(label=one.label)
        else:
            state = (
                t._("{label}: set up, but it may not leave its sandbox yet.").format(
                    label=one.label
                )
                + " "
                + _permission_needed(t, one)
            )
        print(f"{indent}{state}")


def _all() -> tuple[Browser, ...]:
    from nudger.browser.install import BROWSERS

    return BROWSERS


def _how_to_add(t: Translator, browser: Browser, chosen: Installer) -> list[str]:
    """The steps, one paragraph per way, each a whole sentence for translators."""
    from nudger.browser.install import FIREFOX_ADDON_PAGE, extension_dir

    if browser.family == "firefox":
        if FIREFOX_ADDON_PAGE is not None:
            signed = t._("{label}: add the signed add-on from {page}").format(
                label=browser.label, page=FIREFOX_ADDON_PAGE
            )
        else:
            signed = t._(
                "{label}: the signed add-on, which stays after a restart, is not on "
                "addons.mozilla.org yet; once it is, `nudger browser install` says where. "
                "Until then:"
            ).format(label=browser.label)
        return [
            signed,
            "    "
            + t._(
                "Firefox ESR, Developer Edition and Nightly: open about:config and set "
                "xpinstall.signatures.required to false; then open about:addons, press the gear, "
                'choose "Install Add-on From File..." and pick {package}'
            ).format(package=chosen.firefox_package),
            "    "
            + t._(
                'Firefox (release) takes only signed add-ons: open about:debugging, choose "This '
                'Firefox", press "Load Temporary Add-on..." and pick {manifest} (it stays until '
                "Firefox restarts)."
            ).format(manifest=extension_dir() / "manifest.json"),
        ]
    return [
        t._(
            '{label}: open {page}, switch on "Developer mode", press "Load unpacked" and choose '
            "{folder}"
        ).format(label=browser.label, page=browser.extensions_page, folder=extension_dir())
    ]


def print_status(t: Translator, *, indent: str = "", settings_file: Path | None = None) -> int:
    """Which browsers have the host, and when each one's extension last spoke. 0 when at least
    one browser is connected."""
    from nudger import paths
    from nudger.browser.host import NAME
    from nudger.shell.instance import is_locked, read_status

    chosen = installer(settings_file)
    data_dir = paths.data_dir()
    status = read_status(data_dir) if is_locked(data_dir) else None
    heard = _heard_from(status.browsers if status else ())
    any_installed = False
    for place, manifest in chosen.installed():
        browser = place.browser
        if manifest is None or manifest.get("name") != NAME:
            if browser.name in heard:
                # Heard since the daemon started, but its host is not set up now: uninstalled
                # while the browser ran. The running host goes when the browser closes.
                print(
                    t._("{indent}{label}: not set up (set it up: nudger browser install)").format(
                        indent=indent, label=browser.label
                    )
                )
            continue
        any_installed = True
        if not chosen.launcher_is_current() or manifest != chosen.manifest_for(browser):
            state = t._("its host files are out of date; run `nudger browser install` again")
        elif status is None:
            state = t._("host installed; nudger is not running, so nothing hears the extension")
        elif browser.name in heard:
            state = _contact_state(t, heard[browser.name])
        else:
            # A browser that has just started takes a few seconds to start its extension.
            state = t._(
                "host installed; the extension has not spoken yet (a browser that has just "
                "started takes a few seconds; otherwise, is the extension added and on, and did "
                "you agree on its first page?)"
            )
        print(f"{indent}{browser.label}: {state}")
    _print_packaged_status(t, chosen, indent)
    if not any_installed and not heard:
        print(
            t._("{indent}No browser is set up. Set them up: nudger browser install").format(
                indent=indent
            )
        )
    return 0 if any(contact.get("connected") for contact in heard.values()) else 1


def _heard_from(contacts: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The newest word from each browser, by its name in `nudger browser install --browser`."""
    from nudger.browser.install import browser_of_process

    heard: dict[str, dict[str, Any]] = {}
    for contact in contacts:
        browser = browser_of_process(str(contact.get("browser", "")))
        if browser is None:
            continue
        newest = heard.get(browser.name)
        if newest is None or float(contact.get("last_seen", 0)) > float(newest["last_seen"]):
            heard[browser.name] = contact
    return heard


def _contact_state(t: Translator, contact: dict[str, Any]) -> str:
    ago = _ago(t, time.time() - float(contact.get("last_seen", 0)))
    if not contact.get("connected"):
        if _still_open(contact):
            return t._(
                "the extension last spoke {ago}, and the browser is still open: the extension "
                "is off or removed (switch it on again in the browser's extensions page)"
            ).format(ago=ago)
        return t._(
            "host installed; the extension last spoke {ago}, and the browser has closed"
        ).format(ago=ago)
    state = t._("connected; the extension last spoke {ago}").format(ago=ago)
    holding = contact.get("holding")
    if contact.get("site_access") is False:
        return state + t._(
            "; the pause is off: the extension may not access websites, so a page can show "
            "before the pause comes (in about:addons, open nudger companion, Permissions, and "
            "switch on access to all websites); pages are still counted"
        )
    if holding == 0:
        state += t._("; it holds no page back (nothing to pause before, or nudger is paused)")
    elif isinstance(holding, int):
        state += t.ngettext(
            "; it pauses before {count} address", "; it pauses before {count} addresses", holding
        ).format(count=holding)
    only_counted = contact.get("only_counted")
    if isinstance(only_counted, int) and only_counted > 0:
        state += t.ngettext(
            "; {count} more address is beyond what the browser can hold back: it is only counted",
            "; {count} more addresses are beyond what the browser can hold back: they are only "
            "counted",
            only_counted,
        ).format(count=only_counted)
    return state


def _still_open(contact: dict[str, Any]) -> bool:
    """Whether the browser that spoke is still running (its host gone: the extension is off)."""
    import psutil

    from nudger.browser.install import browser_of_process

    try:
        process = psutil.Process(int(contact.get("browser_pid", 0)))
        name = process.name()
    except (psutil.Error, ValueError, TypeError):
        return False
    return browser_of_process(name) is not None


def _ago(t: Translator, seconds: float) -> str:
    seconds = max(0.0, seconds)
    if seconds < 90:
        return t._("{seconds} s ago").format(seconds=f"{seconds:.0f}")
    if seconds < 5400:
        return t._("{minutes} min ago").format(minutes=f"{seconds / 60:.0f}")
    return t._("{hours} h ago").format(hours=f"{seconds / 3600:.1f}")
