"""All of nudger's figures in one table. Run `bench/run_all` after `./scripts/test`.

bench/run_all [--seconds 60]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import install_size, processes, sample, summary


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
    print("| figure | measured | goal |")
    print("|---|---|---|")
    for row in rows:
        print(f"| {row[0]} | {row[1]} | {row[2]} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
