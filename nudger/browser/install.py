"""Installing the native-messaging host: the files (and on Windows the registry keys) that tell
each browser where nudger's host is, pinned to nudger's own extension.

A browser starts a host only when a manifest names it, in a place that browser reads:
- Linux and macOS: a file `app.nudger.companion.json` in the browser's NativeMessagingHosts
  folder (Firefox: native-messaging-hosts);
- Windows: the manifest anywhere, and a registry key under HKEY_CURRENT_USER whose default
  value is its path.
The manifest names the extension allowed to start the host (its fixed ID), and the host's
launcher: a tiny script that starts host.py with this Python, isolated from the environment.

The platform, the home folder and the registry are passed in, so the macOS and Windows
decisions can be checked on Linux (the registry through a fake of winreg).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shlex
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import as_file, files
from pathlib import Path, PureWindowsPath
from typing import Any, Literal

from nudger.browser.host import NAME
from nudger.paths import (
    PRIVATE_FILE,
    ensure_private_dir,
    socket_folder,
    user_config_file,
    write_private_atomic,
)

Family = Literal["chromium", "firefox"]
Platform = Literal["linux", "darwin", "win32"]
FIREFOX_ID = "companion@nudger.app"
# The companion as the stores publish it (docs/store-listing.md). Both are filled in here, once,
# when it is published; until then they are None and only the development build is allowed.
# addons.mozilla.org signs the add-on under its own manifest's ID (FIREFOX_ID), so Firefox needs
# no second ID; the Chrome Web Store gives the extension an ID of its own, allowed beside the one
# the development build's key gives.
CHROME_WEB_STORE_ID: str | None = None
FIREFOX_ADDON_PAGE: str | None = None  # the add-on's page on addons.mozilla.org
DESCRIPTION = "nudger's companion: tells nudger on this computer which page is in front"
# Environment settings the host needs to find the same daemon as the command that installed it.
_CARRIED_ENV = ("NUDGER_DATA_DIR", "NUDGER_BROWSER_SOCKET")


@dataclass(frozen=True, slots=True)
class Browser:
    name: str  # as typed after --browser
    label: str  # as people call it
    family: Family
    commands: tuple[str, ...]  # programs that start it (Linux), to tell whether it is there
    processes: tuple[str, ...]  # its main process's name, as the host reports it
    linux: str  # the folder under the home folder where its manifests go
    darwin: str
    windows_key: str  # under HKEY_CURRENT_USER
    extensions_page: str  # where to add an unpacked extension


BROWSERS: tuple[Browser, ...] = (
    Browser(
        "chromium",
        "Chromium",
        "chromium",
        ("chromium", "chromium-browser"),
        ("chromium", "chromium-browse"),
        ".config/chromium/NativeMessagingHosts",
        "Library/Application Support/Chromium/NativeMessagingHosts",
        r"Software\Chromium\NativeMessagingHosts",
        "chrome://extensions",
    ),
    Browser(
        "chrome",
        "Google Chrome",
        "chromium",
        ("google-chrome", "google-chrome-stable"),
        ("chrome", "google chrome"),
        ".config/google-chrome/NativeMessagingHosts",
        "Library/Application Support/Google/Chrome/NativeMessagingHosts",
        r"Software\Google\Chrome\NativeMessagingHosts",
        "chrome://extensions",
    ),
    Browser(
        "brave",
        "Brave",
        "chromium",
        ("brave-browser", "brave"),
        ("brave", "brave browser"),
        ".config/BraveSoftware/Brave-Browser/NativeMessagingHosts",
        "Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts",
        r"Software\BraveSoftware\Brave-Browser\NativeMessagingHosts",
        "brave://extensions",
    ),
    Browser(
        "edge",
        "Microsoft Edge",
        "chromium",
        ("microsoft-edge", "microsoft-edge-stable"),
        ("msedge", "microsoft edge"),
        ".config/microsoft-edge/NativeMessagingHosts",
        "Library/Application Support/Microsoft Edge/NativeMessagingHosts",
        r"Software\Microsoft\Edge\NativeMessagingHosts",
        "edge://extensions",
    ),
    Browser(
        "firefox",
        "Firefox",
        "firefox",
        ("firefox", "firefox-esr"),
        ("firefox", "firefox-esr", "firefox-bin"),
        ".mozilla/native-messaging-hosts",
        "Library/Application Support/Mozilla/NativeMessagingHosts",
        r"Software\Mozilla\NativeMessagingHosts",
        "about:addons",
    ),
)
BROWSER_NAMES = tuple(browser.name for browser in BROWSERS)


def browser_named(name: str) -> Browser:
    for browser in BROWSERS:
        if browser.name == name.lower():
            return browser
    raise KeyError(name)


def browser_of_process(process: str) -> Browser | None:
    """The browser whose main process has this name (as /proc/PID/comm gives it)."""
    for browser in BROWSERS:
        if process.lower() in browser.processes:
            return browser
    return None


def extension_dir() -> Path:
    """The unpacked extension, as it ships inside the package."""
    with as_file(files("nudger.browser") / "extension") as folder:
        return Path(folder)


def extension_manifest() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((extension_dir() / "manifest.json").read_bytes())
    return loaded


def chromium_id(public_key: str) -> str:
    """The extension ID Chromium derives from the manifest's key: the first 128 bits of the key's
    SHA-256, written with the letters a to p for the hex digits."""
    import hashlib  # noqa: PLC0415 - maps OpenSSL (3 MB) into the daemon: only when used

    digest = hashlib.sha256(base64.b64decode(public_key)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(digit, 16)) for digit in digest)


def chromium_ids() -> list[str]:
    """The extension IDs a Chromium host manifest allows: the development build's (from the
    manifest's key) and, once published, the Chrome Web Store's."""
    ids = [chromium_id(extension_manifest()["key"])]
    return ids if CHROME_WEB_STORE_ID is None else [*ids, CHROME_WEB_STORE_ID]


def host_manifest(browser: Browser, launcher: Path | PureWindowsPath) -> dict[str, Any]:
    manifest: dict[str, Any] = {
        "name": NAME,
        "description": DESCRIPTION,
        "path": str(launcher),
        "type": "stdio",
    }
    if browser.family == "firefox":
        manifest["allowed_extensions"] = [FIREFOX_ID]
    else:
        manifest["allowed_origins"] = [f"chrome-extension://{i}/" for i in chromium_ids()]
    return manifest


@dataclass(frozen=True, slots=True)
class Place:
    """Where one browser's manifest is (and on Windows, the registry key naming it)."""

    browser: Browser
    manifest: Path
    registry_key: str | None = None


class Installer:
    def __init__(
        self,
        home: Path,
        folder: Path,
        *,
        platform: Platform | None = None,
        registry: Any | None = None,
        python: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        """`folder` is nudger's own (the launcher and the Firefox package go there)."""
        self.home = home
        self.folder = folder
        self.platform: Platform = platform or _this_platform()
        self._registry = registry
        self.python = python or sys.executable
        self._env = os.environ if env is None else env

    # -- where ----------------------------------------------------------------------------------

    def place(self, browser: Browser) -> Place:
        if self.platform == "win32":
            return Place(
                browser,
                self.folder / f"{NAME}.{browser.name}.json",
                rf"{browser.windows_key}\{NAME}",
            )
        relative = browser.darwin if self.platform == "darwin" else browser.linux
        return Place(browser, self.home / relative / f"{NAME}.json")

    def found(self) -> list[Browser]:
        """The browsers on this computer: a profile folder, or (Linux) a program to start one."""
        present = []
        for browser in BROWSERS:
            profile = self.place(browser).manifest.parent.parent
            on_path = self.platform == "linux" and any(shutil.which(c) for c in browser.commands)
            registry = self.platform == "win32" and self._vendor_key_exists(browser)
            if (self.platform != "win32" and profile.is_dir()) or on_path or registry:
                present.append(browser)
        return present

    @property
    def launcher(self) -> Path:
        return self.folder / ("nudger-host.bat" if self.platform == "win32" else "nudger-host")

    @property
    def firefox_package(self) -> Path:
        return self.folder / "nudger-companion.xpi"

    # -- what -----------------------------------------------------------------------------------

    def install(self, browsers: list[Browser]) -> list[Place]:
        ensure_private_dir(self.folder)
        self._write_launcher()
        if any(browser.family == "firefox" for browser in browsers):
            self._write_firefox_package()
        places = []
        for browser in browsers:
            place = self.place(browser)
            place.manifest.parent.mkdir(parents=True, exist_ok=True)
            manifest = self.manifest_for(browser)
            write_private_atomic(place.manifest, json.dumps(manifest, indent=2) + "\n")
            if place.registry_key is not None:
                self._set_default(place.registry_key, str(self._windows(place.manifest)))
            places.append(place)
        return places

    def installed(self) -> list[tuple[Place, dict[str, Any] | None]]:
        """Each browser's place, with its manifest as it stands there (None: not installed)."""
        found = []
        for browser in BROWSERS:
            place = self.place(browser)
            manifest = None
            named = place.registry_key is None or self._default(place.registry_key) is not None
            with contextlib.suppress(OSError, ValueError):
                if named:
                    loaded = json.loads(place.manifest.read_bytes())
                    manifest = loaded if isinstance(loaded, dict) else None
            found.append((place, manifest))
        return found

    def uninstall(self) -> list[str]:
        """Remove every manifest (and key) of nudger's, and the launcher. Returns what went."""
        removed = []
        for place, manifest in self.installed():
            if place.registry_key is not None and self._default(place.registry_key) is not None:
                self._delete_key(place.registry_key)
                removed.append(rf"HKEY_CURRENT_USER\{place.registry_key}")
            if manifest is not None and manifest.get("name") == NAME:
                place.manifest.unlink()
                removed.append(str(place.manifest))
        for ours in (self.launcher, self.firefox_package):
            if ours.exists():
                ours.unlink()
                removed.append(str(ours))
        return removed

    def manifest_for(self, browser: Browser) -> dict[str, Any]:
        """The host manifest as `install` writes it for `browser`."""
        launcher = self._windows(self.launcher) if self.platform == "win32" else self.launcher
        return host_manifest(browser, launcher)

    # -- the files --------------------------------------------------------------------------------

    def launcher_text(self) -> str:
        """The launcher as `install` writes it now."""
        host = str(Path(__file__).with_name("host.py"))
        carried = {name: self._env[name] for name in _CARRIED_ENV if self._env.get(name)}
        # The settings file, for the person's own [support] line on the Talk page while nudger
        # is stopped: the host has no platformdirs to find it.
        carried["NUDGER_CONFIG"] = str(user_config_file(self._env).absolute())
        if self.platform == "win32":
            # cmd expands %NAME% even inside quotes: a % in a folder's name is written as %%.
            escaped = {k: v.replace("%", "%%") for k, v in carried.items()}
            lines = ["@echo off", *(f'set "{k}={v}"' for k, v in escaped.items())]
            lines.append(f'"{self.python}" -I -S "{host}" %*')
            return "\r\n".join(lines) + "\r\n"
        # Where the socket is without XDG_RUNTIME_DIR: the host has no platformdirs to say.
        carried["NUDGER_SOCKET_FOLDER"] = str(socket_folder(self._env))
        exports = "".join(f"export {k}={shlex.quote(v)}\n" for k, v in carried.items())
        return (
            "#!/bin/sh\n"
            "# nudger's native-messaging host, written by `nudger browser install`.\n"
            f'{exports}exec {shlex.quote(self.python)} -I -S {shlex.quote(host)} "$@"\n'
        )

    def launcher_is_current(self) -> bool:
        """The launcher is there and says what `install` would write now (an older one may not
        say where the socket is)."""
        try:
            return self.launcher.read_bytes() == self.launcher_text().encode("utf-8")
        except OSError:
            return False

    def _write_launcher(self) -> None:
        write_private_atomic(self.launcher, self.launcher_text())
        self.launcher.chmod(0o700 if self.platform != "win32" else PRIVATE_FILE)

    def _write_firefox_package(self) -> None:
        """Firefox installs a packaged extension (.xpi, a zip) rather than a folder."""
        source = extension_dir()
        partial = self.firefox_package.with_suffix(".partial")
        import zipfile  # noqa: PLC0415 - only when the companion is installed, not in the daemon

        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as package:
            for path in sorted(source.rglob("*")):  # _locales/ too
                if path.is_file() and "__pycache__" not in path.parts:
                    package.write(path, path.relative_to(source).as_posix())
        partial.chmod(PRIVATE_FILE)
        partial.replace(self.firefox_package)

    def _windows(self, path: Path) -> PureWindowsPath:
        return PureWindowsPath(str(path))

    # -- the registry (Windows) -----------------------------------------------------------------

    def _reg(self) -> Any:
        if self._registry is None:
            import winreg  # noqa: PLC0415 - exists only on Windows

            self._registry = winreg
        return self._registry

    def _set_default(self, key: str, value: str) -> None:
        reg = self._reg()
        with reg.CreateKeyEx(reg.HKEY_CURRENT_USER, key, 0, reg.KEY_SET_VALUE) as handle:
            reg.SetValueEx(handle, "", 0, reg.REG_SZ, value)

    def _default(self, key: str) -> str | None:
        reg = self._reg()
        try:
            with reg.OpenKey(reg.HKEY_CURRENT_USER, key, 0, reg.KEY_READ) as handle:
                value, _ = reg.QueryValueEx(handle, "")
        except OSError:
            return None
        return value if isinstance(value, str) else None

    def _delete_key(self, key: str) -> None:
        reg = self._reg()
        with contextlib.suppress(OSError):
            reg.DeleteKey(reg.HKEY_CURRENT_USER, key)

    def _vendor_key_exists(self, browser: Browser) -> bool:
        """A browser installed for this user has its vendor key (the one above ours)."""
        vendor = browser.windows_key.rsplit("\\", 1)[0]
        reg = self._reg()
        try:
            with reg.OpenKey(reg.HKEY_CURRENT_USER, vendor, 0, reg.KEY_READ):
                return True
        except OSError:
            return False


def _this_platform() -> Platform:
    name = sys.platform  # a plain string: the choice is made here, at run time
    if name in {"win32", "darwin"}:
        return "win32" if name == "win32" else "darwin"
    return "linux"
