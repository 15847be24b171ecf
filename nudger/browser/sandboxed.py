"""Browsers installed as Flatpak or Snap packages (Linux): found from their folders, and set up
where a documented way lets them start nudger's host.

- **Snap Firefox** starts native-messaging hosts through the desktop's WebExtensions portal
  (Ubuntu 22.04 and later). The portal reads the manifest from the usual place,
  ~/.mozilla/native-messaging-hosts, and starts the host outside the snap; the first time, the
  desktop asks whether Firefox may start it. So the Snap needs the ordinary Firefox manifest.
- **Flatpak Chromium (and Chrome, Brave, Edge from Flathub)** read host manifests from their own
  config folder inside ~/.var/app/ID/, and start the host inside their sandbox, where neither
  nudger's Python nor its socket can be seen. The manifest points at a small wrapper in the
  app's own folder that runs nudger's launcher on the host with `flatpak-spawn --host`; Flatpak
  allows that only to an app given `--talk-name=org.freedesktop.Flatpak`, which the person
  grants (it lets the browser start any program as them: the CLI says so plainly).
- **Snap Chromium** knows no portal, and its confinement starts no program from outside the
  snap; **Flatpak Firefox** has neither the portal nor a way to use a wrapper that Mozilla
  supports. For these, nothing is set up; the CLI says what to use instead.

Home and the system's root are passed in, so tests build the folder layouts in a temporary home.
"""

from __future__ import annotations

import configparser
import contextlib
import json
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from nudger.browser.host import NAME
from nudger.browser.install import Browser, Installer, browser_named, extension_dir
from nudger.paths import write_private_atomic

Kind = Literal["flatpak", "snap"]
# How nudger's host reaches a packaged browser:
# "wrapper": a flatpak-spawn --host wrapper (needs the Flatpak permission);
# "portal": the WebExtensions portal, with the ordinary manifest;
# "none": no documented way.
Way = Literal["wrapper", "portal", "none"]

FLATPAK_APPS = {
    "chromium": "org.chromium.Chromium",
    "chrome": "com.google.Chrome",
    "brave": "com.brave.Browser",
    "edge": "com.microsoft.Edge",
    "firefox": "org.mozilla.firefox",
}
SNAPS = {"chromium": "chromium", "firefox": "firefox"}
FLATPAK_TALK = "org.freedesktop.Flatpak"  # the bus name flatpak-spawn --host talks to
WRAPPER = "nudger-host"


@dataclass(frozen=True, slots=True)
class Packaged:
    browser: Browser
    kind: Kind
    app: str  # the Flatpak app ID, or the snap's name
    way: Way

    @property
    def label(self) -> str:
        return f"{self.browser.label} ({'Flatpak' if self.kind == 'flatpak' else 'Snap'})"


def _way(browser: Browser, kind: Kind) -> Way:
    if kind == "snap":
        return "portal" if browser.family == "firefox" else "none"
    return "wrapper" if browser.family == "chromium" else "none"


def found(home: Path, root: Path = Path("/")) -> list[Packaged]:
    """The Flatpak and Snap browsers here: installed for the user or the system, or with a
    folder of their own in the home folder (they have run)."""
    present = []
    for name, app in FLATPAK_APPS.items():
        places = (
            home / ".local/share/flatpak/app" / app,
            root / "var/lib/flatpak/app" / app,
            home / ".var/app" / app,
        )
        if any(place.is_dir() for place in places):
            browser = browser_named(name)
            present.append(Packaged(browser, "flatpak", app, _way(browser, "flatpak")))
    for name, snap in SNAPS.items():
        if (home / "snap" / snap).is_dir() or (root / "snap" / snap).is_dir():
            browser = browser_named(name)
            present.append(Packaged(browser, "snap", snap, _way(browser, "snap")))
    return present


def manifest_path(installer: Installer, packaged: Packaged) -> Path | None:
    """Where the browser reads nudger's host manifest; None where no way works."""
    if packaged.way == "portal":
        return installer.place(packaged.browser).manifest
    if packaged.way == "wrapper":
        inside = packaged.browser.linux.removeprefix(".config/")
        return installer.home / ".var/app" / packaged.app / "config" / inside / f"{NAME}.json"
    return None


def wrapper_path(installer: Installer, packaged: Packaged) -> Path:
    """In the app's own folder: the one place in the home folder its sandbox always sees."""
    return installer.home / ".var/app" / packaged.app / WRAPPER


def extension_copy_path(installer: Installer, packaged: Packaged) -> Path:
    """A copy of the extension where the sandboxed browser can load it from."""
    return installer.home / ".var/app" / packaged.app / "nudger-companion"


def wrapper_text(installer: Installer, packaged: Packaged) -> str:
    launcher = shlex.quote(str(installer.launcher))
    return (
        "#!/bin/sh\n"
        f"# nudger's host for {packaged.app}, written by `nudger browser install`: the sandbox\n"
        "# cannot run nudger, so this starts nudger's launcher outside it.\n"
        f"exec flatpak-spawn --host --env=NUDGER_BROWSER={packaged.browser.processes[0]} "
        f'{launcher} "$@"\n'
    )


def may_leave_sandbox(home: Path, app: str, root: Path = Path("/")) -> bool:
    """The Flatpak app may talk to org.freedesktop.Flatpak (flatpak override --user, or the
    system's override), which flatpak-spawn --host needs."""
    granted = False
    system = root / "var/lib/flatpak/overrides" / app
    for overrides in (system, home / ".local/share/flatpak/overrides" / app):
        parser = configparser.RawConfigParser(strict=False)
        parser.optionxform = str  # type: ignore[assignment,method-assign]  # bus names keep case
        with contextlib.suppress(OSError, configparser.Error):
            parser.read(overrides, encoding="utf-8")
        value = parser.get("Session Bus Policy", FLATPAK_TALK, fallback=None)
        if value is not None:
            granted = value == "talk"  # the user's override, read last, wins
    return granted


def install(installer: Installer, packaged: Packaged) -> Path | None:
    """Set up what lets this browser start nudger's host; the manifest written, or None where
    no way works. The launcher must be written first (Installer.install)."""
    where = manifest_path(installer, packaged)
    if where is None:
        return None
    if packaged.way == "portal":
        installer.install([packaged.browser])
        return where
    wrapper = wrapper_path(installer, packaged)
    wrapper.parent.mkdir(parents=True, exist_ok=True)
    # "Load unpacked" in the sandbox sees no folder of nudger's own: a copy it can see.
    copy = extension_copy_path(installer, packaged)
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(extension_dir(), copy, ignore=shutil.ignore_patterns("__pycache__"))
    write_private_atomic(wrapper, wrapper_text(installer, packaged))
    wrapper.chmod(0o700)
    where.parent.mkdir(parents=True, exist_ok=True)
    manifest = {**installer.manifest_for(packaged.browser), "path": str(wrapper)}
    write_private_atomic(where, _json(manifest))
    return where


def is_installed(installer: Installer, packaged: Packaged) -> bool:
    """The manifest (and for a Flatpak, the wrapper) are there and as `install` writes them."""
    where = manifest_path(installer, packaged)
    if where is None:
        return False
    expected = installer.manifest_for(packaged.browser)
    if packaged.way == "wrapper":
        wrapper = wrapper_path(installer, packaged)
        expected = {**expected, "path": str(wrapper)}
        try:
            if wrapper.read_text(encoding="utf-8") != wrapper_text(installer, packaged):
                return False
        except OSError:
            return False
    try:
        return where.read_text(encoding="utf-8") == _json(expected)
    except OSError:
        return False


def uninstall(installer: Installer, packaged: Packaged) -> list[Path]:
    """Remove the Flatpak manifest and wrapper nudger wrote (the portal's manifest is the
    ordinary Firefox one, which Installer.uninstall removes)."""
    removed = []
    if packaged.way == "wrapper":
        for ours in (manifest_path(installer, packaged), wrapper_path(installer, packaged)):
            if ours is not None and ours.exists():
                ours.unlink()
                removed.append(ours)
        copy = extension_copy_path(installer, packaged)
        if copy.is_dir():
            shutil.rmtree(copy)
            removed.append(copy)
    return removed


def _json(manifest: dict[str, object]) -> str:
    return json.dumps(manifest, indent=2) + "\n"  # as Installer.install writes it
