"""Choosing the language and reading its catalogue (nudger/shell/i18n.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import nudger
from nudger.shell.i18n import choose_language, translator_for

PACKAGE = Path(nudger.__file__).resolve().parent


def test_the_catalogue_is_read_from_a_package_with_no_folder_on_disk(tmp_path: Path) -> None:
    """From a zip archive, as zipimport or a packed application loads it: the catalogue is read
    while importlib.resources holds it open, never through a path kept after it closed."""
    archive = tmp_path / "nudger.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in PACKAGE.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                zipped.write(path, path.relative_to(PACKAGE.parent))
    speak = (
        "from nudger.shell import i18n\n"
        "print(i18n.__file__)\n"
        "print(i18n.translator_for('de')._('the environment'))\n"
        "print(i18n.translator_for('es')._('the environment'))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(archive)}
    shown = subprocess.run(
        [sys.executable, "-c", speak],
        check=False,
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert shown.returncode == 0, shown.stderr
    where, german, spanish = shown.stdout.splitlines()
    assert where.startswith(str(archive))  # the zipped package spoke, not an installed one
    assert (german, spanish) == ("die Umgebung", "el entorno")


def test_a_language_without_a_catalogue_is_english() -> None:
    assert choose_language("", {"LANG": "fr_FR.UTF-8"}) == "en"
    assert translator_for("tlh")._("the environment") == "the environment"
    assert translator_for("de")._("the environment") == "die Umgebung"
