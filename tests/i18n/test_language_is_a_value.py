"""The language is a value handed to what speaks, never state of a module (issue 27).

An AST scan of every module of nudger: no `global` statement, no mutation of a module-level
object from inside a function (`_process[0] = ...`, `_state.language = ...`), and no
assignment to an attribute of another library's module (`argparse._ = ...`). Each rule has a
probe below that shows the scan catches it.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "nudger"
MODULES = sorted(PACKAGE.rglob("*.py"))
# Module settings that a library documents as the way to configure it.
DOCUMENTED = {"logging.raiseExceptions"}


def shown(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


def _module_names(tree: ast.Module) -> set[str]:
    """Names bound at the top level of a module (by assignment, not by def, class or import)."""
    names: set[str] = set()
    for node in tree.body:
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            targets = [node.target]
        for target in targets:
            names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
    return names


def _imported_libraries(tree: ast.Module) -> set[str]:
    """Local names that stand for an imported module (`import argparse`, `from importlib import
    resources`, `from nudger.core import translate`): no module's globals are another's to set."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.asname or alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                # A module imported from a package; a class or a constant is no module.
                if f"{node.module}.{alias.name}" in sys.modules or alias.name.islower():
                    found.add(alias.asname or alias.name)
    return found


def _root(node: ast.expr) -> ast.expr:
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    return node


def _local_names(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    arguments = function.args
    every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    every += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
    names = {a.arg for a in every}
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def _targets(node: ast.AST) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        return node.targets
    if isinstance(node, ast.AnnAssign | ast.AugAssign):
        return [node.target]
    return []


def problems(source: str, where: str) -> list[str]:
    tree = ast.parse(source)
    libraries = _imported_libraries(tree)
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            found.append(f"{where}:{node.lineno}: global {', '.join(node.names)}")
        for target in _targets(node):
            root = _root(target)
            if (
                isinstance(target, ast.Attribute)
                and isinstance(root, ast.Name)
                and root.id in libraries
                and ast.unparse(target) not in DOCUMENTED
            ):
                found.append(f"{where}:{node.lineno}: assigns {ast.unparse(target)}")
    return found + _module_state_changed(tree, where)


def _module_state_changed(tree: ast.Module, where: str) -> list[str]:
    """A function that changes an object bound at module level (`_process[0] = ...`)."""
    state = _module_names(tree)
    found: list[str] = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        local = _local_names(function)
        for node in ast.walk(function):
            for target in _targets(node):
                root = _root(target)
                if (
                    target is not root
                    and isinstance(root, ast.Name)
                    and root.id in state
                    and root.id not in local
                ):
                    found.append(
                        f"{where}:{node.lineno}: {function.name}() changes module state "
                        f"{ast.unparse(target)}"
                    )
    return found


@pytest.mark.parametrize("path", MODULES, ids=shown)
def test_no_module_keeps_language_state_or_patches_a_library(path: Path) -> None:
    assert problems(path.read_text(encoding="utf-8"), shown(path)) == []


def test_the_scan_finds_a_patched_module_and_a_module_language() -> None:
    assert problems(
        "import argparse\n"
        "from importlib import resources\n"
        "from nudger.core import translate\n"
        "_language = 'en'\n"
        "_state = ['en']\n"
        "def use(code):\n"
        "    global _language\n"
        "    _language = code\n"
        "    _state[0] = code\n"
        "    argparse._ = lambda message: message\n"
        "    resources.files = None\n"
        "    translate.x = 1\n"
        "def fine(values):\n"
        "    values[0] = 1\n",
        "probe.py",
    ) == [
        "probe.py:7: global _language",
        "probe.py:10: assigns argparse._",
        "probe.py:11: assigns resources.files",
        "probe.py:12: assigns translate.x",
        "probe.py:9: use() changes module state _state[0]",
    ]
