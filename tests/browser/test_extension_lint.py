"""The extension passes Mozilla's linter (`web-ext lint`, installed by scripts/test into
tools/node/): what addons.mozilla.org and Firefox would refuse or warn about is caught here."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from nudger.browser.install import extension_dir

WEB_EXT = Path(__file__).parents[2] / "tools" / "node" / "node_modules" / ".bin" / "web-ext"
# One manifest serves both browsers: Chromium runs background.js as a service worker, Firefox
# as a script; Firefox's linter notes that it ignores the first.
EXPECTED = {"BACKGROUND_SERVICE_WORKER_IGNORED"}


def lint(source: Path) -> dict[str, Any]:
    assert WEB_EXT.exists(), "web-ext is missing: ./scripts/test installs it into tools/node"
    result = subprocess.run(
        [str(WEB_EXT), "lint", "--source-dir", str(source), "--output", "json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def codes(report: dict[str, Any]) -> set[str]:
    return {item["code"] for kind in ("errors", "warnings", "notices") for item in report[kind]}


def test_web_ext_lint_finds_nothing_wrong() -> None:
    report = lint(extension_dir())
    found = [
        (kind, item["code"], item.get("file"), item["message"])
        for kind in ("errors", "warnings", "notices")
        for item in report[kind]
        if item["code"] not in EXPECTED
    ]
    assert found == []
    assert report["summary"]["errors"] == 0
    assert "MISSING_DATA_COLLECTION_PERMISSIONS" not in codes(report)


def test_the_linter_would_see_data_collection_permissions_missing(tmp_path: Path) -> None:
    """addons.mozilla.org asks every new extension to declare what it collects (see
    docs/store-listing.md for why the companion declares "none"): without the key, the linter
    says so, so the check above is no empty one."""
    copy = tmp_path / "extension"
    shutil.copytree(extension_dir(), copy)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["browser_specific_settings"]["gecko"]["data_collection_permissions"] == {
        "required": ["none"]
    }
    del manifest["browser_specific_settings"]["gecko"]["data_collection_permissions"]
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert "MISSING_DATA_COLLECTION_PERMISSIONS" in codes(lint(copy))


ESLINT = WEB_EXT.parent / "eslint"
ESLINT_CONFIG = Path(__file__).parents[2] / "tools" / "node" / "eslint.config.mjs"


def test_every_name_the_extension_uses_is_defined() -> None:
    """A function renamed in one script and still called by its old name elsewhere fails only at
    run time, in one case (it happened: a step away past an in-page pause in Chromium)."""
    assert ESLINT.exists(), "eslint is missing: ./scripts/test installs it into tools/node"
    result = subprocess.run(
        [str(ESLINT), "--config", str(ESLINT_CONFIG), "."],
        cwd=extension_dir(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_name_check_finds_an_undefined_name(tmp_path: Path) -> None:
    broken = tmp_path / "broken.js"
    broken.write_text('"use strict";\nruleFor([], "https://example.com/");\n', encoding="utf-8")
    result = subprocess.run(
        [str(ESLINT), "--config", str(ESLINT_CONFIG), str(broken)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 1 and "'ruleFor' is not defined" in result.stdout, result.stdout
