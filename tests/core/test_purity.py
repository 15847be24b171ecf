"""The core is pure: it imports nothing of nudger outside itself but the settings models, and
reads no file, no clock and no system state. Checked on the source itself, module by module."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "nudger" / "core"
MODULES = sorted(CORE.glob("*.py"))

# Standard library modules that touch the world (files, clocks, processes, the network, the
# environment, threads): none of them may be imported by the core.
WORLDLY = {
    "os", "io", "pathlib", "shutil", "tempfile", "glob", "time", "socket", "select", "signal",
    "subprocess", "threading", "multiprocessing", "sqlite3", "logging", "urllib.request", "http",
    "importlib", "sys", "platform", "locale", "asyncio", "ssl", "zoneinfo", "tomllib",
}  # fmt: skip
# Libraries that only compute: RE2 matches text.
PURE_LIBRARIES = {"re2"}
# What reads the clock or the world even from an allowed module (the time module itself
# cannot be imported at all).
FORBIDDEN_CALLS = {"now", "today", "utcnow", "monotonic", "open", "getenv", "urandom"}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_there_is_a_core_to_check() -> None:
    assert len(MODULES) >= 12, [m.name for m in MODULES]


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.stem)
def test_the_core_imports_only_itself_the_settings_models_and_pure_libraries(
    module: Path,
) -> None:
    for name in imports_of(module):
        top = name.split(".")[0]
        if (
            name == "__future__"
            or name.startswith("nudger.core")
            or name == "nudger.settings.models"
        ):
            continue
        assert not name.startswith("nudger"), f"{module.name} imports {name}"
        if top in PURE_LIBRARIES:
            continue
        assert top in sys.stdlib_module_names, f"{module.name} imports the library {name}"
        worldly = any(name == w or name.startswith(w + ".") for w in WORLDLY)
        assert not worldly, f"{module.name} imports {name}, which touches the world"


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.stem)
def test_the_core_reads_no_clock_and_no_file(module: Path) -> None:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            assert name not in FORBIDDEN_CALLS, f"{module.name}:{node.lineno} calls {name}()"
            if name == "Random":
                assert node.args, f"{module.name}:{node.lineno} makes an unseeded Random"


def test_the_checker_itself_catches_a_worldly_core(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import time\nfrom nudger.store import Store\nx = time.time()\n")
    names = imports_of(bad)
    assert "time" in names and "nudger.store" in names
