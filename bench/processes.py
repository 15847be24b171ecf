"""What one scan of running processes costs (the fallback when no window can be read).

    .venv/bin/python bench/processes.py [--scans 50]

Pads the machine with idle processes to a desktop's usual count, then times `running_names()`
plus matching the names against every rule's apps, as the daemon does
every watch.process_scan_seconds (15 s by default, never every sample). Goal: under 20 ms a scan.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nudger.core.matching import Matcher
from nudger.sensing.processes import running_names
from nudger.settings.catalogue import all_rules
from nudger.settings.models import Settings


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scans", type=int, default=50)
    parser.add_argument(
        "--processes",
        type=int,
        default=380,
        help="pad the machine to this many (a desktop has ~380)",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    padding = [
        subprocess.Popen(["sleep", "300"])
        for _ in range(max(0, args.processes - len(psutil.pids())))
    ]
    try:
        figures = measure(args.scans)
    finally:
        for process in padding:
            process.kill()
            process.wait()
    if args.json:
        print(json.dumps(figures))
    else:
        print(
            f"one process scan over {figures['processes']} processes: {figures['scan_ms']:.1f} ms "
            f"({figures['scan_cpu_ms']:.1f} ms CPU), goal < 20 ms"
        )
    return 0


def measure_padded(scans: int, processes: int) -> dict[str, float]:
    """Measure with the machine padded to `processes` running processes."""
    padding = [
        subprocess.Popen(["sleep", "300"]) for _ in range(max(0, processes - len(psutil.pids())))
    ]
    try:
        return measure(scans)
    finally:
        for process in padding:
            process.kill()
            process.wait()


def measure(scans: int) -> dict[str, float]:
    matcher = Matcher(all_rules(Settings()), [])
    wall, cpu = [], []
    for _ in range(scans):
        begin_wall, begin_cpu = time.perf_counter(), time.process_time()
        matcher.apps_running(running_names())
        wall.append((time.perf_counter() - begin_wall) * 1000)
        cpu.append((time.process_time() - begin_cpu) * 1000)
    return {
        "processes": len(psutil.pids()),
        "scan_ms": statistics.median(wall),
        "scan_cpu_ms": statistics.median(cpu),
    }


if __name__ == "__main__":
    sys.exit(main())
