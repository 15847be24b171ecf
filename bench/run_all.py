"""All of nudger's figures in one table. Run `bench/run_all` after `./scripts/test`.

bench/run_all [--seconds 60]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import browser, install_size, processes, sample, summary


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to watch the daemon")
    args = parser.parse_args()
    print(
        "measuring: one sample, and the daemon under Xvfb with Chromium and an xterm ...",
        file=sys.stderr,
    )
    daemon = sample.measure(args.seconds, 3000)
    print("measuring: summaries over a year of use ...", file=sys.stderr)
    year = summary.measure(50_000, 7)
    print("measuring: a scan of running processes ...", file=sys.stderr)
    scan = processes.measure_padded(50, 380)
    print("measuring: the install's size, in a fresh virtual environment ...", file=sys.stderr)
    size = install_size.measure()
    print("measuring: the browser companion in Chromium and Firefox ESR ...", file=sys.stderr)
    companion = browser.measure(sorted(browser.BROWSERS), 150, args.seconds)
    rows = [
        (
            "one sample (read, match, track, write), median CPU",
            f"{daemon['tick_median_us']:.0f} µs",
            "< 500 µs",
        ),
        (
            f"daemon CPU, {daemon['seconds']:.0f} s at 1 s polling, focus switching every 2 s",
            f"{daemon['cpu_percent_of_one_core']:.2f} % of one core",
            "< 0.3 %",
        ),
        (
            "daemon peak PSS (RSS; USS: memory no other process shares)",
            f"{daemon['pss_mb']:.1f} MB (RSS {daemon['rss_mb']:.1f} MB; USS {daemon['uss_mb']:.1f} MB)",
            "< 35 MB",
        ),
        (
            "install size: nudger and its dependencies (without pip and setuptools)",
            f"{size['total_mb']:.1f} MB",
            "< 80 MB",
        ),
        (
            f"day summary, {year['visits']:,} visits over a year",
            f"{year['day_ms']:.0f} ms",
            "< 100 ms",
        ),
        ("week summary", f"{year['week_ms']:.0f} ms", "< 100 ms"),
        ("30-day summary (the report's data)", f"{year['month_ms']:.0f} ms", "< 100 ms"),
        ("whole HTML report, 4 charts drawn", f"{year['html_ms']:.0f} ms", ""),
        (
            "database size per day of typical use",
            f"{year['bytes_per_day'] / 1024:.1f} KB",
            "< 20 KB",
        ),
        (
            f"one scan of running processes ({scan['processes']:.0f} processes)",
            f"{scan['scan_ms']:.1f} ms",
            "< 20 ms",
        ),
    ]
    for name, figures in companion.items():
        rows += [
            (
                f"{name}: a page that matches no rule, median delay with the companion "
                f"({figures['rules_held']:.0f} addresses held back)",
                f"{figures['delay_ms']:+.1f} ms ({figures['page_ms_without']:.1f} → "
                f"{figures['page_ms_with']:.1f} ms)",
                "< 5 ms",
            ),
            (
                f"{name}: the native-messaging host's PSS",
                f"{figures['host_pss_mb']:.1f} MB",
                "< 12 MB",
            ),
            (
                f"{name}: the daemon's extra CPU, tab changing every second",
                f"{figures['daemon_extra_cpu']:+.2f} % of one core "
                f"({figures['daemon_cpu_without']:.2f} → {figures['daemon_cpu_with']:.2f} %)",
                "",
            ),
        ]
    print("| figure | measured | goal |")
    print("|---|---|---|")
    for row in rows:
        print(f"| {row[0]} | {row[1]} | {row[2]} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
