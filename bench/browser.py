"""What the browser companion costs: a page's delay, the host's memory, the daemon's extra CPU.

    .venv/bin/python bench/browser.py [--browsers chromium firefox] [--pages 150] [--seconds 60]

On the real headless desktop, with the real daemon and real browsers (the stand-in serves the
pages, as in the tests):
- **Navigation delay**: a chain of pages, each opening the next a moment after it loaded; each
  page measures its own loading (navigation start to the load event) and tells the server. The
  median with the companion (connected, holding back the blocklist and every social site for a
  pause) minus the median without it, in the same browser. None of the chain's pages matches a
  rule. Aim: under 5 ms.
- **Host PSS**: the native-messaging host's proportional memory while connected. Aim: < 12 MB.
- **Daemon's extra CPU**: the daemon's CPU over `--seconds` while the browser switches between
  two tabs every second, with the companion minus without it. (Both runs watch the same X11
  desktop, whose title changes the daemon follows either way.)
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.desktop.browser_rig import BROWSERS, CompanionBrowser, StandIn, address
from tests.desktop.rig import Desktop, running_desktop, wait_until
from tests.nudger_process import NudgerDaemon, isolated_env

CHAIN_HOST = "www.example-news.org"
BLOCKLIST = "".join(
    f'\n[[blocklist]]\nname = "Person {n}"\nmatch = ["instagram.com/person{n}", "x.com/p{n}"]\n'
    for n in range(20)
)
GAP_MS = 300
WARM_UP = 20  # pages loaded before the timed ones
FIRST_TIMED = 1000
CONFIG = "[watch]\nidle_seconds = 86400\n[browser]\npause_sites = true\n" + BLOCKLIST


def chain_script(path: str, stops: set[int]) -> str:
    """Each chain page, once loaded, tells the server how long its loading took (navigation
    start to the load event, as the page measured it), then opens the next: /chain/7 -> 8.
    The gap between pages lets the browser settle, so each page is timed on its own."""
    if not path.startswith("/chain/"):
        return ""
    number = int(path.rsplit("/", 1)[1])
    if number in stops:
        return ""
    return (
        "<script>addEventListener('load', () => setTimeout(() => {"
        "const [nav] = performance.getEntriesByType('navigation');"
        f"new Image().src = '/timing/{number}/' + nav.loadEventStart.toFixed(2);"
        f"setTimeout(() => location.replace('/chain/{number + 1}'), {GAP_MS});"
        f"}}, {GAP_MS}));</script>"
    )


def page_ms(stand_in: StandIn, first: int, pages: int) -> float:
    """The median time, in ms, from the start of a chain page's navigation to its load event."""
    loads = {}
    for _, path in list(stand_in.asked_at):
        if path.startswith("/timing/"):
            _, _, number, ms = path.split("/")
            loads[int(number)] = float(ms)
    return statistics.median(loads[n] for n in range(first, first + pages) if n in loads)


def run_chain(browser: CompanionBrowser, stand_in: StandIn, start: int, pages: int) -> float:
    browser.open(address(browser, CHAIN_HOST, f"/chain/{start}"))
    wait_until(
        lambda: any(path == f"/chain/{start + pages}" for _, path in list(stand_in.asked_at)),
        pages * (2 * GAP_MS / 1000 + 1) + 30,
        f"{pages} chained pages",
    )
    return page_ms(stand_in, start, pages)


def host_process(browser: CompanionBrowser) -> psutil.Process:
    assert browser.process is not None
    for child in psutil.Process(browser.process.pid).children(recursive=True):
        try:
            if any(part.endswith("host.py") for part in child.cmdline()):
                return child
        except psutil.Error:
            continue
    raise AssertionError("no native-messaging host is running")


def daemon_cpu_while_tabs_change(
    daemon: NudgerDaemon, browser: CompanionBrowser, seconds: float
) -> float:
    """The daemon's CPU, in % of one core, while the browser's tab changes every second."""
    assert daemon.process is not None
    process = psutil.Process(daemon.process.pid)
    before, began = sum(process.cpu_times()[:2]), time.monotonic()
    while time.monotonic() - began < seconds:
        browser.keys("ctrl+Tab")
        time.sleep(1.0)
    return 100 * (sum(process.cpu_times()[:2]) - before) / (time.monotonic() - began)


def one_side(
    tmp: Path, desktop: Desktop, name: str, *, extension: bool, pages: int, seconds: float
) -> dict[str, float]:
    side = tmp / f"{name}-{'with' if extension else 'without'}"
    side.mkdir()
    stops = {WARM_UP, FIRST_TIMED + pages}
    stand_in = StandIn(side, {}, more=lambda path: chain_script(path, stops)).start()
    env = isolated_env(side, desktop.env)
    daemon = NudgerDaemon(side, env, CONFIG).start()
    browser = BROWSERS[name](desktop, stand_in, env)
    try:
        daemon.wait_watching()
        browser.install_host()
        browser.start(extension=extension)
        figures: dict[str, float] = {}
        if extension:
            wait_until(lambda: _holding(daemon), 90, "the companion to hold rules")
            figures["holding"] = float(_holding(daemon))
        run_chain(browser, stand_in, 0, WARM_UP)  # caches, the first process for the site
        figures["page_ms"] = run_chain(browser, stand_in, FIRST_TIMED, pages)
        if extension:
            figures["host_pss_mb"] = host_process(browser).memory_full_info().pss / 1e6
        browser.open(address(browser, CHAIN_HOST, "/still"))
        time.sleep(2)
        figures["daemon_cpu_percent"] = daemon_cpu_while_tabs_change(daemon, browser, seconds)
        return figures
    finally:
        daemon.stop()
        if browser.process is not None:
            desktop._kill(browser.process)
        stand_in.stop()


def _holding(daemon: NudgerDaemon) -> int:
    status = daemon.status() or {}
    counts = [b.get("holding") or 0 for b in status.get("browsers", []) if b.get("connected")]
    return max(counts, default=0)


def measure(browsers: list[str], pages: int, seconds: float) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {}
    with (
        tempfile.TemporaryDirectory(prefix="nudger-bench-browser-") as folder,
        running_desktop(Path(folder) / "desktop", notifications=False) as desktop,
    ):
        tmp = Path(folder)
        for name in browsers:
            without = one_side(tmp, desktop, name, extension=False, pages=pages, seconds=seconds)
            with_it = one_side(tmp, desktop, name, extension=True, pages=pages, seconds=seconds)
            results[name] = {
                "page_ms_without": without["page_ms"],
                "page_ms_with": with_it["page_ms"],
                "delay_ms": with_it["page_ms"] - without["page_ms"],
                "host_pss_mb": with_it["host_pss_mb"],
                "rules_held": with_it["holding"],
                "daemon_cpu_without": without["daemon_cpu_percent"],
                "daemon_cpu_with": with_it["daemon_cpu_percent"],
                "daemon_extra_cpu": with_it["daemon_cpu_percent"] - without["daemon_cpu_percent"],
            }
    return results


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--browsers", nargs="+", default=sorted(BROWSERS), choices=sorted(BROWSERS))
    parser.add_argument("--pages", type=int, default=150)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = measure(args.browsers, args.pages, args.seconds)
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print("| browser | per page without / with | delay (median) | host PSS | daemon extra CPU |")
    print("|---|---|---|---|---|")
    for name, r in results.items():
        print(
            f"| {name} ({r['rules_held']:.0f} rules held) | {r['page_ms_without']:.1f} / "
            f"{r['page_ms_with']:.1f} ms | {r['delay_ms']:+.1f} ms | {r['host_pss_mb']:.1f} MB | "
            f"{r['daemon_extra_cpu']:+.2f} % of one core |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
