"""Reading the window in front. `detect()` picks one backend for this platform and session,
once, in the style of platformdirs: a small module per backend behind one protocol."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from nudger.core.translate import N_, Said
from nudger.sensing.base import Reading, Sensor, SensorUnavailable, Window

__all__ = ["Backend", "Reading", "Sensor", "SensorUnavailable", "Why", "Window", "detect"]

Opener = Callable[[float], Sensor]  # takes the idle threshold in seconds


# Why a backend was chosen, kept as a value: put into the person's words where it is shown (the
# log, `doctor`), translated then and never before.
Why = Said


@dataclass(frozen=True)
class Backend:
    """The chosen backend: its name, why it was chosen, and how to open it (which may fail)."""

    name: str
    reason: Why
    open: Opener = field(repr=False)
    session: str = ""

    @property
    def reads_windows(self) -> bool:
        return self.name != "processes"


def _desktops(env: Mapping[str, str]) -> set[str]:
    return {
        part.strip().lower()
        for part in env.get("XDG_CURRENT_DESKTOP", "").split(":")
        if part.strip()
    }


def detect(env: Mapping[str, str] | None = None, platform: str = sys.platform) -> Backend:
    """Choose the backend once, from the platform and the session's environment."""
    env = os.environ if env is None else env
    name, reason, session = choose(env, platform)
    openers: dict[str, Callable[[Mapping[str, str], Why], Opener]] = {
        "x11": _x11_opener,
        "sway": _sway_opener,
        "hyprland": _hyprland_opener,
        "gnome": _gnome_opener,
        "kde": _kde_opener,
        "macos": lambda _env, _reason: _open_macos,
        "windows": lambda _env, _reason: _open_windows,
        "processes": lambda _env, why: _processes_only(why),
    }
    return Backend(name, reason, openers[name](env, reason), session)


def choose(env: Mapping[str, str], platform: str) -> tuple[str, Why, str]:
    """(backend, why, session type). Precedence, top first:

    macOS, Windows; a sway or Hyprland socket (whatever else is set: Xwayland sets DISPLAY too);
    an X11 session; Wayland on GNOME or KDE; another Wayland compositor (running apps only:
    X11 calls there would see only Xwayland windows); a bare DISPLAY; nothing visible.
    """
    if platform in {"darwin", "win32"}:
        kind = "macos" if platform == "darwin" else "windows"
        return kind, Why("macOS" if kind == "macos" else "Windows"), kind
    session = env.get("XDG_SESSION_TYPE", "").lower()
    desktops = _desktops(env)
    display = env.get("DISPLAY")
    wayland = bool(env.get("WAYLAND_DISPLAY")) or session == "wayland"
    shown = session or ("wayland" if wayland else "x11" if display else "unknown")
    compositor = env.get("XDG_CURRENT_DESKTOP", "")
    choice: tuple[str, Why]
    if env.get("SWAYSOCK"):
        choice = ("sway", Why(N_("sway's socket is at {path}"), {"path": env["SWAYSOCK"]}))
    elif env.get("HYPRLAND_INSTANCE_SIGNATURE"):
        choice = ("hyprland", Why(N_("HYPRLAND_INSTANCE_SIGNATURE is set")))
    elif session == "x11" and display:
        choice = ("x11", Why(N_("an X11 session on DISPLAY={display}"), {"display": display}))
    elif wayland and "gnome" in desktops:
        choice = ("gnome", Why(N_("GNOME on Wayland")))
    elif wayland and "kde" in desktops:
        choice = ("kde", Why(N_("KDE Plasma on Wayland")))
    elif wayland and compositor:
        said = N_("{compositor} on Wayland does not tell programs which window is in front")
        choice = ("processes", Why(said, {"compositor": compositor}))
    elif wayland:
        choice = (
            "processes",
            Why(N_("this compositor on Wayland does not tell programs which window is in front")),
        )
    elif display:
        choice = ("x11", Why(N_("DISPLAY={display} is set"), {"display": display}))
    else:
        choice = (
            "processes",
            Why(N_("no graphical session is visible (neither DISPLAY nor WAYLAND_DISPLAY is set)")),
        )
    return choice[0], choice[1], shown


def _x11_opener(env: Mapping[str, str], _reason: Why) -> Opener:
    def open_x11(_idle: float) -> Sensor:
        from nudger.sensing.x11 import X11Sensor  # noqa: PLC0415 - python-xlib: Linux only

        return X11Sensor(env.get("DISPLAY"))

    return open_x11


def _sway_opener(env: Mapping[str, str], _reason: Why) -> Opener:
    def open_sway(idle: float) -> Sensor:
        from nudger.sensing.sway import SwaySensor  # noqa: PLC0415
        from nudger.sensing.wayland_idle import IdleWatch  # noqa: PLC0415

        sensor = SwaySensor(env["SWAYSOCK"])
        sensor.attach_idle(IdleWatch.start(idle, env))
        return sensor

    return open_sway


def _hyprland_opener(env: Mapping[str, str], _reason: Why) -> Opener:
    def open_hyprland(idle: float) -> Sensor:
        from nudger.sensing import hyprland  # noqa: PLC0415
        from nudger.sensing.wayland_idle import IdleWatch  # noqa: PLC0415

        path = hyprland.socket_path(env)
        if path is None or not path.exists():
            raise SensorUnavailable(
                Said(N_("Hyprland's socket is not there ({path})"), {"path": path})
            )
        events = hyprland.event_socket(hyprland.socket_path(env, ".socket2.sock"))
        try:
            sensor = hyprland.HyprlandSensor(hyprland.socket_request(path), events)
        except SensorUnavailable:
            if events is not None:
                events.close()
            raise
        sensor.attach_idle(IdleWatch.start(idle, env))
        return sensor

    return open_hyprland


def _gnome_opener(env: Mapping[str, str], _reason: Why) -> Opener:
    def open_gnome(_idle: float) -> Sensor:
        from nudger.sensing.dbus_calls import SessionBusCaller  # noqa: PLC0415
        from nudger.sensing.gnome import GnomeSensor  # noqa: PLC0415

        return GnomeSensor(SessionBusCaller(env))

    return open_gnome


def _kde_opener(env: Mapping[str, str], _reason: Why) -> Opener:
    def open_kde(_idle: float) -> Sensor:
        from nudger.sensing.dbus_calls import SessionBusCaller  # noqa: PLC0415
        from nudger.sensing.kde import KdeSensor, KWinBridge  # noqa: PLC0415

        return KdeSensor(SessionBusCaller(env), KWinBridge(env))

    return open_kde


def _open_macos(_idle: float) -> Sensor:
    from nudger.sensing.macos import open_sensor  # noqa: PLC0415

    return open_sensor()


def _open_windows(_idle: float) -> Sensor:
    from nudger.sensing.windows import open_sensor  # noqa: PLC0415

    return open_sensor()


def _processes_only(reason: Why) -> Opener:
    def refuse(_idle: float) -> Sensor:
        raise SensorUnavailable(
            Said(
                N_("{reason}; counting the social apps that are running instead"),
                {"reason": reason},
            )
        )

    return refuse
