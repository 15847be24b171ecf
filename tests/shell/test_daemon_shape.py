"""The daemon's shape (issue 27): every part it holds is made in __init__, so no method can find
a part missing, and nothing asks `hasattr` to know whether it started."""

from __future__ import annotations

import ast
from pathlib import Path

DAEMON = Path(__file__).resolve().parents[2] / "nudger" / "shell" / "daemon.py"


def assigned_to_self(function: ast.FunctionDef) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(function):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            targets = [node.target]
        names |= {
            t.attr
            for t in targets
            if isinstance(t, ast.Attribute)
            and isinstance(t.value, ast.Name)
            and t.value.id == "self"
        }
    return names


def test_every_attribute_of_the_daemon_is_made_in_init() -> None:
    source = DAEMON.read_text(encoding="utf-8")
    [daemon] = [
        n for n in ast.parse(source).body if isinstance(n, ast.ClassDef) and n.name == "Daemon"
    ]
    methods = [n for n in daemon.body if isinstance(n, ast.FunctionDef)]
    [init] = [m for m in methods if m.name == "__init__"]
    made = assigned_to_self(init)
    late = {
        f"{method.name}: self.{name}"
        for method in methods
        if method is not init
        for name in assigned_to_self(method) - made
    }
    assert not late, sorted(late)
    assert "hasattr(self" not in source
