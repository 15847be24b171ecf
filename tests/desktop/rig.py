"""A real, headless desktop for end-to-end tests: Xvfb, a D-Bus session bus, openbox and dunst.

Every test desktop picks its own display number (Xvfb -displayfd) and its own bus socket, so
tests never collide. Everything started here is killed by process group at teardown.
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from Xlib import X, Xatom, display, protocol
from Xlib.error import XError

# Root needs --no-sandbox; the rest keeps Chromium from reaching for the (closed) network.
CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
)

REQUIRED_TOOLS = ("Xvfb", "openbox", "dbus-daemon", "dunst", "xdotool", "dbus-monitor")


def wait_until(
    predicate: Callable[[], object],
    timeout: float,
    what: str | Callable[[], str],
    step: float = 0.05,
) -> object:
    """Poll `predicate` until it returns something truthy; fail the test with `what` if it never
    does (a callable `what` is asked then, to say what was there instead)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            said = what() if callable(what) else what
            raise AssertionError(f"timed out after {timeout:.1f} s waiting for {said}")
        time.sleep(step)


@dataclass
class AppWindow:
    wid: int
    process: subprocess.Popen[bytes]
    title: str


class Desktop:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._processes: list[subprocess.Popen[bytes]] = []
        self.display_name = ""
        self.bus_address = ""
        self._x: display.Display | None = None
        self.dunst: subprocess.Popen[bytes] | None = None
        self.monitor_log = self.workdir / "notify-monitor.log"

    # -- lifecycle ------------------------------------------------------------------------

    @property
    def number(self) -> int:
        return int(self.display_name.lstrip(":"))

    @property
    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DISPLAY=self.display_name,
            DBUS_SESSION_BUS_ADDRESS=self.bus_address,
            XDG_CURRENT_DESKTOP="openbox",
            XDG_SESSION_TYPE="x11",
        )
        for wayland_var in ("WAYLAND_DISPLAY", "SWAYSOCK", "HYPRLAND_INSTANCE_SIGNATURE"):
            env.pop(wayland_var, None)
        return env

    def start_x(self, number: int | None = None) -> None:
        """Start Xvfb on a free display (or on `number`, to bring back a display that died)."""
        read_fd, write_fd = os.pipe()
        where = [f":{number}"] if number is not None else ["-displayfd", str(write_fd)]
        xvfb = self._spawn(
            ["Xvfb", *where, "-screen", "0", "1280x800x24", "-nolisten", "tcp", "-noreset"],
            "xvfb",
            pass_fds=(write_fd,),
        )
        os.close(write_fd)
        if number is None:
            with os.fdopen(read_fd) as pipe:
                found = pipe.readline().strip()
            if not found:
                raise RuntimeError(f"Xvfb did not start: {self._log('xvfb')}")
            number = int(found)
        else:
            os.close(read_fd)
            socket = Path(f"/tmp/.X11-unix/X{number}")
            wait_until(socket.exists, 30, f"Xvfb on :{number}")
        self.xvfb = xvfb
        self.display_name = f":{number}"
        self._x = wait_until(lambda: _try_connect(self.display_name), 30, "the X server to answer")  # type: ignore[assignment]

    def start_bus(self) -> None:
        socket_path = self.workdir / "bus"
        with contextlib.suppress(FileNotFoundError):
            socket_path.unlink()
        # Our own bus configuration, without the system's service directories: nothing may be
        # started by D-Bus activation (dunst would be, on the first Notify), only what a test starts.
        config = self.workdir / "session-bus.conf"
        config.write_text(BUS_CONFIG.format(socket=socket_path), encoding="utf-8")
        self._spawn(["dbus-daemon", f"--config-file={config}", "--nofork", "--nopidfile"], "dbus")
        self.bus_address = f"unix:path={socket_path}"
        wait_until(socket_path.exists, 30, "the D-Bus session bus")
        self._spawn(
            [
                "dbus-monitor",
                "--session",
                "type='method_call',interface='org.freedesktop.Notifications',member='Notify'",
            ],
            "notify-monitor",
            log_path=self.monitor_log,
        )

    def start_window_manager(self) -> None:
        self._spawn(["openbox", "--sm-disable"], "openbox")
        wait_until(self._wm_ready, 30, "openbox to manage the screen")

    def start_notifications(self) -> subprocess.Popen[bytes]:
        config = self.workdir / "dunstrc"
        config.write_text(DUNSTRC.format(dmenu=self.workdir / "pick-action"), encoding="utf-8")
        picker = self.workdir / "pick-action"
        # dunst's context menu pipes the actions to this "dmenu" and invokes the line it prints.
        picker.write_text(
            '#!/bin/sh\nchoice=$(cat "$0.choice" 2>/dev/null)\ngrep -m1 -F "$choice"\n',
            encoding="utf-8",
        )
        picker.chmod(0o755)
        self.dunst = self._spawn(["dunst", "-config", str(config)], "dunst")
        wait_until(self.notification_server_ready, 30, "dunst to own org.freedesktop.Notifications")
        return self.dunst

    def stop_notifications(self) -> None:
        if self.dunst is not None:
            self._kill(self.dunst)
            self.dunst = None

    def plan_display(self, number: int) -> None:
        """Point the environment at a display that does not exist yet (a session still starting)."""
        self.display_name = f":{number}"

    def plan_bus(self) -> None:
        """Point the environment at a session bus that does not exist yet."""
        self.bus_address = f"unix:path={self.workdir / 'bus'}"

    def start(self, *, notifications: bool = True, number: int | None = None) -> Desktop:
        self.start_x(number)
        self.start_bus()
        self.start_window_manager()
        if notifications:
            self.start_notifications()
        return self

    def stop(self) -> None:
        if self._x is not None:
            with contextlib.suppress(Exception):
                self._x.close()
            self._x = None
        for process in reversed(self._processes):
            self._kill(process)
        self._processes.clear()

    def kill_x(self) -> None:
        """Kill the X server (and the window manager with it), as when a session crashes."""
        if self._x is not None:
            with contextlib.suppress(Exception):
                self._x.close()
            self._x = None
        self._kill(self.xvfb)

    # -- windows --------------------------------------------------------------------------

    def open_xterm(self, title: str) -> AppWindow:
        process = self._spawn(
            ["xterm", "-xrm", "XTerm*utf8Title: true", "-T", title, "-e", "sleep", "3600"],
            "xterm",
        )
        return self._await_window(title, process)

    def open_legacy_xterm(self, title: str) -> AppWindow:
        """An xterm that sets only a COMPOUND_TEXT WM_NAME (no _NET_WM_NAME), like old programs."""
        process = self._spawn(
            ["xterm", "-xrm", "XTerm*utf8Title: false", "-T", title, "-e", "sleep", "3600"],
            "xterm-legacy",
        )
        return self._await_window(title, process)

    def page(self, title: str, body: str = "") -> Path:
        path = self.workdir / f"page-{abs(hash(title))}.html"
        path.write_text(
            "<!doctype html><html><head><meta charset='utf-8'>"
            f"<title>{html.escape(title)}</title></head><body><h1>{html.escape(title)}</h1>"
            f"{body}</body></html>",
            encoding="utf-8",
        )
        return path

    def open_chromium(self, title: str) -> AppWindow:
        profile = self.workdir / f"chromium-{len(self._processes)}"
        process = self._spawn(
            [
                chromium_binary(),
                *CHROMIUM_FLAGS,
                "--password-store=basic",
                f"--user-data-dir={profile}",
                f"file://{self.page(title)}",
            ],
            "chromium",
        )
        return self._await_window(title, process, timeout=30)

    def open_firefox(self, title: str) -> AppWindow:
        profile = self.workdir / f"firefox-{len(self._processes)}"
        profile.mkdir()
        (profile / "user.js").write_text(FIREFOX_PREFS, encoding="utf-8")
        env = {"MOZ_CRASHREPORTER_DISABLE": "1", "MOZ_DISABLE_CONTENT_SANDBOX": "1"}
        process = self._spawn(
            [
                "firefox-esr",
                "--no-remote",
                "--new-instance",
                "--profile",
                str(profile),
                f"file://{self.page(title)}",
            ],
            "firefox",
            extra_env=env,
        )
        return self._await_window(title, process, timeout=60)

    def activate(self, window: AppWindow) -> None:
        subprocess.run(
            ["xdotool", "windowactivate", "--sync", str(window.wid)],
            env=self.env,
            check=True,
            capture_output=True,
            timeout=10,
        )
        wait_until(
            lambda: self.active_window() == window.wid, 30, f"{window.title!r} to be in front"
        )

    def switch_to(self, window: AppWindow) -> float:
        """Bring `window` to the front the way a pager or a click does (an EWMH request to the
        window manager, no subprocess), and return the moment the switch was seen on the server.
        Fast and precise enough to time switches of half a second."""
        assert self._x is not None
        root = self._x.screen().root
        target = self._x.create_resource_object("window", window.wid)
        request = protocol.event.ClientMessage(
            window=target,
            client_type=self._x.intern_atom("_NET_ACTIVE_WINDOW"),
            data=(32, [2, X.CurrentTime, 0, 0, 0]),  # 2: a pager asks, so the WM obeys
        )
        root.send_event(request, event_mask=X.SubstructureRedirectMask | X.SubstructureNotifyMask)
        self._x.flush()
        wait_until(
            lambda: self.active_window() == window.wid,
            30,
            f"{window.title!r} to be in front",
            step=0.001,
        )
        return time.time()

    def retitle(self, window: AppWindow, title: str) -> None:
        """Change a window's title, as a browser does when another tab comes to the front."""
        subprocess.run(
            ["xdotool", "set_window", "--name", title, str(window.wid)],
            env=self.env,
            check=True,
            capture_output=True,
            timeout=10,
        )
        wait_until(lambda: self._title_of(window.wid) == title, 30, f"the title {title!r}")

    def close(self, window: AppWindow) -> None:
        self._kill(window.process)

    def active_window(self) -> int:
        assert self._x is not None
        root = self._x.screen().root
        prop = root.get_full_property(self._x.intern_atom("_NET_ACTIVE_WINDOW"), Xatom.WINDOW)
        return int(prop.value[0]) if prop and len(prop.value) else 0

    def touch_input(self) -> None:
        """Move the pointer, which resets the X idle counter like a real user would."""
        subprocess.run(
            ["xdotool", "mousemove_relative", "1", "1"],
            env=self.env,
            check=True,
            capture_output=True,
            timeout=10,
        )

    # -- notifications --------------------------------------------------------------------

    def notification_server_ready(self) -> bool:
        result = subprocess.run(
            [
                "dbus-send",
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                "string:org.freedesktop.Notifications",
            ],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        return "boolean true" in result.stdout

    def notify_calls(self) -> list[list[str]]:
        """Every Notify call seen on the bus: the string arguments of each, in order."""
        text = (
            self.monitor_log.read_text(encoding="utf-8", errors="replace")
            if self.monitor_log.exists()
            else ""
        )
        calls: list[list[str]] = []
        for block in text.split("method call")[1:]:
            if "member=Notify" in block:
                calls.append(re.findall(r'string "((?:[^"\\]|\\.)*)"', block))
        return calls

    def dunstctl(self, *args: str) -> str:
        result = subprocess.run(
            ["dunstctl", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        return result.stdout

    def choose_action(self, label: str) -> None:
        """Open dunst's context menu and pick the action whose label contains `label`."""
        (self.workdir / "pick-action.choice").write_text(label, encoding="utf-8")
        self.dunstctl("context")

    # -- internals ------------------------------------------------------------------------

    def _wm_ready(self) -> bool:
        assert self._x is not None
        root = self._x.screen().root
        prop = root.get_full_property(
            self._x.intern_atom("_NET_SUPPORTING_WM_CHECK"), X.AnyPropertyType
        )
        return bool(prop and len(prop.value))

    def _title_of(self, wid: int) -> str:
        assert self._x is not None
        window = self._x.create_resource_object("window", wid)
        # One request from offset 0: get_full_property asks twice, and a title that shrinks in
        # between (a browser mid-navigation) makes the second ask fail with BadValue, which
        # python-xlib then misreads as RandR's error and cannot raise cleanly.
        try:
            prop = window.get_property(
                self._x.intern_atom("_NET_WM_NAME"), X.AnyPropertyType, 0, 4096
            )
            if prop is None:
                prop = window.get_property(Xatom.WM_NAME, X.AnyPropertyType, 0, 4096)
        except XError:
            return ""  # the window vanished while being read
        if prop is None:
            return ""
        value = prop.value
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)

    def _find_window(self, title: str) -> int:
        assert self._x is not None
        root = self._x.screen().root
        prop = root.get_full_property(self._x.intern_atom("_NET_CLIENT_LIST"), X.AnyPropertyType)
        for wid in prop.value if prop else ():
            with contextlib.suppress(Exception):
                if title in self._title_of(int(wid)):
                    return int(wid)
        return 0

    def _await_window(
        self, title: str, process: subprocess.Popen[bytes], timeout: float = 15
    ) -> AppWindow:
        # COMPOUND_TEXT titles read back through python-xlib only for their ASCII part.
        ascii_prefix = re.match(r"[\x20-\x7e]*", title)
        probe = (ascii_prefix.group(0) if ascii_prefix else "") or title
        wid = wait_until(lambda: self._find_window(probe), timeout, f"a window titled {title!r}")
        return AppWindow(int(str(wid)), process, title)

    def _log(self, name: str) -> str:
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def _spawn(
        self,
        argv: list[str],
        name: str,
        *,
        pass_fds: tuple[int, ...] = (),
        log_path: Path | None = None,
        extra_env: dict[str, str] | None = None,
    ) -> subprocess.Popen[bytes]:
        log_path = log_path or self.workdir / f"{name}.log"
        env = self.env if self.display_name else dict(os.environ)
        if self.bus_address:
            env["DBUS_SESSION_BUS_ADDRESS"] = self.bus_address
        env.update(extra_env or {})
        with log_path.open("ab") as log:
            process = subprocess.Popen(
                argv,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                pass_fds=pass_fds,
                start_new_session=True,
            )
        self._processes.append(process)
        return process

    @staticmethod
    def _kill(process: subprocess.Popen[bytes]) -> None:
        kill_group(process)


def kill_group(process: subprocess.Popen[bytes]) -> None:
    """Stop a process started in its own session, and everything it started: TERM, then KILL."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def _try_connect(name: str) -> display.Display | None:
    try:
        return display.Display(name)
    except Exception:  # noqa: BLE001 - any failure here just means "not yet"
        return None


def free_display_number() -> int:
    """A display number nobody uses, for a test that starts (or restarts) its X server itself.

    Xvfb -displayfd, which the other desktops use, counts up from :0, so it does not take these
    numbers while a test's server is down; the start depends on the pid so that parallel workers
    rarely look at the same number first.
    """
    first = 120 + os.getpid() % 200
    for number in (*range(first, 400), *range(120, first)):
        if (
            not Path(f"/tmp/.X11-unix/X{number}").exists()
            and not Path(f"/tmp/.X{number}-lock").exists()
        ):
            return number
    raise RuntimeError("no free X display number")


def chromium_binary() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return "chromium"


@contextlib.contextmanager
def running_desktop(
    workdir: Path, *, notifications: bool = True, number: int | None = None
) -> Iterator[Desktop]:
    desktop = Desktop(workdir)
    try:
        yield desktop.start(notifications=notifications, number=number)
    finally:
        desktop.stop()


BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""

DUNSTRC = """
[global]
    dmenu = {dmenu}
    show_indicators = yes
[urgency_low]
    timeout = 60
[urgency_normal]
    timeout = 60
[urgency_critical]
    timeout = 60
"""

FIREFOX_PREFS = """
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("browser.aboutwelcome.enabled", false);
user_pref("browser.startup.homepage_override.mstone", "ignore");
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);
user_pref("app.update.enabled", false);
user_pref("network.captive-portal-service.enabled", false);
user_pref("network.connectivity-service.enabled", false);
user_pref("browser.tabs.warnOnClose", false);
user_pref("app.normandy.enabled", false);
user_pref("extensions.update.enabled", false);
user_pref("extensions.getAddons.cache.enabled", false);
user_pref("browser.safebrowsing.malware.enabled", false);
user_pref("browser.safebrowsing.phishing.enabled", false);
user_pref("browser.safebrowsing.downloads.enabled", false);
user_pref("browser.region.update.enabled", false);
user_pref("browser.newtabpage.enabled", false);
user_pref("datareporting.healthreport.uploadEnabled", false);
user_pref("toolkit.telemetry.enabled", false);
user_pref("media.gmp-manager.updateEnabled", false);
user_pref("services.settings.server", "data:,#remote-settings-dummy/v1");
"""
