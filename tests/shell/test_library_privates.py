"""No class of nudger overrides a private method of a library (issue 27): a library may rename,
drop or stop calling its private methods in any release, and an override would then break
silently. Every module is imported and its classes inspected: a method whose name starts with one
underscore may not be one that a class outside nudger in its MRO defines too."""

from __future__ import annotations

import argparse
import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from types import ModuleType

import pytest

import nudger

# Modules missing these import only on macOS or Windows.
PLATFORM_ONLY = {
    "AppKit",
    "ApplicationServices",
    "Foundation",
    "Quartz",
    "ScriptingBridge",
    "objc",
    "windows_toasts",
    "winreg",
}
# Overrides known and owned by another step of issue 27; each entry says why it is still here.
KNOWN: dict[str, str] = {
    "nudger.cli._Parser._check_value": (
        "argparse has no public hook for a mistyped command's suggestion before Python 3.14; "
        "the parser is reworked where argparse gets its words without patching (step 2)"
    ),
}

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(nudger.__path__, "nudger.")
    if not info.name.endswith(".__main__")  # running it is what importing it does
)


def imported(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ImportError as error:
        if (error.name or "").split(".")[0] in PLATFORM_ONLY:
            pytest.skip(f"{name} imports only on macOS or Windows ({error.name} is missing)")
        raise


def classes_of(owner: ModuleType | type, module: str) -> Iterator[type]:
    """The classes defined in `module`, those nested in its classes too."""
    for value in vars(owner).values():
        if inspect.isclass(value) and value.__module__ == module and value is not owner:
            yield value
            yield from classes_of(value, module)


def is_method(value: object) -> bool:
    return inspect.isfunction(value) or isinstance(value, classmethod | staticmethod | property)


def library_privates_overridden(module: ModuleType) -> Iterator[str]:
    for cls in classes_of(module, module.__name__):
        for name, value in vars(cls).items():
            if not name.startswith("_") or name.startswith("__") or not is_method(value):
                continue
            for base in cls.__mro__[1:]:
                if base.__module__.split(".")[0] != "nudger" and name in vars(base):
                    yield f"{cls.__module__}.{cls.__qualname__}.{name}"
                    break


@pytest.mark.parametrize("name", MODULES)
def test_no_class_overrides_a_private_method_of_a_library(name: str) -> None:
    found = [found for found in library_privates_overridden(imported(name)) if found not in KNOWN]
    assert not found, f"overrides a library's private method: {', '.join(found)}"


@pytest.mark.parametrize("known", sorted(KNOWN))
def test_each_known_override_is_still_there(known: str) -> None:
    """Once a known override is gone, its entry must go too, lest it hide a new one."""
    module = known.rsplit(".", 2)[0]
    assert known in set(library_privates_overridden(imported(module))), (
        f"{known} no longer overrides a library's private method: remove it from KNOWN"
    )


def test_the_check_finds_an_override() -> None:
    """The inspection itself works: a class overriding a private method of a library is found."""
    module = ModuleType("nudger.probe")

    class Probe(argparse.ArgumentParser):
        def _check_value(self, action: argparse.Action, value: object) -> None:
            super()._check_value(action, value)  # type: ignore[misc]

        def _own_helper(self) -> None:
            """A private method of its own: no library defines it, so it is fine."""

    Probe.__module__, Probe.__qualname__ = module.__name__, "Probe"
    module.Probe = Probe  # type: ignore[attr-defined]
    assert list(library_privates_overridden(module)) == ["nudger.probe.Probe._check_value"]
