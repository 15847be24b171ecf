"""How much disk an install takes: nudger and everything it depends on.

    .venv/bin/python bench/install_size.py

Makes a fresh virtual environment, installs this checkout into it with pip (as
`scripts/install` does), and adds up its site-packages, leaving out pip and setuptools, which
every virtual environment has whatever is installed into it. Prints the total and the largest
packages. Goal (issue 14): under 80 MB.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EVERY_VENV_HAS = ("pip", "setuptools", "pkg_resources", "_distutils_hack", "distutils-precedence")


def size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def measure() -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="nudger-size-") as name:
        target = Path(name) / "venv"
        venv.create(target, with_pip=True)
        python = target / "bin" / "python"
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                str(REPO),
            ],
            check=True,
        )
        [site] = list((target / "lib").glob("python*/site-packages"))
        sizes = {
            entry.name: size_of(entry)
            for entry in site.iterdir()
            if not entry.name.startswith(EVERY_VENV_HAS) and entry.name != "__pycache__"
        }
    largest = sorted(sizes.items(), key=lambda item: -item[1])[:6]
    return {
        "total_mb": sum(sizes.values()) / 1e6,
        **{f"{name}_mb": size / 1e6 for name, size in largest},
    }


def main() -> int:
    figures = measure()
    print(f"install size: {figures.pop('total_mb'):.1f} MB (goal < 80 MB); largest:")
    for name, size in figures.items():
        print(f"  {name.removesuffix('_mb')}: {size:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
