"""A fresh venv with the released wheel installed (pip included, with every dependency) stays
under 80 MB, with no Babel in it, and writes dates right in every language nudger speaks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

LIMIT_MB = 80
PYTHON = getattr(sys, "_base_executable", sys.executable)


def _disk_usage(folder: Path) -> int:
    """Bytes on disk, as `du` counts them (blocks, each file once)."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for root, _dirs, names in os.walk(folder):
        for name in names:
            stat = Path(root, name).lstat()
            if (stat.st_dev, stat.st_ino) not in seen:
                seen.add((stat.st_dev, stat.st_ino))
                total += stat.st_blocks * 512
    return total


def test_a_venv_with_nudger_is_under_80_mb_and_dates_are_right(
    released: Path, tmp_path: Path
) -> None:
    [wheel] = released.glob("nudger-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([PYTHON, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    listed = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=json"],
        capture_output=True,
        text=True,
        check=True,
    )
    names = {package["name"].lower() for package in json.loads(listed.stdout)}
    assert "nudger" in names and "pip" in names
    assert "babel" not in names
    size_mb = _disk_usage(venv) / 1e6
    assert size_mb < LIMIT_MB, f"the venv is {size_mb:.1f} MB"
    written = subprocess.run(
        [
            str(python),
            "-c",
            "import datetime, json\n"
            "from nudger.shell.i18n import translator_for\n"
            "day = datetime.date(2026, 11, 27)\n"
            "print(json.dumps({l: [translator_for(l).dates.full(day),"
            " translator_for(l).dates.short(day)] for l in ('en', 'de', 'es')}))",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert written.returncode == 0, written.stderr
    assert json.loads(written.stdout) == {
        "en": ["Friday 27 November 2026", "27 Nov"],
        "de": ["Freitag, 27. November 2026", "27. Nov."],
        "es": ["viernes, 27 de noviembre de 2026", "27 nov"],
    }
