"""The companion as the stores will publish it (issue 33): host manifests that allow the store's
extension ID beside the development one, and `nudger browser install` saying where the signed
Firefox add-on comes from, and what to do until it is published."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nudger.browser import install
from nudger.browser.install import FIREFOX_ID, Installer, browser_named
from nudger.cli.browser_cmd import _how_to_add
from nudger.core.translate import Translator
from tests.nudger_process import isolated_env, run_cli

DEVELOPMENT_ID = "eefhjfbklnfdcdocejapbmfkapmgdmfl"
STORE_ID = "abcdefghijklmnopabcdefghijklmnop"  # any 32 letters a to p, as a store would give


def test_until_published_only_the_development_build_is_allowed(tmp_path: Path) -> None:
    chosen = Installer(tmp_path / "home", tmp_path / "data", platform="linux", env={})
    chromium = chosen.manifest_for(browser_named("chromium"))
    assert chromium["allowed_origins"] == [f"chrome-extension://{DEVELOPMENT_ID}/"]
    assert chosen.manifest_for(browser_named("firefox"))["allowed_extensions"] == [FIREFOX_ID]


def test_the_store_id_is_allowed_beside_the_development_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(install, "CHROME_WEB_STORE_ID", STORE_ID)
    chosen = Installer(tmp_path / "home", tmp_path / "data", platform="linux", env={})
    for name in ("chromium", "chrome", "brave", "edge"):
        [place] = chosen.install([browser_named(name)])
        written = json.loads(place.manifest.read_text(encoding="utf-8"))
        assert written["allowed_origins"] == [
            f"chrome-extension://{DEVELOPMENT_ID}/",
            f"chrome-extension://{STORE_ID}/",
        ]
    # addons.mozilla.org signs the add-on under the manifest's own ID: one ID serves both.
    firefox = chosen.manifest_for(browser_named("firefox"))
    assert firefox["allowed_extensions"] == [FIREFOX_ID]


def test_install_says_the_signed_firefox_add_on_is_not_published_yet_and_what_to_do(
    tmp_path: Path,
) -> None:
    result = run_cli(isolated_env(tmp_path), "browser", "install", "--browser", "firefox")
    assert result.returncode == 0, result.stderr
    said = " ".join(result.stdout.split())
    assert (
        "Firefox: the signed add-on, which stays after a restart, is not on addons.mozilla.org "
        "yet; once it is, `nudger browser install` says where. Until then:"
    ) in said
    assert "xpinstall.signatures.required to false" in said  # ESR and the like
    assert "Load Temporary Add-on" in said  # release Firefox, until the next restart


def test_once_published_install_names_the_add_on_s_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = "https://addons.mozilla.org/firefox/addon/nudger-companion/"
    monkeypatch.setattr(install, "FIREFOX_ADDON_PAGE", page)
    chosen = Installer(tmp_path / "home", tmp_path / "data", platform="linux", env={})
    lines = _how_to_add(Translator(), browser_named("firefox"), chosen)
    assert lines[0] == f"Firefox: add the signed add-on from {page}"
