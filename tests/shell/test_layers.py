"""The rings hold (../shared/ARCHITECTURE.md): each folder is one ring, and the imports between them
go only the ways the architecture allows. The rings are read from one place, RINGS below, and a
test makes sure that every module of nudger belongs to one of them."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "nudger"

EDGES = ("sensing", "browser", "notify", "store", "report", "autostart", "tray", "devices")
# Ring -> the folders (or loose modules) of nudger that make it up.
RINGS: dict[str, tuple[str, ...]] = {
    "door": ("cli", "__main__.py"),
    "shell": ("shell",),
    "settings": ("settings",),
    "core": ("core",),
    **{edge: (edge,) for edge in EDGES},
    # A handful of small helpers that several rings share (the edges, which may not import one
    # another, share a D-Bus address, private folders and line-framed JSON through them).
    "helpers": (
        "__init__.py",
        "paths.py",
        "errors.py",
        "oslock.py",
        "session_bus.py",
        "framing.py",
    ),
}
# Folders that hold data, not code.
DATA = ("locale",)
# Ring -> the rings it may import (besides itself).
ALLOWED: dict[str, set[str]] = {
    "door": set(RINGS) - {"door"},
    "shell": set(RINGS) - {"door", "shell"},
    "settings": {"core", "helpers"},
    "core": set(),
    "helpers": {"core"},
    **{edge: {"core", "helpers"} for edge in EDGES},
}
MOST_HELPERS = 6


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def ring_of(module: str) -> str:
    parts = module.split(".")
    first = parts[1] if len(parts) > 1 else "__init__"
    for ring, members in RINGS.items():
        if first in members or f"{first}.py" in members:
            return ring
    raise AssertionError(f"{module} belongs to no ring")


def imports_of(path: Path) -> Iterator[tuple[int, str]]:
    """Every nudger module that `path` imports, at any depth (lazy imports too): a module, not
    the package it sits in, for `from nudger.sensing import i3ipc`."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in MODULES:
                    yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                if submodule in MODULES:
                    yield node.lineno, submodule
                elif node.module in MODULES:
                    yield node.lineno, node.module


def test_nudger_holds_only_the_rings_folders_and_a_handful_of_helpers() -> None:
    known = {member for members in RINGS.values() for member in members} | set(DATA)
    present = {p.name for p in PACKAGE.iterdir() if p.name not in {"__pycache__", "py.typed"}}
    assert present <= known, f"not in any ring: {sorted(present - known)}"
    assert len(RINGS["helpers"]) <= MOST_HELPERS
    for module in MODULES:
        ring_of(module)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_a_module_imports_only_the_rings_its_ring_may_use(module: str) -> None:
    ring = ring_of(module)
    for line, imported in imports_of(MODULES[module]):
        other = ring_of(imported)
        assert other == ring or other in ALLOWED[ring], (
            f"{module}:{line} ({ring}) imports {imported} ({other})"
        )


def test_there_is_no_import_loop() -> None:
    graph = {name: {m for _, m in imports_of(path)} - {name} for name, path in MODULES.items()}
    loops = _strongly_connected(graph)
    assert not loops, f"import loops: {loops}"


def test_the_loop_finder_finds_a_loop() -> None:
    assert _strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [
        ["a", "b", "c"]
    ]


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iteratively: the groups of two or more modules that import each
    other, directly or around a circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


SHELL_MODULES = sorted(m for m in MODULES if ring_of(m) == "shell")


@pytest.mark.parametrize("module", SHELL_MODULES)
def test_the_shell_touches_no_private_attribute_of_another_object(module: str) -> None:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and node.attr != "_"  # a translator's gettext, `t._("...")`: public by convention
            and not (isinstance(node.value, ast.Name) and node.value.id in {"self", "cls"})
        ):
            owner = ast.unparse(node.value)
            raise AssertionError(f"{module}:{node.lineno} reaches into {owner}.{node.attr}")
