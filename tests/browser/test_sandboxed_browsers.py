"""Browsers installed as Flatpak or Snap packages (issue 33): `nudger browser install`,
`browser status` and `doctor` find them from their real folder layouts, built here in a
temporary home, and set up what a documented way allows, or say in one sentence what to use."""

from __future__ import annotations

import json
import os
import stat
import struct
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from nudger.browser import sandboxed
from nudger.browser.host import NAME
from nudger.browser.install import Installer
from nudger.browser.relay import BrowserRelay
from tests.desktop.rig import wait_until
from tests.nudger_process import isolated_env, run_cli

DEVELOPMENT_ID = "eefhjfbklnfdcdocejapbmfkapmgdmfl"
CHROMIUM_FLATPAK = ".var/app/org.chromium.Chromium"


def one_line(text: str) -> str:
    return " ".join(text.split())


def flatpak_chromium(home: Path) -> None:
    """Flathub's Chromium, installed for the user and run once: its app folder and its own
    config folder (where it keeps its profile) inside ~/.var/app."""
    (home / ".local/share/flatpak/app/org.chromium.Chromium/x86_64/stable/active/files").mkdir(
        parents=True
    )
    (home / CHROMIUM_FLATPAK / "config/chromium/Default").mkdir(parents=True)


def snap_firefox(home: Path) -> None:
    """Ubuntu's Firefox Snap after its first run: its profile under ~/snap/firefox/common."""
    (home / "snap/firefox/common/.mozilla/firefox/abcd1234.default").mkdir(parents=True)
    (home / "snap/firefox/current").symlink_to("5701")


def test_a_flatpak_chromium_gets_a_manifest_and_wrapper_and_is_told_the_permission(
    tmp_path: Path,
) -> None:
    env = isolated_env(tmp_path)
    home = Path(env["HOME"])
    flatpak_chromium(home)

    result = run_cli(env, "browser", "install", "--browser", "chromium")
    assert result.returncode == 0, result.stderr
    said = one_line(result.stdout)

    folder = home / CHROMIUM_FLATPAK
    manifest_path = folder / "config/chromium/NativeMessagingHosts" / f"{NAME}.json"
    wrapper = folder / "nudger-host"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    assert manifest["path"] == str(wrapper)
    assert manifest["allowed_origins"] == [f"chrome-extension://{DEVELOPMENT_ID}/"]
    assert stat.S_IMODE(wrapper.stat().st_mode) == 0o700
    launcher = Path(env["NUDGER_DATA_DIR"]) / "browser" / "nudger-host"
    assert (
        f'exec flatpak-spawn --host --env=NUDGER_BROWSER=chromium {launcher} "$@"'
        in wrapper.read_text(encoding="utf-8")
    )
    assert os.access(launcher, os.X_OK)
    # A copy of the extension the sandbox can see, for "Load unpacked".
    assert (folder / "nudger-companion/manifest.json").is_file()

    assert f"Chromium (Flatpak): nudger's host is installed: {manifest_path}" in said
    assert "flatpak-spawn --host" in said
    assert (
        "To give it: flatpak override --user --talk-name=org.freedesktop.Flatpak "
        "org.chromium.Chromium" in said
    )
    assert "start any program on this computer as you" in said
    assert f"choose {folder / 'nudger-companion'}" in said

    status = one_line(run_cli(env, "browser", "status").stdout)
    assert "Chromium (Flatpak): set up, but it may not leave its sandbox yet." in status
    doctor = one_line(run_cli(env, "doctor").stdout)
    assert "Chromium (Flatpak): set up, but it may not leave its sandbox yet." in doctor

    # As `flatpak override --user --talk-name=org.freedesktop.Flatpak org.chromium.Chromium`
    # writes it.
    overrides = home / ".local/share/flatpak/overrides"
    overrides.mkdir(parents=True)
    (overrides / "org.chromium.Chromium").write_text(
        "[Session Bus Policy]\norg.freedesktop.Flatpak=talk\n", encoding="utf-8"
    )
    expected = (
        "Chromium (Flatpak): set up; it starts nudger's host outside its sandbox with "
        "flatpak-spawn --host"
    )
    assert expected in one_line(run_cli(env, "browser", "status").stdout)
    assert expected in one_line(run_cli(env, "doctor").stdout)
    again = one_line(run_cli(env, "browser", "install", "--browser", "chromium").stdout)
    assert "already has the permission that needs (talk-name=org.freedesktop.Flatpak)" in again

    removed = run_cli(env, "browser", "uninstall")
    assert removed.returncode == 0, removed.stderr
    assert not manifest_path.exists() and not wrapper.exists()
    assert not (folder / "nudger-companion").exists()
    assert (folder / "config/chromium/Default").is_dir()  # the browser's own files stay


def test_a_snap_firefox_is_set_up_for_the_webextensions_portal(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    home = Path(env["HOME"])
    snap_firefox(home)

    result = run_cli(env, "browser", "install", "--browser", "firefox")
    assert result.returncode == 0, result.stderr
    said = one_line(result.stdout)
    # The portal reads the ordinary place, outside the snap, and starts the host there.
    manifest = home / ".mozilla/native-messaging-hosts" / f"{NAME}.json"
    assert json.loads(manifest.read_text(encoding="utf-8"))["allowed_extensions"] == [
        "companion@nudger.app"
    ]
    assert (
        f"Firefox (Snap): nudger's host is installed: {manifest}. The Snap reaches it through "
        "your desktop's WebExtensions portal; the first time, your desktop asks whether Firefox "
        "may start it: choose Allow."
    ) in said
    assert not list((home / "snap").rglob(f"{NAME}.json"))  # nothing inside the snap's folder

    expected = "Firefox (Snap): set up; it reaches nudger's host through the desktop's"
    assert expected in one_line(run_cli(env, "browser", "status").stdout)
    assert expected in one_line(run_cli(env, "doctor").stdout)


def test_where_no_way_works_one_sentence_says_what_to_use_instead(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    home = Path(env["HOME"])
    (home / "snap/chromium/common/chromium/Default").mkdir(parents=True)
    (home / ".var/app/org.mozilla.firefox/.mozilla/firefox/abcd.default").mkdir(parents=True)

    result = run_cli(env, "browser", "install")
    assert result.returncode == 0, result.stderr
    said = one_line(result.stdout)
    snap = (
        "Chromium (Snap): cannot start nudger's host, as the snap starts no program from outside "
        "it; for the exact page, use Firefox (its Snap works) or Chromium from your "
        "distribution's packages or Flathub; until then nudger counts this browser's pages by "
        "their window titles."
    )
    flatpak = (
        "Firefox (Flatpak): no supported way lets it start nudger's host yet; for the exact "
        "page, use Firefox from your distribution's packages, mozilla.org or its Snap; until "
        "then nudger counts this browser's pages by their window titles."
    )
    assert snap in said and flatpak in said
    assert not list((home / "snap").rglob(f"{NAME}.json"))
    assert not list((home / ".var").rglob(f"{NAME}.json"))
    doctor = one_line(run_cli(env, "doctor").stdout)
    assert snap in doctor and flatpak in doctor


def test_flatpak_apps_installed_for_the_whole_system_are_found(tmp_path: Path) -> None:
    home, root = tmp_path / "home", tmp_path / "root"
    home.mkdir()
    assert sandboxed.found(home, root) == []
    (root / "var/lib/flatpak/app/com.google.Chrome/current").mkdir(parents=True)
    (root / "snap/firefox/current").mkdir(parents=True)
    found = [(p.label, p.way) for p in sandboxed.found(home, root)]
    assert found == [("Google Chrome (Flatpak)", "wrapper"), ("Firefox (Snap)", "portal")]
    chrome = sandboxed.found(home, root)[0]
    installer = Installer(home, tmp_path / "data", platform="linux", env={})
    assert sandboxed.manifest_path(installer, chrome) == (
        home
        / ".var/app/com.google.Chrome/config/google-chrome/NativeMessagingHosts"
        / f"{NAME}.json"
    )


def test_the_user_s_override_wins_over_the_system_s(tmp_path: Path) -> None:
    home, root = tmp_path / "home", tmp_path / "root"
    system = root / "var/lib/flatpak/overrides"
    user = home / ".local/share/flatpak/overrides"
    system.mkdir(parents=True)
    user.mkdir(parents=True)
    app = "org.chromium.Chromium"
    assert not sandboxed.may_leave_sandbox(home, app, root)
    (system / app).write_text("[Session Bus Policy]\norg.freedesktop.Flatpak=talk\n")
    assert sandboxed.may_leave_sandbox(home, app, root)
    (user / app).write_text(
        "[Context]\nshared=network;\n\n[Session Bus Policy]\norg.freedesktop.Flatpak=none\n"
    )
    assert not sandboxed.may_leave_sandbox(home, app, root)


FAKE_FLATPAK_SPAWN = """#!{python}
# flatpak-spawn --host as far as nudger's wrapper uses it (Flatpak is not installed here): run
# the command outside the sandbox, in the session's own environment (as flatpak-session-helper
# does), with each --env=NAME=VALUE added.
import os, sys
args = sys.argv[1:]
if args[:1] != ["--host"]:
    sys.exit(97)
args = args[1:]
env = {session!r}
while args and args[0].startswith("--env="):
    name, _, value = args.pop(0).removeprefix("--env=").partition("=")
    env[name] = value
os.execve(args[0], args, env)
"""


def test_the_flatpak_wrapper_starts_the_host_through_a_fake_flatpak_spawn(
    tmp_path: Path,
) -> None:
    """The wrapper the manifest names, started as Chromium would start it (its arguments, the
    native-messaging pipes), reaches the running daemon and names the browser, through a fake
    of flatpak-spawn, the OS boundary that cannot run here."""
    env = isolated_env(tmp_path)
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env["XDG_RUNTIME_DIR"] = str(runtime)
    home = Path(env["HOME"])
    flatpak_chromium(home)
    assert run_cli(env, "browser", "install", "--browser", "chromium").returncode == 0
    tools = tmp_path / "bin"
    tools.mkdir()
    session = {"HOME": str(home), "XDG_RUNTIME_DIR": str(runtime), "PATH": "/usr/bin:/bin"}
    (tools / "flatpak-spawn").write_text(
        FAKE_FLATPAK_SPAWN.format(python=sys.executable, session=session), encoding="utf-8"
    )
    (tools / "flatpak-spawn").chmod(0o700)

    relay = BrowserRelay.start(env)
    try:
        wrapper = home / CHROMIUM_FLATPAK / "nudger-host"
        process = subprocess.Popen(
            [str(wrapper), f"chrome-extension://{DEVELOPMENT_ID}/"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            # Inside the sandbox: the browser's environment, where nudger has nothing.
            env={"PATH": f"{tools}:/usr/bin:/bin", "HOME": str(home)},
        )
        assert process.stdin is not None
        message = json.dumps({"type": "state", "focused": True, "url": "https://x.org/flat",
                              "title": "X", "at": time.time() * 1000}).encode()  # fmt: skip
        process.stdin.write(struct.pack("=I", len(message)) + message)
        process.stdin.flush()
        taken: list[Any] = []
        wait_until(lambda: taken.extend(relay.take()[1]) or taken, 30, "the report")
        assert taken[0].url == "https://x.org/flat"
        assert [c.browser for c in relay.contacts()] == ["chromium"]
        process.stdin.close()
        assert process.wait(timeout=30) == 0
    finally:
        relay.close()
