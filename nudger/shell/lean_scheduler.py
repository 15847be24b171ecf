"""APScheduler imported without the parts of the standard library nudger never asks it for.

APScheduler 3 imports, whatever it is used for: asyncio (for one function, to tell coroutines
from plain functions), multiprocessing and concurrent.futures.process (for its process-pool
executor), and importlib.metadata (to read its own version and to scan every installed package
for plug-ins, whose aliases such as "interval" nudger never uses: it hands over trigger and
executor objects). Together about 10 MB that would stay in the daemon for its whole run.

The daemon's command imports it here first, with small stand-ins in the place of those modules
for the moment of the import; nothing is left behind in `sys.modules`. The stand-ins give exactly
what APScheduler takes from them at import time, and behave as the real ones would for nudger's
use: no plug-ins, a plain function is no coroutine, the thread-pool executor. Should a later
APScheduler want more, the import is simply done again the ordinary way.

So in the daemon, jobs are added with trigger objects (IntervalTrigger, CronTrigger), never the
plug-in aliases "interval", "cron" or "date" (nor `add_job` without a trigger, which means
"date"): with no plug-ins those names are unknown, and APScheduler raises LookupError.
"""

from __future__ import annotations

import inspect
import logging
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)

# What the daemon imports of APScheduler (daemon.py and scheduling.py).
MODULES = (
    "apscheduler.events",
    "apscheduler.executors.pool",
    "apscheduler.job",
    "apscheduler.jobstores.base",
    "apscheduler.schedulers.background",
    "apscheduler.triggers.cron",
    "apscheduler.triggers.interval",
)


class _NotInstalled(Exception):
    """importlib.metadata's PackageNotFoundError, as the stand-in raises it."""


class _BrokenProcessPool(RuntimeError):
    """concurrent.futures' BrokenProcessPool: only a process pool raises it, never used here."""


def _no_version(name: str) -> str:
    raise _NotInstalled(name)


def _no_plugins(**_group: str) -> tuple[()]:
    return ()


def _stand_ins() -> dict[str, types.ModuleType]:
    asyncio = types.ModuleType("asyncio")
    asyncio.iscoroutinefunction = inspect.iscoroutinefunction  # type: ignore[attr-defined]
    metadata = types.ModuleType("importlib.metadata")
    metadata.PackageNotFoundError = _NotInstalled  # type: ignore[attr-defined]
    metadata.version = _no_version  # type: ignore[attr-defined]
    metadata.entry_points = _no_plugins  # type: ignore[attr-defined]
    process = types.ModuleType("concurrent.futures.process")
    process.BrokenProcessPool = _BrokenProcessPool  # type: ignore[attr-defined]
    return {
        "asyncio": asyncio,
        "importlib.metadata": metadata,
        "multiprocessing": types.ModuleType("multiprocessing"),
        "concurrent.futures.process": process,
    }


@contextmanager
def _standing_in(stand_ins: dict[str, types.ModuleType]) -> Iterator[None]:
    saved = {name: sys.modules.get(name) for name in stand_ins}
    sys.modules.update(stand_ins)
    try:
        yield
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


def import_apscheduler() -> bool:
    """Import the parts of APScheduler the daemon uses; True when it was done the lean way.

    Does nothing (and says False) when APScheduler, or one of the modules stood in for, is
    already imported: then there is nothing left to save."""
    stand_ins = _stand_ins()
    if any(name in sys.modules for name in (*stand_ins, "apscheduler")):
        return False
    try:
        with _standing_in(stand_ins):
            for name in MODULES:
                __import__(name)
    except (ImportError, AttributeError, TypeError) as error:
        # A later APScheduler that takes more from these modules: forget the half-made import
        # and let the ordinary one happen.
        log.debug("APScheduler is imported the ordinary way (%s)", error)
        for name in [name for name in sys.modules if name.partition(".")[0] == "apscheduler"]:
            del sys.modules[name]
        for name in MODULES:
            __import__(name)
        return False
    return True
