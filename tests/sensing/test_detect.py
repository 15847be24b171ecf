"""`sensing.detect()` for every combination of the variables that describe a session."""

from __future__ import annotations

import itertools

import pytest

from nudger.sensing import detect
from nudger.shell import i18n

SESSION_TYPES = (None, "x11", "wayland", "tty")
WAYLAND_DISPLAYS = (None, "wayland-0")
SWAYSOCKS = (None, "/run/user/1000/sway-ipc.1000.1234.sock")
HYPRLAND = (None, "v0.45_1732000000")
DESKTOPS = (None, "GNOME", "ubuntu:GNOME", "KDE", "sway", "Hyprland", "XFCE", "X-Cinnamon")
DISPLAYS = (None, ":0")

COMBINATIONS = list(
    itertools.product(SESSION_TYPES, WAYLAND_DISPLAYS, SWAYSOCKS, HYPRLAND, DESKTOPS, DISPLAYS)
)


def expected(
    session: str | None,
    wayland_display: str | None,
    swaysock: str | None,
    hyprland: str | None,
    desktop: str | None,
    display: str | None,
) -> str:
    """The documented precedence, written out as the specification."""
    wayland = bool(wayland_display) or session == "wayland"
    desktops = {part.lower() for part in (desktop or "").split(":")}
    if swaysock:
        return "sway"  # its IPC sees every window, Xwayland ones too
    if hyprland:
        return "hyprland"
    if session == "x11" and display:
        return "x11"
    if wayland and "gnome" in desktops:
        return "gnome"
    if wayland and "kde" in desktops:
        return "kde"
    if wayland:
        return "processes"  # never X11 under Wayland: it would only see Xwayland windows
    if display:
        return "x11"
    return "processes"


@pytest.mark.parametrize(
    ("session", "wayland_display", "swaysock", "hyprland", "desktop", "display"),
    COMBINATIONS,
    ids=["|".join(str(v) for v in combo) for combo in COMBINATIONS],
)
def test_detect(
    session: str | None,
    wayland_display: str | None,
    swaysock: str | None,
    hyprland: str | None,
    desktop: str | None,
    display: str | None,
) -> None:
    values = {
        "XDG_SESSION_TYPE": session,
        "WAYLAND_DISPLAY": wayland_display,
        "SWAYSOCK": swaysock,
        "HYPRLAND_INSTANCE_SIGNATURE": hyprland,
        "XDG_CURRENT_DESKTOP": desktop,
        "DISPLAY": display,
    }
    env = {key: value for key, value in values.items() if value is not None}
    backend = detect(env, platform="linux")
    assert backend.name == expected(session, wayland_display, swaysock, hyprland, desktop, display)
    assert backend.reason, "every choice says why"
    assert backend.reads_windows == (backend.name != "processes")


@pytest.mark.parametrize(("platform", "name"), [("darwin", "macos"), ("win32", "windows")])
def test_other_platforms_ignore_the_linux_variables(platform: str, name: str) -> None:
    assert detect({"DISPLAY": ":0", "SWAYSOCK": "/x"}, platform=platform).name == name


def test_the_processes_backend_says_why_it_cannot_read_windows() -> None:
    backend = detect(
        {
            "XDG_SESSION_TYPE": "wayland",
            "WAYLAND_DISPLAY": "wayland-0",
            "XDG_CURRENT_DESKTOP": "river",
        }
    )
    assert backend.name == "processes" and "river" in str(backend.reason)
    with pytest.raises(Exception, match="counting the social apps that are running"):
        backend.open(120)


def test_the_reason_is_english_as_text_and_the_persons_language_when_shown() -> None:
    env = {"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "w", "XDG_CURRENT_DESKTOP": "KDE"}
    backend = detect(env, "linux")
    assert str(backend.reason) == "KDE Plasma on Wayland"
    assert backend.reason.in_language(i18n.translator_for("de", {})) == "KDE Plasma unter Wayland"
