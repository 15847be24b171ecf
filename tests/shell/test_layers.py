"""The layers hold: edges do not import one another, and the shell does not reach into the
inside of the parts it wires."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "nudger"
EDGES = ("sensing", "notify", "store", "report", "autostart", "browser")
SHELL = ("daemon", "coach", "watcher", "evening", "reporting", "history")


def imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize("edge", EDGES)
def test_an_edge_imports_no_other_edge(edge: str) -> None:
    others = {f"nudger.{name}" for name in EDGES if name != edge}
    for module in (PACKAGE / edge).rglob("*.py"):
        for name in imported_modules(module):
            assert not any(name == o or name.startswith(o + ".") for o in others), (
                f"{module.relative_to(PACKAGE)} imports {name}"
            )


@pytest.mark.parametrize("shell", SHELL)
def test_the_shell_touches_no_private_attribute_of_another_object(shell: str) -> None:
    tree = ast.parse((PACKAGE / f"{shell}.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and not (isinstance(node.value, ast.Name) and node.value.id in {"self", "cls"})
        ):
            owner = ast.unparse(node.value)
            raise AssertionError(f"{shell}.py:{node.lineno} reaches into {owner}.{node.attr}")
