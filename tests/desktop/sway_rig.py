"""Headless sway for Wayland tests. sway refuses to run as root, so as root it runs as nobody."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tests.desktop.rig import kill_group, wait_until

NOBODY = 65534


def _traversable_base() -> str:
    """A temporary directory that other users may pass through (/tmp is 0700 on some machines)."""
    for candidate in (tempfile.gettempdir(), "/var/tmp", "/dev/shm"):
        with contextlib.suppress(OSError):
            if Path(candidate).stat().st_mode & 0o001:
                return candidate
    raise RuntimeError("no world-traversable temporary directory for sway's runtime dir")


class Sway:
    def __init__(self) -> None:
        # Not under pytest's tmp_path (private to root): nobody must be able to reach this directory.
        self.runtime = Path(tempfile.mkdtemp(prefix="nudger-sway-", dir=_traversable_base()))
        self.runtime.chmod(0o700)
        if os.geteuid() == 0:
            os.chown(self.runtime, NOBODY, NOBODY)
        self._processes: list[subprocess.Popen[bytes]] = []
        self.socket = ""
        self.wayland_display = ""

    @property
    def env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DISPLAY", "WAYLAND_DISPLAY", "SWAYSOCK"}
        }
        env.update(
            HOME=str(self.runtime),
            XDG_RUNTIME_DIR=str(self.runtime),
            XDG_SESSION_TYPE="wayland",
            XDG_CURRENT_DESKTOP="sway",
            WLR_BACKENDS="headless",
            WLR_LIBINPUT_NO_DEVICES="1",
            WLR_RENDERER="pixman",
        )
        if self.socket:
            env["SWAYSOCK"] = self.socket
        if self.wayland_display:
            env["WAYLAND_DISPLAY"] = self.wayland_display
        return env

    def _as_user(self, argv: list[str]) -> list[str]:
        if os.geteuid() != 0:
            return argv
        return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *argv]

    def _spawn(self, argv: list[str], log: str) -> subprocess.Popen[bytes]:
        with (Path(tempfile.gettempdir()) / f"{self.runtime.name}-{log}.log").open("ab") as out:
            # cwd: nobody may not be able to enter ours (a checkout under a 0700 /tmp, say), and
            # foot refuses to start a program it cannot chdir for.
            process = subprocess.Popen(
                self._as_user(argv),
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                cwd=self.runtime,
            )
        self._processes.append(process)
        return process

    def start(self) -> Sway:
        self._spawn(["sway", "-c", "/dev/null"], "sway")
        self.socket = str(
            wait_until(
                lambda: next(iter(self.runtime.glob("sway-ipc.*.sock")), None),
                15,
                "sway's IPC socket",
            )
        )
        display = wait_until(
            lambda: next(
                (p for p in self.runtime.glob("wayland-*") if not p.name.endswith(".lock")), None
            ),
            15,
            "sway's Wayland socket",
        )
        self.wayland_display = Path(str(display)).name
        return self

    def swaymsg(self, *args: str) -> str:
        result = subprocess.run(
            ["swaymsg", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        return result.stdout

    def open_foot(self, title: str, app_id: str, *command: str) -> subprocess.Popen[bytes]:
        argv = ["foot", f"--app-id={app_id}", "--title", title, *(command or ("sleep", "3600"))]
        process = self._spawn(argv, f"foot-{app_id}")
        wait_until(
            lambda: f'"app_id": "{app_id}"' in self.swaymsg("-t", "get_tree"),
            15,
            f"foot {app_id} in the tree",
        )
        return process

    def focus(self, app_id: str) -> None:
        self.swaymsg(f'[app_id="{app_id}"] focus')

    def stop(self) -> None:
        for process in reversed(self._processes):
            kill_group(process)
        shutil.rmtree(self.runtime, ignore_errors=True)


@contextlib.contextmanager
def running_sway() -> Iterator[Sway]:
    sway = Sway()
    try:
        yield sway.start()
    finally:
        sway.stop()
