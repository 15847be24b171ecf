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
