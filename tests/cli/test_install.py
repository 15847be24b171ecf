"""The README's first command, `./scripts/install && ~/.local/bin/nudger run`, on a Python that
refuses `pip install` the way Debian's and Ubuntu's do (PEP 668's EXTERNALLY-MANAGED marker).

Debian's own /usr/bin/python3 is used as it is, and rebuilt in a temporary folder (its standard
library linked, not copied) without the parts a fresh desktop may lack: ensurepip (the package
python3-venv) and pip (python3-pip).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEBIAN_PYTHON = Path("/usr/bin/python3")
DEBIAN_STDLIB = Path("/usr/lib/python3.11")
DIST_PACKAGES = Path("/usr/lib/python3/dist-packages")


@pytest.fixture(autouse=True)
def _debian_python() -> None:
    if not (DEBIAN_STDLIB / "EXTERNALLY-MANAGED").exists():
        pytest.fail(
            "Debian's python3 (with its EXTERNALLY-MANAGED marker) is not installed; "
            "./scripts/test installs it",
            pytrace=False,
        )


def user_env(home: Path, python: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "NUDGER_"))}
    venv_bin = str(Path(sys.executable).parent)
    env["PATH"] = ":".join(p for p in env.get("PATH", "").split(":") if p != venv_bin)
    env.update(HOME=str(home), PYTHON=str(python), XDG_DATA_HOME=str(home / ".local/share"))
    env.pop("XDG_BIN_HOME", None)
    return env


def install(home: Path, python: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(REPO / "scripts" / "install")],
        env={**user_env(home, python), **extra},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def system_python(root: Path, *, ensurepip: bool, pip: bool) -> Path:
    """Debian's Python in `root`: its standard library linked entry by entry, marker included,
    leaving out ensurepip and the system's pip where asked."""
    (root / "bin").mkdir(parents=True)
    shutil.copy2(DEBIAN_PYTHON.resolve(), root / "bin" / "python3.11")
    (root / "bin" / "python3").symlink_to("python3.11")
    stdlib = root / "lib" / "python3.11"
    stdlib.mkdir(parents=True)
    for entry in DEBIAN_STDLIB.iterdir():
        if ensurepip or entry.name != "ensurepip":
            (stdlib / entry.name).symlink_to(entry)
    if pip:
        (root / "lib" / "python3").mkdir()
        (root / "lib" / "python3" / "dist-packages").symlink_to(DIST_PACKAGES)
    return root / "bin" / "python3"


def test_a_bare_pip_install_is_refused_but_scripts_install_works(tmp_path: Path) -> None:
    refused = subprocess.run(
        [str(DEBIAN_PYTHON), "-m", "pip", "install", "--dry-run", str(REPO)],
        env=user_env(tmp_path, DEBIAN_PYTHON),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert refused.returncode != 0 and "externally-managed-environment" in refused.stderr

    result = install(tmp_path, DEBIAN_PYTHON)
    assert result.returncode == 0, result.stdout + result.stderr
    nudger = tmp_path / ".local" / "bin" / "nudger"
    assert "not on your PATH" in result.stdout and f"{nudger} run" in result.stdout
    version = subprocess.run(
        [str(nudger), "--version"], capture_output=True, text=True, check=False
    )
    assert version.returncode == 0 and version.stdout.startswith("nudger ")
    # The installed copy speaks German and Spanish with no extra step: the compiled catalogues
    # and each language's texts are in the wheel.
    for lang, words in (("de_DE.UTF-8", "Positionsargumente"), ("es_ES.UTF-8", "opciones")):
        helped = subprocess.run(
            [str(nudger), "--help"],
            env={**user_env(tmp_path, DEBIAN_PYTHON), "LANG": lang, "LC_ALL": ""},
            capture_output=True,
            text=True,
            check=False,
        )
        assert words in helped.stdout, helped.stdout
    from_wheel = subprocess.run(
        [
            str(tmp_path / ".local/share/nudger-app/venv/bin/python"),
            "-c",
            "from nudger.settings.messages import builtin_book; "
            "print(builtin_book('es').heavy_day_titles[0].title)",
        ],
        cwd=tmp_path,  # not the repository: the installed copy, not the source, is imported
        capture_output=True,
        text=True,
        check=False,
    )
    assert from_wheel.stdout.strip() == "Un momento para ti", from_wheel.stderr

    # ... and the second half of the line: `nudger run` starts on the built-in defaults.
    env = user_env(tmp_path, DEBIAN_PYTHON)
    for key in ("DISPLAY", "WAYLAND_DISPLAY", "SWAYSOCK", "DBUS_SESSION_BUS_ADDRESS"):
        env.pop(key, None)
    daemon = subprocess.Popen(
        [str(nudger), "run"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    time.sleep(4)
    daemon.send_signal(signal.SIGTERM)
    out, _ = daemon.communicate(timeout=20)
    assert daemon.returncode == 0, out
    assert "nudger started" in out
    assert (tmp_path / ".local" / "share" / "nudger" / "nudger.db").exists()


def test_without_python3_venv_the_system_pip_installs_it(tmp_path: Path) -> None:
    python = system_python(tmp_path / "system", ensurepip=False, pip=True)
    result = install(tmp_path / "home", python)
    assert result.returncode == 0, result.stdout + result.stderr
    nudger = tmp_path / "home" / ".local" / "bin" / "nudger"
    assert subprocess.run([str(nudger), "--version"], check=False).returncode == 0


def test_without_venv_and_pip_and_no_way_to_fetch_pip_it_says_what_to_install(
    tmp_path: Path,
) -> None:
    python = system_python(tmp_path / "system", ensurepip=False, pip=False)
    # Nothing listens on port 9 here: as on a machine offline.
    result = install(tmp_path / "home", python, NUDGER_PIP_PYZ_URL="http://127.0.0.1:9/pip.pyz")
    assert result.returncode == 1
    assert "sudo apt install python3-venv" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "home" / ".local" / "bin" / "nudger").exists()
