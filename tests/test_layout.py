"""tests/ mirrors nudger/: a test folder for each folder of the package, and a test file of its
own for each module of the pure core (issue 27)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = sorted(p.parent.name for p in (ROOT / "nudger").glob("*/__init__.py"))
CORE = sorted(p.stem for p in (ROOT / "nudger" / "core").glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("folder", FOLDERS)
def test_each_folder_of_the_package_has_its_test_folder(folder: str) -> None:
    assert (ROOT / "tests" / folder / "__init__.py").is_file()


@pytest.mark.parametrize("module", CORE)
def test_each_core_module_has_its_own_test_file(module: str) -> None:
    assert (ROOT / "tests" / "core" / f"test_{module}.py").is_file()


def test_the_lists_are_not_empty() -> None:
    assert "core" in FOLDERS and "settings" in FOLDERS and "translate" in CORE
