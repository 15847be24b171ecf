"""Processes, through psutil: the name behind a window's pid, and a scan of running apps."""

from __future__ import annotations

import psutil


def process_name(pid: int) -> str | None:
    """The name of one process, or None when it is gone or hidden from us.

    Naming the one pid behind the window costs about 20 µs; scanning every process costs
    10 ms or more, so the sampling path only ever does this.
    """
    try:
        return psutil.Process(pid).name()
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess, ValueError):
        return None


def running_names() -> set[str]:
    """The names of every running process we may see (one psutil scan, about 10 ms).

    Used only as the fallback when the window in front cannot be read, and only every
    watch.process_scan_seconds, never every sample.
    """
    names: set[str] = set()
    for process in psutil.process_iter(["name"]):
        name = process.info.get("name")
        if name:
            names.add(name)
    return names
