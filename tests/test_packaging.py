"""The wheel ships every file the program reads, and setuptools has nothing to guess about."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_holds_the_data_folders_and_the_build_warns_of_none(tmp_path: Path) -> None:
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", str(ROOT), "-w", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=170,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    assert "is absent from the `packages` configuration" not in build.stdout + build.stderr
    [wheel] = tmp_path.glob("nudger-*.whl")
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
