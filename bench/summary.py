"""How long summaries take on a database holding a year of realistic use.

    .venv/bin/python bench/summary.py [--visits 50000] [--repeat 7]

Builds a real SQLite database (about 50,000 visits over 365 days: evenings heavier than mornings,
a few blocklist glances most weeks, nudges now and then), then times, as the CLI does them:
the day summary (with streak and comparisons), the 7-day week, and the 30-day report data.
Prints the median wall time of each, the whole HTML report for comparison, and the database size
per day. Goal: under 100 ms for each summary.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nudger.core.days import LocalDays
from nudger.core.types import Visit
from nudger.shell.history import FIRST_RUN_KEY, History
from nudger.shell.reporting import Reporting
from nudger.store import Store

SITES = ("Instagram", "Reddit", "YouTube", "X", "TikTok", "Facebook", "Discord")
TZ = ZoneInfo("Europe/Berlin")


def build(path: Path, visits: int, seed: int = 7) -> tuple[Store, LocalDays, dt.date]:
    rng = random.Random(seed)
    store = Store.open(path)
    days = LocalDays(TZ, dt.time(4, 0))
    last = days.day_of(time.time())
    first = last - dt.timedelta(days=364)
    store.set_meta(FIRST_RUN_KEY, str(days.start_of(first)))
    per_day = visits // 365
    rows: list[Visit] = []
    nudges = 0
    for offset in range(365):
        day = first + dt.timedelta(days=offset)
        start, end = days.bounds(day)
        for _ in range(per_day):
            # Evenings pull harder: hours drawn around 21:00, some at lunch.
            hour = rng.choice([rng.gauss(21, 2), rng.gauss(12.5, 1), rng.uniform(7, 23)])
            begin = min(max(start + (hour - 4) % 24 * 3600, start), end - 1200)
            length = min(rng.expovariate(1 / 120), 1800)
            rows.append(Visit("site", rng.choice(SITES), "title", "front", begin, begin + length))
            if rng.random() < 0.04:
                rows.append(
                    Visit("blocklist", "Alex", "title", "front", begin, begin + min(length, 40))
                )
                if rng.random() < 0.5:
                    nudges += 1
                    store.add_nudge(
                        at=begin + 5,
                        kind="blocklist",
                        target="Alex",
                        reason="blocklist",
                        message_id="be_kind.1",
                        delivered=True,
                        channel="dbus",
                        notification_id=nudges,
                    )
    # Same target at the same second would be one row; nudge the rare clash apart.
    unique = {(v.kind, v.target, v.started_at): v for v in rows}
    store.save_visits(unique.values())
    return store, days, last


def timed(action: object, repeat: int) -> float:
    costs = []
    for _ in range(repeat):
        begin = time.perf_counter()
        action()  # type: ignore[operator]
        costs.append((time.perf_counter() - begin) * 1000)
    return statistics.median(costs)


def measure(visits: int, repeat: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="nudger-bench-") as tmp:
        path = Path(tmp) / "nudger.db"
        store, days, last = build(path, visits)
        count = len(store.visits_between(-1e12, 1e12))
        store.close()
        store = Store.open(path)  # timings on a freshly opened database, as the CLI sees it
        history = History(store, days)
        figures = {
            "visits": count,
            "day_ms": timed(lambda: history.day(last), repeat),
            "week_ms": timed(lambda: history.range(last - dt.timedelta(days=6), last), repeat),
            "month_ms": timed(lambda: history.range(last - dt.timedelta(days=29), last), repeat),
            "bytes_per_day": path.stat().st_size / 365,
        }
        reporting = Reporting(history, days, TZ)
        reporting.html(last)  # the first report pays the charts library's import once
        figures["html_ms"] = timed(lambda: reporting.html(last), max(1, repeat // 2))
        store.close()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--visits", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = measure(args.visits, args.repeat)
    if args.json:
        print(json.dumps(figures))
        return 0
    print(
        f"database: {figures['visits']} visits over 365 days, {figures['bytes_per_day'] / 1024:.1f} KB a day"
    )
    print(f"day summary (streak, comparisons):  {figures['day_ms']:.1f} ms   (goal < 100 ms)")
    print(f"week summary:                       {figures['week_ms']:.1f} ms   (goal < 100 ms)")
    print(f"30-day summary (report data):       {figures['month_ms']:.1f} ms   (goal < 100 ms)")
    print(
        f"whole HTML report with 4 charts:    {figures['html_ms']:.0f} ms   (matplotlib drawing included)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
