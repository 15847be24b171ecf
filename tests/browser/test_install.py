"""`nudger browser install`: the host manifests each browser reads, on Linux for real, and the
macOS places and the Windows registry (through a fake of winreg) as the same code decides them."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import struct
import subprocess
import tempfile
import zipfile
from pathlib import Path, PureWindowsPath

import pytest

from nudger.browser.host import NAME
from nudger.browser.install import (
    BROWSERS,
    FIREFOX_ID,
    Installer,
    browser_named,
    browser_of_process,
    chromium_id,
    extension_dir,
    extension_manifest,
)
from nudger.browser.relay import BrowserRelay
from nudger.core.support import WHO
from tests.desktop.rig import wait_until
from tests.fakes import FakeWinreg

# The ID Chromium gives the extension, from the key in its manifest: the one the desktop tests
# see Chromium use, and the one every host manifest must allow.
EXTENSION_ID = "eefhjfbklnfdcdocejapbmfkapmgdmfl"


def linux(tmp_path: Path, **env: str) -> Installer:
    return Installer(tmp_path / "home", tmp_path / "data" / "browser", platform="linux", env=env)


def test_the_extension_id_follows_from_the_manifests_key() -> None:
    manifest = extension_manifest()
    assert chromium_id(manifest["key"]) == EXTENSION_ID
    assert manifest["browser_specific_settings"]["gecko"]["id"] == FIREFOX_ID
    assert manifest["manifest_version"] == 3
    # Every file the manifest names ships beside it.
    for name in (
        *extension_manifest()["background"]["scripts"],
        "pause.html",
        "pause.js",
        "pause.css",
    ):
        assert (extension_dir() / name).is_file()


def test_linux_manifests_pin_the_extension_and_start_the_host(tmp_path: Path) -> None:
    installer = linux(tmp_path, NUDGER_DATA_DIR=str(tmp_path / "data"))
    places = installer.install([browser_named("chromium"), browser_named("firefox")])
    home = tmp_path / "home"
    assert [p.manifest for p in places] == [
        home / ".config/chromium/NativeMessagingHosts" / f"{NAME}.json",
        home / ".mozilla/native-messaging-hosts" / f"{NAME}.json",
    ]
    chromium = json.loads(places[0].manifest.read_text())
    assert chromium == {
        "name": NAME,
        "description": chromium["description"],
        "path": str(installer.launcher),
        "type": "stdio",
        "allowed_origins": [f"chrome-extension://{EXTENSION_ID}/"],
    }
    firefox = json.loads(places[1].manifest.read_text())
    assert firefox["allowed_extensions"] == [FIREFOX_ID] and "allowed_origins" not in firefox
    for place in places:
        assert stat.S_IMODE(place.manifest.stat().st_mode) == 0o600
    assert stat.S_IMODE(installer.launcher.stat().st_mode) == 0o700
    assert stat.S_IMODE(installer.folder.stat().st_mode) == 0o700

    # The launcher starts the host with this Python, isolated, and with the same data folder
    # as the command that installed it; the host ends when the browser closes the pipe.
    text = installer.launcher.read_text()
    assert " -I -S " in text and f"NUDGER_DATA_DIR={tmp_path / 'data'}" in text
    done = subprocess.run(
        [str(installer.launcher)], input=b"", capture_output=True, timeout=30, check=False
    )
    assert done.returncode == 0 and done.stderr == b""


def test_the_launcher_tells_the_host_where_the_socket_is_without_a_runtime_folder(
    tmp_path: Path,
) -> None:
    # The host has no platformdirs: the installer writes the folder of the person's own where
    # the daemon listens when there is no XDG_RUNTIME_DIR.
    short = Path(tempfile.mkdtemp(prefix="n-"))
    try:
        data = short / "data"
        settings = tmp_path / "my settings.toml"
        installer = linux(tmp_path, NUDGER_DATA_DIR=str(data), NUDGER_CONFIG=str(settings))
        installer.install([browser_named("chromium")])
        assert f"NUDGER_SOCKET_FOLDER={data / 'run'}" in installer.launcher.read_text()
        # And where the settings are, for the person's own line on the Talk page.
        assert f"NUDGER_CONFIG='{settings}'" in installer.launcher.read_text()
        assert installer.launcher_is_current()

        relay = BrowserRelay.start({"NUDGER_DATA_DIR": str(data)})
        try:
            # The browser starts the launcher with its own environment: no runtime folder.
            env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path / "home")}
            browser = subprocess.Popen(
                [str(installer.launcher)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
            )
            assert browser.stdin is not None
            message = json.dumps({"type": "state", "url": "https://x.org/", "at": 0}).encode()
            browser.stdin.write(struct.pack("=I", len(message)) + message)
            browser.stdin.flush()
            wait_until(lambda: relay.take()[1], 15, "the host to reach the daemon")
            browser.stdin.close()
            assert browser.wait(timeout=10) == 0
        finally:
            relay.close()
        # A launcher written before it said so is out of date.
        installer.launcher.write_text(
            installer.launcher.read_text().replace("NUDGER_SOCKET_FOLDER", "OLD"),
            encoding="utf-8",
        )
        assert not installer.launcher_is_current()
    finally:
        shutil.rmtree(short, ignore_errors=True)


def test_firefox_gets_a_package_of_the_extension(tmp_path: Path) -> None:
    installer = linux(tmp_path)
    installer.install([browser_named("firefox")])
    with zipfile.ZipFile(installer.firefox_package) as package:
        names = set(package.namelist())
        manifest = json.loads(package.read("manifest.json"))
    assert {"manifest.json", "addresses.js", "holding.js", "background.js", "pause.html"} <= names
    assert {"pause.js", "pause.css", "moment.js", "moment.css"} <= names
    assert {f"_locales/{lang}/messages.json" for lang in ("en", "de", "es")} <= names
    assert manifest["browser_specific_settings"]["gecko"]["id"] == FIREFOX_ID


def test_the_pause_page_speaks_every_language_nudger_does() -> None:
    """The extension's own catalogues (_locales/): the same keys in each language, none empty,
    and every one the pause page, the first-run page, the companion's own pages or the manifest
    asks for."""
    folder = extension_dir() / "_locales"
    catalogues = {
        lang: json.loads((folder / lang / "messages.json").read_text(encoding="utf-8"))
        for lang in ("en", "de", "es")
    }
    keys = set(catalogues["en"])
    for lang, catalogue in catalogues.items():
        assert set(catalogue) == keys, lang
        assert all(entry["message"].strip() for entry in catalogue.values()), lang
    pages = "".join(
        (extension_dir() / name).read_text() for name in ("pause.js", "moment.js", "welcome.js")
    )
    asked = set(
        re.findall(
            r'"(pause[A-Z]\w+|stepAway|goOn|closeTab|welcome[A-Z]\w+|exercise[A-Z]\w+'
            r'|feeling[A-Z]\w+|plansHeading)(?<!Turn)"',
            pages,
        )
    )
    manifest = (extension_dir() / "manifest.json").read_text()
    asked |= set(re.findall(r"__MSG_(\w+)__", manifest))
    # The companion's own pages (pages/): their words by name, and the help list's headings by
    # the kind of service and whom it is for.
    own = "".join(path.read_text() for path in sorted((extension_dir() / "pages").glob("*.*")))
    asked |= set(re.findall(r'"((?:pages|today|block|talk)[A-Z]\w*)"', own))
    asked |= {f"talkSafety_{who}" for who in WHO}
    assert asked == keys
    assert catalogues["de"]["pauseTitle"]["message"] == "Ein Moment"


def test_browsers_are_found_by_their_profile_folder(tmp_path: Path) -> None:
    installer = linux(tmp_path)
    (tmp_path / "home/.config/chromium").mkdir(parents=True)
    (tmp_path / "home/.mozilla").mkdir(parents=True)
    path = os.environ.get("PATH", "")
    os.environ["PATH"] = str(tmp_path / "no-programs")  # only the folders count here
    try:
        found = [browser.name for browser in installer.found()]
    finally:
        os.environ["PATH"] = path
    assert found == ["chromium", "firefox"]


def test_uninstall_removes_what_install_wrote_and_nothing_else(tmp_path: Path) -> None:
    installer = linux(tmp_path)
    installer.install([browser_named("chromium")])
    foreign = tmp_path / "home/.mozilla/native-messaging-hosts" / f"{NAME}.json"
    foreign.parent.mkdir(parents=True)
    foreign.write_text(json.dumps({"name": "someone.else"}))
    removed = installer.uninstall()
    assert str(tmp_path / "home/.config/chromium/NativeMessagingHosts" / f"{NAME}.json") in removed
    assert str(installer.launcher) in removed
    assert foreign.exists()
    assert all(manifest is None for place, manifest in installer.installed()
               if place.browser.name == "chromium")  # fmt: skip
    assert installer.uninstall() == []


def test_macos_places_through_the_same_code(tmp_path: Path) -> None:
    installer = Installer(tmp_path / "Users/sam", tmp_path / "nudger", platform="darwin")
    support = tmp_path / "Users/sam/Library/Application Support"
    expected = {
        "chromium": support / "Chromium/NativeMessagingHosts",
        "chrome": support / "Google/Chrome/NativeMessagingHosts",
        "brave": support / "BraveSoftware/Brave-Browser/NativeMessagingHosts",
        "edge": support / "Microsoft Edge/NativeMessagingHosts",
        "firefox": support / "Mozilla/NativeMessagingHosts",
    }
    for browser in BROWSERS:
        assert installer.place(browser).manifest == expected[browser.name] / f"{NAME}.json"
    installer.install([browser_named("chrome")])
    written = json.loads((expected["chrome"] / f"{NAME}.json").read_text())
    assert written["path"] == str(tmp_path / "nudger" / "nudger-host")


def test_windows_registry_keys_through_a_fake_winreg(tmp_path: Path) -> None:
    registry = FakeWinreg()
    folder = tmp_path / "AppData" / "nudger" / "browser"
    settings = tmp_path / "100% mine" / "config.toml"
    installer = Installer(
        tmp_path,
        folder,
        platform="win32",
        registry=registry,
        python=r"C:\Py\python.exe",
        env={"NUDGER_CONFIG": str(settings)},
    )
    places = installer.install([browser_named("chrome"), browser_named("firefox")])
    chrome_key = rf"Software\Google\Chrome\NativeMessagingHosts\{NAME}"
    firefox_key = rf"Software\Mozilla\NativeMessagingHosts\{NAME}"
    assert [p.registry_key for p in places] == [chrome_key, firefox_key]
    for place in places:
        value, kind = registry.keys[("HKCU", place.registry_key or "")][""]
        assert kind == FakeWinreg.REG_SZ
        assert value == str(PureWindowsPath(str(place.manifest)))
        manifest = json.loads(place.manifest.read_text())
        assert manifest["path"] == str(PureWindowsPath(str(folder / "nudger-host.bat")))
    launcher = (folder / "nudger-host.bat").read_text()
    assert launcher.startswith("@echo off") and r'"C:\Py\python.exe" -I -S' in launcher
    # cmd would read "% m" as the start of a variable: written as %%, it stays a %.
    assert f'set "NUDGER_CONFIG={str(settings).replace("%", "%%")}"' in launcher
    assert [p.browser.name for p, m in installer.installed() if m] == ["chrome", "firefox"]

    removed = installer.uninstall()
    assert rf"HKEY_CURRENT_USER\{chrome_key}" in removed
    assert ("HKCU", chrome_key) not in registry.keys
    assert ("HKCU", firefox_key) not in registry.keys


def test_windows_finds_browsers_by_their_vendor_key_through_a_fake_winreg(
    tmp_path: Path,
) -> None:
    registry = FakeWinreg()
    registry.keys[("HKCU", r"Software\Microsoft\Edge")] = {}
    installer = Installer(tmp_path, tmp_path / "n", platform="win32", registry=registry)
    assert [browser.name for browser in installer.found()] == ["edge"]


@pytest.mark.parametrize(
    ("process", "browser"),
    [("chromium", "chromium"), ("chrome", "chrome"), ("firefox-esr", "firefox"),
     ("msedge", "edge"), ("brave", "brave"), ("bash", None)],
)  # fmt: skip
def test_the_browser_is_known_by_its_process_name(process: str, browser: str | None) -> None:
    found = browser_of_process(process)
    assert (found.name if found else None) == browser


def test_the_extension_asks_for_the_host_by_the_name_it_is_installed_under() -> None:
    """The one name the browser connects by: a rename on one side alone silences the companion."""
    background = (
        Path(__file__).resolve().parents[2] / "nudger" / "browser" / "extension" / "background.js"
    ).read_text(encoding="utf-8")
    assert f'const HOST = "{NAME}";' in background


def test_chromium_and_firefox_load_the_same_scripts_before_the_background() -> None:
    """Firefox loads the manifest's scripts in order; Chromium's service worker imports them
    itself (importScripts). A file added to one list alone breaks the other browser."""
    scripts = extension_manifest()["background"]["scripts"]
    assert scripts[-1] == "background.js"
    background = (extension_dir() / "background.js").read_text(encoding="utf-8")
    imported = re.search(r"importScripts\(([^)]*)\)", background)
    assert imported is not None
    assert [name.strip().strip('"') for name in imported.group(1).split(",")] == scripts[:-1]
