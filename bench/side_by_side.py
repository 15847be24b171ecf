"""nudger and ActivityWatch side by side: CPU and memory on the same desktop and workload.

    .venv/bin/python bench/side_by_side.py --aw-venv DIR --aw-window SRC --aw-afk SRC [--runs 3]

Run by hand, not in CI: ActivityWatch is not one of nudger's dependencies. Set it up once:

    python3 -m venv /tmp/aw && /tmp/aw/bin/pip install "aw-server==0.12.*" aw-client aw-core \
        "python-xlib==0.31" pynput "peewee<3.17"
    git clone https://github.com/ActivityWatch/aw-watcher-window  /tmp/aw-watcher-window
    git clone https://github.com/ActivityWatch/aw-watcher-afk     /tmp/aw-watcher-afk

Both tools run at once on one headless desktop (Xvfb + openbox): a real Chromium window on an
Instagram profile and an xterm take turns in front every 2 s while the mouse moves; 10 s of
warm-up, then 60 s measured; `--runs` times, medians. ActivityWatch is aw-server with
aw-watcher-window and aw-watcher-afk at their production settings (their defaults: window every
1 s, afk every 5 s), on loopback, with its data in a temporary folder. nudger is `nudger run` with
its defaults. CPU is the time every thread of each tool's processes ran
(/proc/PID/task/*/schedstat), memory the peak of the summed PSS (/proc/PID/smaps_rollup).

Measure both in the same run and read the ratios: on a shared machine absolute numbers move
with the load, ratios much less.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.desktop.rig import Desktop, running_desktop, wait_until
from tests.nudger_process import NudgerDaemon, isolated_env

PROFILE_TITLE = "Alex Doe (@alexdoe) • Instagram photos and videos"
AW_URL = "http://127.0.0.1:5600/api/0/buckets/"


def cpu_seconds(pid: int) -> float:
    """CPU time of every thread of `pid`, in nanoseconds' precision (the scheduler's own count,
    /proc/PID/task/*/schedstat): /proc/PID/stat counts in 10 ms ticks, and over 60 s one tick
    is 0.017 % of a core, as much as the difference between meeting a goal and missing it."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue  # the thread ended meanwhile
    return total / 1e9


def pss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return 0.0


def start_activitywatch(
    args: argparse.Namespace, env: dict[str, str], tmp: Path, started: list[subprocess.Popen[bytes]]
) -> None:
    """Start aw-server and its two watchers; each process goes into `started` as it starts, so
    that the caller stops them whatever fails."""
    aw_env = {
        **env,
        "HOME": str(tmp),
        "XDG_DATA_HOME": str(tmp / "data"),
        "XDG_CONFIG_HOME": str(tmp / "config"),
        "XDG_CACHE_HOME": str(tmp / "cache"),
        "PYTHONPATH": os.pathsep.join([args.aw_window, args.aw_afk]),
    }
    python = str(Path(args.aw_venv) / "bin" / "python")
    tmp.mkdir(parents=True, exist_ok=True)
    with (tmp / "activitywatch.log").open("ab") as log:
        started.append(
            subprocess.Popen(
                [str(Path(args.aw_venv) / "bin" / "aw-server"), "--host", "127.0.0.1"],
                env=aw_env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        wait_until(lambda: _answers(AW_URL), 60, "aw-server to answer")
        for module in ("aw_watcher_window", "aw_watcher_afk"):
            started.append(
                subprocess.Popen(
                    [python, "-m", module],
                    env=aw_env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
    try:
        wait_until(lambda: _answers(AW_URL, "aw-watcher-window"), 60, "the window watcher's bucket")
    except AssertionError:
        log_text = (tmp / "activitywatch.log").read_text(errors="replace")
        raise AssertionError(f"ActivityWatch did not start; its log:\n{log_text[-4000:]}") from None


def _answers(url: str, containing: str = "") -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as reply:  # noqa: S310  # loopback http only
            return containing in reply.read().decode()
    except OSError:
        return False


def one_run(args: argparse.Namespace, tmp: Path) -> dict[str, float]:
    with running_desktop(tmp / "desktop", notifications=False) as desktop:
        windows = (desktop.open_chromium(PROFILE_TITLE), desktop.open_xterm("notes.txt"))
        nudger = NudgerDaemon(tmp / "nudger", isolated_env(tmp / "nudger", desktop.env))
        aw: list[subprocess.Popen[bytes]] = []
        try:
            nudger.start()
            start_activitywatch(args, desktop.env, tmp / "aw", aw)
            nudger.wait_watching(timeout=60)
            assert nudger.process is not None
            tools = {"nudger": [nudger.process.pid], "activitywatch": [p.pid for p in aw]}
            switch(desktop, windows, args.warm_up)
            before = {name: sum(map(cpu_seconds, pids)) for name, pids in tools.items()}
            began = time.monotonic()
            peaks = switch(desktop, windows, args.seconds, tools)
            wall = time.monotonic() - began
            after = {name: sum(map(cpu_seconds, pids)) for name, pids in tools.items()}
        finally:
            nudger.stop()
            for process in aw:
                process.terminate()
            for process in aw:
                process.wait(timeout=20)
    figures: dict[str, float] = {}
    for name in tools:
        figures[f"{name}_cpu"] = 100.0 * (after[name] - before[name]) / wall
        figures[f"{name}_pss"] = peaks[name]
    return figures


def switch(
    desktop: Desktop, windows: tuple, seconds: float, tools: dict[str, list[int]] | None = None
) -> dict[str, float]:
    peaks: dict[str, float] = {}
    began, turn = time.monotonic(), 0
    while time.monotonic() - began < seconds:
        desktop.switch_to(windows[turn % 2])
        desktop.touch_input()
        turn += 1
        for name, pids in (tools or {}).items():
            peaks[name] = max(peaks.get(name, 0.0), sum(map(pss_mb, pids)))
        time.sleep(max(0.0, began + turn * 2.0 - time.monotonic()))
    return peaks


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--aw-venv", required=True, help="venv with aw-server, aw-client, aw-core")
    parser.add_argument("--aw-window", required=True, help="aw-watcher-window's source folder")
    parser.add_argument("--aw-afk", required=True, help="aw-watcher-afk's source folder")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warm-up", type=float, default=10.0)
    args = parser.parse_args()
    runs = []
    for number in range(args.runs):
        print(f"run {number + 1} of {args.runs} ...", file=sys.stderr)
        with tempfile.TemporaryDirectory(prefix="nudger-vs-aw-") as name:
            runs.append(one_run(args, Path(name)))
        print(runs[-1], file=sys.stderr)
    median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    print("| | ActivityWatch | nudger | ratio |")
    print("|---|---|---|---|")
    print(
        f"| CPU, % of one core | {median['activitywatch_cpu']:.3f} | {median['nudger_cpu']:.3f} | "
        f"{median['nudger_cpu'] / median['activitywatch_cpu']:.2f} |"
    )
    print(
        f"| memory, peak PSS MB | {median['activitywatch_pss']:.1f} | {median['nudger_pss']:.1f} | "
        f"{median['nudger_pss'] / median['activitywatch_pss']:.2f} |"
    )
    print(f"({args.runs} runs, medians; each {args.seconds:.0f} s after {args.warm_up:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
