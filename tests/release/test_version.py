"""One version, in one place: nudger/__init__.py. The package metadata reads it, and the
companion's manifest carries the same (scripts/release stamps it there)."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import nudger

ROOT = Path(__file__).resolve().parents[2]


def test_the_version_is_written_once_and_the_manifest_agrees() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", nudger.__version__), nudger.__version__
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "nudger.__version__"}
    manifest = ROOT / "nudger" / "browser" / "extension" / "manifest.json"
    assert json.loads(manifest.read_text(encoding="utf-8"))["version"] == nudger.__version__


def test_the_licence_and_the_changelog_ship_with_the_source() -> None:
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License")
    assert "Copyright (c) 2026 the nudger authors" in licence
    assert "WITHOUT WARRANTY OF ANY KIND" in licence
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in changelog
    assert f"## [{nudger.__version__}]" in changelog
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]
    assert {"Homepage", "Documentation", "Changelog", "Issues"} <= set(project["urls"])
    assert project["keywords"] and project["readme"] == "README.md"
