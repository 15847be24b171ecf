"""The icon's images, shipped in nudger/tray/icons/ (drawn by scripts/make_tray_icons).

`nudger-<mode>.png` for hosts that look an icon up by name (with the folder as the theme path),
and `nudger-<mode>-<size>.argb`, raw ARGB32 in network byte order: the StatusNotifierItem
IconPixmap format as it is, so nothing decodes an image at run time.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

from nudger.tray.base import Mode

PIXMAP_SIZES = (16, 22, 24, 32, 48, 64)


def icon_name(mode: Mode) -> str:
    return f"nudger-{mode}"


def icons_folder() -> Path | None:
    """The folder of the images on disk, or None where the package is not unpacked (a zip)."""
    folder = resources.files("nudger.tray").joinpath("icons")
    path = Path(str(folder))
    return path if path.is_dir() else None


def png_file(mode: Mode) -> Path | None:
    folder = icons_folder()
    return None if folder is None else folder / f"{icon_name(mode)}.png"


@functools.cache
def pixmaps(mode: Mode) -> tuple[tuple[int, int, bytes], ...]:
    """(width, height, ARGB32 bytes) at every shipped size, smallest first."""
    folder = resources.files("nudger.tray").joinpath("icons")
    found = []
    for size in PIXMAP_SIZES:
        data = folder.joinpath(f"{icon_name(mode)}-{size}.argb").read_bytes()
        if len(data) != size * size * 4:
            raise ValueError(f"the {mode} icon at {size} px is damaged ({len(data)} bytes)")
        found.append((size, size, data))
    return tuple(found)
