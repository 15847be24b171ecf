"""The icon's images and its menu, as values: every state has its pictures at every size, each
reads on a dark and a light panel, and the menu says only what it may."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from nudger.tray.base import TrayState, view_of
from nudger.tray.pictures import PIXMAP_SIZES, pixmaps, png_file

MODES = ("watching", "paused", "promised")
DARK, LIGHT = (30, 30, 30), (240, 240, 240)


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("mode", MODES)
def test_every_state_has_its_pixmaps_at_every_size(mode: str) -> None:
    found = pixmaps(mode)  # type: ignore[arg-type]
    assert [w for w, _, _ in found] == list(PIXMAP_SIZES)
    for width, height, data in found:
        assert len(data) == width * height * 4
        assert data[0] == 0, "a corner is transparent (ARGB: alpha first)"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("panel", [DARK, LIGHT])
def test_each_icon_stands_out_on_dark_and_light_panels(
    mode: str, panel: tuple[int, int, int]
) -> None:
    path = png_file(mode)  # type: ignore[arg-type]
    assert path is not None
    icon = Image.open(io.BytesIO(path.read_bytes())).convert("RGBA")
    ground = Image.new("RGBA", icon.size, (*panel, 255))
    ground.alpha_composite(icon)
    data = ground.convert("RGB").tobytes()
    pixels = [(data[i], data[i + 1], data[i + 2]) for i in range(0, len(data), 3)]
    # Enough of the icon differs clearly from the panel: its outline shows either way.
    standing_out = [p for p in pixels if _contrast(p, panel) >= 3]
    assert len(standing_out) >= len(pixels) // 4


def test_the_three_states_look_different() -> None:
    middles = {mode: pixmaps(mode)[-1][2] for mode in MODES}  # type: ignore[arg-type]
    assert len(set(middles.values())) == 3


def test_the_menu_pauses_when_watching_and_resumes_when_paused() -> None:
    watching = [(e.label, e.command) for e in view_of(TrayState("watching")).entries]
    paused = [(e.label, e.command) for e in view_of(TrayState("paused")).entries]
    assert ("Pause 1 hour", "pause") in watching
    assert ("Resume", "resume") in paused
    for entries in (watching, paused):
        assert ("Today's summary", "summary") in entries
        assert ("Someone to talk to", "help") in entries
        assert ("Settings", "settings") in entries


def test_today_is_one_kind_line_with_time_and_looks() -> None:
    (first, *_rest) = view_of(TrayState("watching", 25 * 60, 3)).entries
    assert first.label == "Today so far: 25 min, 3 looks"
    assert first.command is None
    nothing = view_of(TrayState("watching")).entries[0].label
    assert nothing == "Today so far: no time on social sites"


def test_during_a_promise_pause_says_it_waits() -> None:
    view = view_of(TrayState("promised", pause_waits_minutes=10))
    assert view.tooltip == "nudger: promised"
    pause = next(e for e in view.entries if e.command == "pause")
    assert pause.label == "Pause 1 hour (starts after 10 minutes, as promised)"
