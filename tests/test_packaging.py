"""The wheel ships every file the program reads, setuptools has nothing to guess about, and the
tests run against a plain (not editable) install of it."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Built:
    wheel: Path
    log: str


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The wheel `pip install .` would install, built once for the tests below."""
    folder = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", str(ROOT), "-w", str(folder)],
        capture_output=True,
        text=True,
        check=False,
        timeout=170,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    [wheel] = folder.glob("nudger-*.whl")
    return Built(wheel, build.stdout + build.stderr)


def test_the_wheel_holds_the_data_folders_and_the_build_warns_of_none(built: Built) -> None:
    assert "is absent from the `packages` configuration" not in built.log
    wheel = built.wheel
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {
        "nudger/config/nudger.toml",
        "nudger/locale/de/LC_MESSAGES/nudger.mo",
        "nudger/locale/es/LC_MESSAGES/nudger.mo",
        "nudger/browser/extension/manifest.json",
        "nudger/browser/extension/_locales/de/messages.json",
        *(f"nudger/tray/icons/nudger-{mode}.png" for mode in ("watching", "paused", "promised")),
        *(
            f"nudger/tray/icons/nudger-{mode}-{size}.argb"
            for mode in ("watching", "paused", "promised")
            for size in (16, 22, 24, 32, 48, 64)
        ),
    }
    assert shipped <= names, shipped - names
    extension = ROOT / "nudger" / "browser" / "extension"
    for path in extension.rglob("*"):
        if path.is_file():
            assert f"nudger/browser/extension/{path.relative_to(extension)}" in names, path


def test_the_tests_run_against_a_plain_install(built: Built, tmp_path: Path) -> None:
    """After `pip install .` (not -e), the tests import the installed package, whose config/
    ships as nudger.config, not the source folder beside them, where config/ stays at the top
    (the design card). The install is the wheel's files in a folder of their own; Python starts
    without its site hook (-S), so that no editable install's finder can stand in for them, and
    finds the libraries the tests need in this environment's site-packages."""
    installed = tmp_path / "installed"
    pip = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index"]
    subprocess.run([*pip, "--target", str(installed), str(built.wheel)], check=True, timeout=170)
    libraries = [path for path in site.getsitepackages() if Path(path, "pytest").is_dir()]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(installed), *libraries])}
    python = [sys.executable, "-S", "-P"]  # -P: the folder it starts in is not searched first
    found = subprocess.run(
        [*python, "-c", "import nudger.config; print(nudger.config.__path__[0])"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert found.stdout.strip() == str(installed / "nudger" / "config"), found.stderr
    tests = ["tests/settings", "tests/core/test_days.py", "tests/shell/test_i18n.py"]
    run = subprocess.run(
        [*python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0", *tests],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=170,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert " passed" in run.stdout and "error" not in run.stdout.lower(), run.stdout[-3000:]
