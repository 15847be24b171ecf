"""Where the daemon's wake-ups and megabytes go: per thread, and per library.

    .venv/bin/python bench/cost.py [--seconds 60] [--json]

Runs the real `nudger run` on its own headless desktop (Xvfb + openbox, an xterm and a real
Chromium window; no browser companion connected) in two phases of `--seconds` each:

- idle: an xterm whose title matches nothing stays in front, nobody touches anything;
- switching: Chromium (an Instagram profile) and the xterm take turns every 2 s, the mouse moves.

For each phase it prints, per thread of the daemon, the voluntary context switches per second
(each one is the thread going to sleep on something: a wake-up) and the CPU share of one core,
read from /proc/PID/task/*/status and schedstat (exact, not 10 ms ticks); and per library
(mapped file) the resident and proportional memory, read from /proc/PID/smaps. Anonymous
memory (Python's heap: the modules' objects live there) is one row; `--imports` adds what each
library costs when imported, measured in a fresh interpreter, which is where that heap comes
from.

Goals (issue 34): idle, at most 2 voluntary context switches a second summed over the threads;
PSS at most 30 MB. Linux only (it reads /proc).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.desktop.rig import AppWindow, Desktop, running_desktop
from tests.nudger_process import NudgerDaemon, isolated_env

PROFILE_TITLE = "Alex Doe (@alexdoe) • Instagram photos and videos"
# Imported one after the other in a fresh interpreter (--imports): each row is what it adds.
# "apscheduler" is imported as `nudger run` imports it (shell/lean_scheduler.py).
LIBRARIES = (
    "sqlite3",
    "psutil",
    "re2",
    "Xlib.display",
    "apscheduler",
    "nudger.shell.daemon",
    "nudger.cli",
    # Not in the daemon: what its settings child (shell/loading.py) loads to validate.
    "pydantic",
    "nudger.settings.loader",
)


@dataclass(frozen=True)
class ThreadReading:
    name: str
    voluntary: int
    involuntary: int
    cpu_ns: int  # the scheduler's exact count (schedstat), not 10 ms ticks


def read_threads(pid: int, names: dict[str, str]) -> dict[int, ThreadReading]:
    readings: dict[int, ThreadReading] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            status = (task / "status").read_text()
            schedstat = (task / "schedstat").read_text()
        except OSError:
            continue  # the thread ended meanwhile
        fields = dict(line.split(":\t", 1) for line in status.splitlines() if ":\t" in line)
        name = names.get(task.name) or fields["Name"].strip()
        readings[int(task.name)] = ThreadReading(
            name=name if task.name != str(pid) else f"{name} (main)",
            voluntary=int(fields["voluntary_ctxt_switches"]),
            involuntary=int(fields["nonvoluntary_ctxt_switches"]),
            cpu_ns=int(schedstat.split()[0]),
        )
    return readings


def thread_rates(
    before: dict[int, ThreadReading], after: dict[int, ThreadReading], seconds: float
) -> list[dict[str, Any]]:
    rows = []
    for tid, now in sorted(after.items()):
        then = before.get(tid, ThreadReading(now.name, 0, 0, 0))
        rows.append(
            {
                "tid": tid,
                "thread": now.name,
                "voluntary_per_second": (now.voluntary - then.voluntary) / seconds,
                "involuntary_per_second": (now.involuntary - then.involuntary) / seconds,
                "cpu_percent": 100.0 * (now.cpu_ns - then.cpu_ns) / 1e9 / seconds,
            }
        )
    return rows


def library_of(path: str) -> str:
    """A mapping's owner: the package under site-packages, else the file's name."""
    if not path:
        return "[anonymous: Python's heap and the threads' stacks]"
    if path.startswith("["):
        return (
            "[anonymous: Python's heap and the threads' stacks]"
            if path
            in (
                "[heap]",
                "[anon]",
            )
            or path.startswith("[stack")
            else path
        )
    parts = Path(path).parts
    if "site-packages" in parts:
        after = parts[parts.index("site-packages") + 1 :]
        top = after[0] if after else path
        # Wheels' bundled libraries live in <name>.libs: count them with their package.
        return top.removesuffix(".libs").split(".")[0].split("-")[0]
    return Path(path).name


def read_memory(pid: int) -> dict[str, dict[str, float]]:
    """Resident and proportional memory (kB) by library, from /proc/PID/smaps."""
    totals: dict[str, dict[str, float]] = defaultdict(lambda: {"rss_kb": 0.0, "pss_kb": 0.0})
    owner = ""
    with Path(f"/proc/{pid}/smaps").open(encoding="utf-8", errors="replace") as smaps:
        for line in smaps:
            head, _, rest = line.partition(" ")
            if "-" in head and not head.endswith(":"):
                fields = line.split(None, 5)
                owner = library_of(fields[5].strip() if len(fields) > 5 else "")
            elif head == "Rss:":
                totals[owner]["rss_kb"] += float(rest.split()[0])
            elif head == "Pss:":
                totals[owner]["pss_kb"] += float(rest.split()[0])
    return dict(totals)


def import_costs() -> list[dict[str, Any]]:
    """What each library adds to a fresh interpreter's memory when imported, in order."""
    script = (
        "import importlib, json, sys\n"
        "def mem():\n"
        "    kb = {}\n"
        "    for line in open('/proc/self/smaps_rollup'):\n"
        "        parts = line.split()\n"
        "        if parts[0] in ('Rss:', 'Pss:'): kb[parts[0]] = int(parts[1])\n"
        "    return kb\n"
        "rows, last = [], mem()\n"
        "from nudger.shell import lean_scheduler\n"
        "sys.modules['ssl'] = None\n"
        "for name in sys.argv[1:]:\n"
        "    before = set(sys.modules)\n"
        "    if name == 'apscheduler':\n"
        "        lean_scheduler.import_apscheduler()\n"
        "    else:\n"
        "        importlib.import_module(name)\n"
        "    now = mem()\n"
        "    pulled = sorted({m.split('.')[0] for m in set(sys.modules) - before})\n"
        "    rows.append({'import': name, 'rss_kb': now['Rss:'] - last['Rss:'],\n"
        "                 'pss_kb': now['Pss:'] - last['Pss:'], 'pulled_in': pulled})\n"
        "    last = now\n"
        "print(json.dumps(rows))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, *LIBRARIES],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    rows: list[dict[str, Any]] = json.loads(out.stdout)
    return rows


def phase(
    daemon: NudgerDaemon, seconds: float, step: Any = None, every: float = 2.0
) -> dict[str, Any]:
    """Watch the daemon for `seconds`, calling `step(turn)` every `every` seconds if given."""
    assert daemon.process is not None
    pid = daemon.process.pid
    names = (daemon.status() or {}).get("threads") or {}
    before = read_threads(pid, names)
    began = time.monotonic()
    peak_pss = peak_rss = 0.0
    turn = 0
    memory = read_memory(pid)
    while (left := seconds - (time.monotonic() - began)) > 0:
        if step is not None:
            step(turn)
            turn += 1
        sample = read_memory(pid)
        pss = sum(row["pss_kb"] for row in sample.values())
        if pss > peak_pss:
            peak_pss, memory = pss, sample
        peak_rss = max(peak_rss, sum(row["rss_kb"] for row in sample.values()))
        time.sleep(min(every, max(0.0, left)))
    elapsed = time.monotonic() - began
    names = (daemon.status() or {}).get("threads") or names
    after = read_threads(pid, names)
    threads = thread_rates(before, after, elapsed)
    return {
        "seconds": elapsed,
        "threads": threads,
        "voluntary_per_second": sum(row["voluntary_per_second"] for row in threads),
        "cpu_percent": sum(row["cpu_percent"] for row in threads),
        "pss_mb": peak_pss / 1024,
        "rss_mb": peak_rss / 1024,
        "libraries": memory,
    }


def measure(seconds: float, warm_up: float = 10.0) -> dict[str, Any]:
    with (
        tempfile.TemporaryDirectory(prefix="nudger-cost-") as name,
        running_desktop(Path(name) / "desktop", notifications=False) as desktop,
    ):
        tmp = Path(name)
        browser = desktop.open_chromium(PROFILE_TITLE)
        terminal = desktop.open_xterm("notes.txt")
        desktop.activate(terminal)
        env = isolated_env(tmp / "daemon", desktop.env)
        # Switching must not count as idle on a keyboard nobody touches: that is the idle phase.
        daemon = NudgerDaemon(tmp / "daemon", env, "[watch]\nidle_seconds = 86400\n").start()
        try:
            daemon.wait_watching(timeout=60)
            time.sleep(warm_up)  # past start-up imports and the first writes
            idle = phase(daemon, seconds)
            switching = phase(daemon, seconds, _switcher(desktop, (browser, terminal)))
        finally:
            daemon.stop()
    return {"idle": idle, "switching": switching}


def _switcher(desktop: Desktop, windows: tuple[AppWindow, AppWindow]) -> Any:
    def step(turn: int) -> None:
        desktop.switch_to(windows[turn % 2])
        desktop.touch_input()

    return step


def report(name: str, figures: dict[str, Any]) -> str:
    lines = [
        f"## {name}: {figures['seconds']:.0f} s, "
        f"{figures['voluntary_per_second']:.2f} voluntary context switches/s, "
        f"{figures['cpu_percent']:.3f} % of one core, "
        f"peak PSS {figures['pss_mb']:.1f} MB (RSS {figures['rss_mb']:.1f} MB)",
        "",
        "| thread | voluntary/s | involuntary/s | CPU % of one core |",
        "|---|---|---|---|",
    ]
    for row in figures["threads"]:
        lines.append(
            f"| {row['thread']} ({row['tid']}) | {row['voluntary_per_second']:.2f} | "
            f"{row['involuntary_per_second']:.2f} | {row['cpu_percent']:.3f} |"
        )
    lines += ["", "| library (mapped file) | PSS MB | RSS MB |", "|---|---|---|"]
    libraries = sorted(figures["libraries"].items(), key=lambda item: -item[1]["pss_kb"])
    for library, kb in libraries:
        if kb["pss_kb"] >= 100:
            lines.append(f"| {library} | {kb['pss_kb'] / 1024:.1f} | {kb['rss_kb'] / 1024:.1f} |")
    small = sum(kb["pss_kb"] for _, kb in libraries if kb["pss_kb"] < 100)
    lines.append(f"| (each under 0.1 MB) | {small / 1024:.1f} | |")
    return "\n".join(lines)


def import_report(rows: list[dict[str, Any]]) -> str:
    lines = [
        "## what each import adds (fresh interpreter, in this order)",
        "",
        "| import | PSS MB | RSS MB | top-level modules it pulled in |",
        "|---|---|---|---|",
    ]
    for row in rows:
        pulled = ", ".join(row["pulled_in"][:12]) + (" ..." if len(row["pulled_in"]) > 12 else "")
        lines.append(
            f"| {row['import']} | {row['pss_kb'] / 1024:.1f} | {row['rss_kb'] / 1024:.1f} | "
            f"{pulled} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60.0, help="length of each phase")
    parser.add_argument("--imports", action="store_true", help="also measure each import")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    print("measuring: the daemon idle, then under switching ...", file=sys.stderr)
    figures = measure(args.seconds)
    if args.imports:
        figures["imports"] = import_costs()
    if args.json:
        print(json.dumps(figures))
        return 0
    print(report("idle", figures["idle"]))
    print()
    print(report("switching", figures["switching"]))
    if args.imports:
        print()
        print(import_report(figures["imports"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
