"""How true is the time nudger records when the person switches fast?

    .venv/bin/python bench/accuracy.py [--seconds 30] [--stints 0.5 1 2 5] [--desktop x11 sway]

On a real headless desktop, a real Chromium window on an Instagram profile and a terminal take
turns in front, each for a fixed stint, for `--seconds` per stint length. The real `nudger run`
(default settings: 1 s polling, focus events followed; only idle time is switched off, as
nobody touches a headless keyboard) watches. For each stint length the table
gives the time recorded on Instagram divided by the time Instagram was truly in front.

- X11: Xvfb, openbox, Chromium and an xterm; focus moved with an EWMH request (as a pager does).
- sway: headless sway, Chromium on Wayland and a foot terminal, as nobody (sway refuses root);
  focus moved with a sway IPC command.

Aims (issue 12): 0.97-1.03 at stints of 1 s and longer; 0.9-1.1 at 0.5 s.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nudger.sensing import i3ipc
from tests.desktop.rig import CHROMIUM_FLAGS, chromium_binary, running_desktop, wait_until
from tests.desktop.sway_rig import NOBODY, running_sway
from tests.nudger_process import NudgerDaemon, isolated_env

PROFILE_TITLE = "Alex Doe (@alexdoe) • Instagram photos and videos"
RUN_COMMAND = 0

# Moves the focus to the page (True) or away (False) and returns when the switch took effect.
Switch = Callable[[bool], float]


def measure(switch: Switch, env: dict[str, str], tmp: Path, stint: float, seconds: float) -> float:
    """Run the daemon while the focus takes turns; the recorded time over the true time."""
    run_dir = Path(tempfile.mkdtemp(prefix=f"stint-{stint}-", dir=tmp))
    switch(False)
    # Nobody touches the keyboard of a headless desktop, so it would count as idle after two
    # minutes; this measures switching, not idle time.
    config = "[watch]\nidle_seconds = 86400\n"
    daemon = NudgerDaemon(run_dir, isolated_env(run_dir, env), config).start()
    try:
        daemon.wait_watching(timeout=30)
        time.sleep(1.0)
        truly = 0.0
        began = time.monotonic()
        while time.monotonic() - began < seconds:
            arrived = switch(True)
            time.sleep(max(0.0, arrived + stint - time.time()))
            left = switch(False)
            truly += left - arrived
            time.sleep(max(0.0, left + stint - time.time()))
    finally:
        daemon.stop()
    return daemon.seconds_for("site", "Instagram") / truly


@contextlib.contextmanager
def x11_switch(tmp: Path) -> Iterator[tuple[Switch, dict[str, str]]]:
    with running_desktop(tmp / "x11", notifications=False) as desktop:
        page = desktop.open_chromium(PROFILE_TITLE)
        terminal = desktop.open_xterm("notes.txt")
        yield (lambda to_page: desktop.switch_to(page if to_page else terminal)), desktop.env


@contextlib.contextmanager
def sway_switch(_tmp: Path) -> Iterator[tuple[Switch, dict[str, str]]]:
    with running_sway() as sway:
        page = sway.runtime / "profile.html"
        page.write_text(
            f"<!doctype html><meta charset='utf-8'><title>{PROFILE_TITLE}</title><h1>profile</h1>",
            encoding="utf-8",
        )
        if os.geteuid() == 0:
            os.chown(page, NOBODY, NOBODY)
        sway.open_foot("notes.txt", "notes")
        sway._spawn(
            [
                chromium_binary(),
                *CHROMIUM_FLAGS,
                "--ozone-platform=wayland",
                f"--user-data-dir={sway.runtime / 'chromium'}",
                f"file://{page}",
            ],
            "chromium",
        )
        wait_until(lambda: "Instagram" in sway.swaymsg("-t", "get_tree"), 60, "Chromium on sway")
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as ipc:
            ipc.connect(sway.socket)
            yield _sway_switcher(ipc), sway.env


def _sway_switcher(ipc: socket.socket) -> Switch:
    def switch(to_page: bool) -> float:
        app = "chromium" if to_page else "notes"
        [reply] = i3ipc.request(ipc, RUN_COMMAND, f'[app_id="{app}"] focus')
        if not reply.get("success"):
            raise RuntimeError(f"sway could not focus {app}: {reply}")
        return time.time()

    return switch


DESKTOPS = {"x11": x11_switch, "sway": sway_switch}


def run(desktops: list[str], stints: list[float], seconds: float) -> dict[str, dict[float, float]]:
    results: dict[str, dict[float, float]] = {}
    with tempfile.TemporaryDirectory(prefix="nudger-accuracy-") as name:
        tmp = Path(name)
        for desktop in desktops:
            results[desktop] = {}
            with DESKTOPS[desktop](tmp) as (switch, env):
                for stint in stints:
                    print(f"measuring: {desktop}, stints of {stint:g} s ...", file=sys.stderr)
                    results[desktop][stint] = measure(switch, env, tmp, stint, seconds)
    return results


def table(results: dict[str, dict[float, float]]) -> str:
    stints = sorted({stint for row in results.values() for stint in row})
    lines = [
        "| desktop | " + " | ".join(f"{s:g} s stints" for s in stints) + " |",
        "|---|" + "---|" * len(stints),
    ]
    for desktop, row in results.items():
        lines.append(f"| {desktop} | " + " | ".join(f"{row[s]:.3f}" for s in stints) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=30.0, help="switching time per stint")
    parser.add_argument("--stints", type=float, nargs="+", default=[0.5, 1.0, 2.0, 5.0])
    parser.add_argument("--desktop", nargs="+", choices=sorted(DESKTOPS), default=["x11", "sway"])
    args = parser.parse_args()
    print(table(run(args.desktop, args.stints, args.seconds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
