"""What one sample costs on X11, and what the daemon costs over a minute.

    .venv/bin/python bench/sample.py [--seconds 60] [--samples 3000]

Runs on its own headless desktop (Xvfb + openbox + a real Chromium window and an xterm), with
the full catalogue and 50 blocklist entries. Prints:

- the median CPU time of one `Watcher.tick()` (read the window, match, track; the writes the
  session asks for are apart), in process CPU time, not wall time;
- the median CPU time of matching a title never seen before (the cache-miss path);
- the daemon's CPU share of one core and its RSS (and USS, the part no other process shares),
  over `--seconds` at 1 s polling while the focus moves every 2 s between Chromium and an xterm.

Goals (from the issues): under 0.5 ms a sample, under 0.3 % of one core, under 50 MB RSS.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nudger import sensing
from nudger.core.matching import Matcher
from nudger.sensing.base import Window
from nudger.settings.catalogue import all_rules
from nudger.settings.loader import load
from nudger.shell.watcher import Watcher
from nudger.store import Store
from tests.desktop.rig import AppWindow, Desktop, running_desktop
from tests.nudger_process import NudgerDaemon, isolated_env

PROFILE_TITLE = "Alex Doe (@alexdoe) • Instagram photos and videos"


def blocklist_config(entries: int = 50) -> str:
    blocks = [
        f'[[blocklist]]\nname = "Person {i}"\n'
        f'match = ["Person{i} Example", "@person{i}", "instagram.com/person{i}", "re:p{i}[._]?ex"]\n'
        for i in range(entries - 1)
    ]
    blocks.append('[[blocklist]]\nname = "Alex"\nmatch = ["Alex Doe", "@alexdoe"]\n')
    return "\n".join(blocks)


def cpu_per_call(call: Callable[[], object], count: int) -> list[float]:
    costs = []
    for _ in range(count):
        before = time.process_time_ns()
        call()
        costs.append((time.process_time_ns() - before) / 1000.0)
    return costs


def in_process(workdir: Path, env: dict[str, str], samples: int) -> dict[str, float]:
    config = workdir / "bench.toml"
    config.write_text(blocklist_config(), encoding="utf-8")
    settings = load(config, env={}).settings
    store = Store.open(workdir / "bench-data" / "nudger.db")
    watcher = Watcher(settings, sensing.detect(env), store, rules=all_rules(settings))
    watcher.tick()  # connect
    tick_costs = cpu_per_call(watcher.tick, samples)
    watcher.stop()

    matcher = Matcher(all_rules(settings), settings.watch.browsers)
    titles = iter(
        [
            f"Post {i} by someone (@user{i}) • Instagram photos and videos - Chromium"
            for i in range(samples)
        ]
    )
    cold_costs = cpu_per_call(
        lambda: matcher.match(Window("chromium", next(titles), 1, ("chromium", "Chromium"))),
        samples,
    )
    return {
        "tick_median_us": statistics.median(tick_costs),
        "tick_p95_us": statistics.quantiles(tick_costs, n=20)[-1],
        "cold_match_median_us": statistics.median(cold_costs),
        "rules": len(matcher.rules),
    }


def daemon_run(
    workdir: Path, desktop: Desktop, seconds: float, windows: tuple[AppWindow, AppWindow]
) -> dict[str, float]:
    """The real daemon at 1 s polling, with the focus moving every 2 s between two windows."""
    env = isolated_env(workdir / "daemon", desktop.env)
    daemon = NudgerDaemon(workdir / "daemon", env, blocklist_config()).start()
    daemon.wait_watching()
    assert daemon.process is not None
    process = psutil.Process(daemon.process.pid)
    time.sleep(2)  # past start-up imports
    cpu_before = sum(process.cpu_times()[:2])
    wall_before = time.monotonic()
    peak_rss = peak_uss = peak_pss = 0
    turn = 0
    while time.monotonic() - wall_before < seconds:
        desktop.activate(windows[turn % 2])
        turn += 1
        info = process.memory_full_info()
        peak_rss, peak_uss = max(peak_rss, info.rss), max(peak_uss, info.uss)
        peak_pss = max(peak_pss, info.pss)
        time.sleep(2)
    cpu = sum(process.cpu_times()[:2]) - cpu_before
    wall = time.monotonic() - wall_before
    daemon.stop()
    return {
        "cpu_percent_of_one_core": 100.0 * cpu / wall,
        "rss_mb": peak_rss / 1e6,
        "uss_mb": peak_uss / 1e6,
        "pss_mb": peak_pss / 1e6,
        "seconds": wall,
        "switches": turn,
    }


def measure(seconds: float, samples: int) -> dict[str, float]:
    with (
        tempfile.TemporaryDirectory(prefix="nudger-bench-") as tmp,
        running_desktop(Path(tmp) / "desktop") as desktop,
    ):
        browser = desktop.open_chromium(PROFILE_TITLE)
        terminal = desktop.open_xterm("notes.txt")
        desktop.activate(browser)
        figures = in_process(Path(tmp), desktop.env, samples)
        figures.update(daemon_run(Path(tmp), desktop, seconds, (browser, terminal)))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to watch the daemon")
    parser.add_argument("--samples", type=int, default=3000, help="ticks to time in-process")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    figures = measure(args.seconds, args.samples)
    if args.json:
        print(json.dumps(figures))
        return 0
    print(
        f"rules compiled:                 {figures['rules']:.0f} (catalogue + 50 blocklist entries)"
    )
    print(
        f"one sample (tick), median:      {figures['tick_median_us']:.0f} µs CPU   (goal < 500 µs)"
    )
    print(f"one sample (tick), 95th pct:    {figures['tick_p95_us']:.0f} µs CPU")
    print(f"matching a new title, median:   {figures['cold_match_median_us']:.1f} µs CPU")
    print(
        f"daemon over {figures['seconds']:.0f} s at 1 s polling, focus switching every 2 s: "
        f"{figures['cpu_percent_of_one_core']:.2f} % of one core (goal < 0.3 %), "
        f"peak RSS {figures['rss_mb']:.1f} MB, PSS {figures['pss_mb']:.1f} MB (goal < 35 MB), "
        f"unique to nudger {figures['uss_mb']:.1f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
