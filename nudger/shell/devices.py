"""More than one computer (issue 35), carried out: this device's file written from the store,
and a history source that counts every device's file alongside the local database.

The decisions (hashing, what is believed, merging screens) are core.devices'; the files are
nudger.devices'. This module only fetches rows and hands them over.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from nudger.core.devices import Unknown, entry_hash, merge_across, named, named_nudges
from nudger.core.guard import GuardNote
from nudger.core.translate import N_, Translator
from nudger.core.types import NudgeRow, Source, Visit
from nudger.devices import files, setup
from nudger.devices.files import Contents, FolderView, Skipped
from nudger.devices.setup import DeviceSetup
from nudger.paths import read_regular_file, write_private_atomic
from nudger.settings.catalogue import builtin_sites
from nudger.settings.values import Settings
from nudger.shell.history import FIRST_RUN_KEY
from nudger.store import Store

log = logging.getLogger(__name__)

# The daemon writes this device's file at most this often (and when it stops).
WRITE_EVERY_SECONDS = 120.0
_ALL_TIME = (0.0, 1e12)
# What this device last wrote into the folder (a digest), in its data folder.
WRITTEN_NAME = "devices-written"


def contents_of(store: Store, device: DeviceSetup) -> Contents:
    """What this device shares: its visits and nudges, each entry's name as a keyed hash. No
    titles, addresses, plans or texts: those columns are never read here."""
    hashes: dict[tuple[str, str], str] = {}

    def hashed(kind: str, name: str) -> str:
        # A few entries, many rows: each name is hashed once.
        if (kind, name) not in hashes:
            hashes[(kind, name)] = entry_hash(device.key, kind, name)
        return hashes[(kind, name)]

    visits = tuple(
        (
            v.kind,
            hashed(v.kind, v.target),
            v.source,
            v.started_at,
            v.ended_at,
            int(v.continued),
        )
        for v in store.visits_between(*_ALL_TIME)
    )
    nudges = tuple(
        (
            n.at,
            n.kind,
            None if n.target is None else hashed(n.kind, n.target),
            n.reason,
            int(n.delivered),
            n.action,
            None if n.heeded is None else int(n.heeded),
        )
        for n in store.nudges_between(*_ALL_TIME)
    )
    first_run = store.get_meta(FIRST_RUN_KEY)
    return Contents(device.name, float(first_run) if first_run else None, visits, nudges)


class Sharing:
    """The daemon's part: write this device's file when something changed, and say once in the
    log about each file in the folder that is skipped."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._told: set[tuple[str, str]] = set()
        self.skipped: tuple[Skipped, ...] = ()
        # Why the last write failed (for `nudger devices write`), or None.
        self.problem: str | None = None

    def write(self, store: Store, *, force: bool = False) -> bool:
        """Write this device's file if a folder is set and anything changed since it was last
        written (kept in the data folder, so a restart does not write it again). A file the
        person forgot from another device stays gone until there is something new. `force`:
        written either way (the person has just chosen the folder)."""
        device = setup.load(self.data_dir)
        if device is None:
            return False
        try:
            contents = contents_of(store, device)
            import hashlib  # noqa: PLC0415 - maps OpenSSL (3 MB) into the daemon: only when used

            digest = hashlib.sha256(f"{device.folder}|{contents.digest()}".encode()).hexdigest()
            written = force or digest != self._last_written()
            if written:
                files.write_own(device.folder, device.id, contents, time.time())
                write_private_atomic(self.data_dir / WRITTEN_NAME, digest)
        except (OSError, ValueError, sqlite3.Error) as error:
            log.warning(N_("cannot write this device's file into %s: %s"), device.folder, error)
            self.problem = str(error)
            return False
        self.problem = None
        return written

    def _last_written(self) -> str | None:
        try:
            return read_regular_file(self.data_dir / WRITTEN_NAME, 1024).decode("ascii")
        except (OSError, UnicodeError):
            return None

    def look_again(self) -> None:
        """Read the folder, logging each file that is skipped (once). Outside the store's lock:
        other devices' files may take a moment to read."""
        device = setup.load(self.data_dir)
        if device is not None:
            self.look(device)

    def look(self, device: DeviceSetup) -> FolderView:
        view = files.read_folder(device.folder, device.id)
        self.skipped = view.skipped
        for skipped in view.skipped:
            if (skipped.file, skipped.reason.text) not in self._told:
                self._told.add((skipped.file, skipped.reason.text))
                log.warning(
                    N_("skipped %s in the devices folder: %s"), skipped.file, skipped.reason
                )
        return view


@dataclass(frozen=True)
class AcrossDevices:
    """Reads like the store, for History: the local database and every other device's file,
    visits on two screens at the same moment counted once. Plans and the guard's notes stay
    this device's own."""

    store: Store
    view: FolderView
    names: dict[str, str]
    unknown: Unknown

    def _others(self) -> list[Visit]:
        return [
            visit
            for device in self.view.devices
            for visit in named(device.visits, self.names, self.unknown)
        ]

    def visits_between(self, start: float, end: float, source: Source | None = None) -> list[Visit]:
        local = self.store.visits_between(start, end, source)
        others = [
            v
            for v in self._others()
            if v.ended_at >= start and v.started_at < end and source in (None, v.source)
        ]
        return merge_across([*local, *others]) if others else local

    def visit_starts(self, kind: str, start: float, end: float) -> list[float]:
        # From the merged visits, so one visit seen on two screens starts one visit.
        return [
            v.started_at
            for v in self.visits_between(start, end, "front")
            if v.kind == kind and not v.continued and start <= v.started_at < end
        ]

    def first_visit_at(self) -> float | None:
        stamps = [self.store.first_visit_at()]
        stamps += [min((v.started_at for v in d.visits), default=None) for d in self.view.devices]
        stamps += [d.first_run_at for d in self.view.devices]
        known = [s for s in stamps if s is not None]
        return min(known) if known else None

    def get_meta(self, key: str) -> str | None:
        return self.store.get_meta(key)

    def target_names(self, kind: str) -> list[str]:
        return self.store.target_names(kind)

    def nudges_between(self, start: float, end: float) -> list[NudgeRow]:
        others = [
            row
            for device in self.view.devices
            for row in named_nudges(device.nudges, self.names, self.unknown)
            if start <= row.at < end
        ]
        return sorted([*self.store.nudges_between(start, end), *others], key=lambda r: r.at)

    def guard_notes_between(self, start: float, end: float) -> list[GuardNote]:
        return self.store.guard_notes_between(start, end)

    def plans(self) -> list[tuple[int, str]]:
        return self.store.plans()

    def feelings_between(self, start: float, end: float) -> list[tuple[float, str]]:
        # The taps stay on the computer they were made on: never in the shared folder.
        return self.store.feelings_between(start, end)


def known_names(settings: Settings) -> Iterable[tuple[str, str]]:
    """The entries this device has: its blocklist and the sites it knows (only their names: the
    rules themselves are the daemon's to make)."""
    yield from (("blocklist", entry.name) for entry in settings.blocklist)
    yield from (("site", site.name) for site in (*builtin_sites(), *settings.sites))


def across(
    store: Store, settings: Settings, translator: Translator, data_dir: Path
) -> Store | AcrossDevices:
    """The history source for summaries: every device when a folder is set, else the store."""
    device = setup.load(data_dir)
    if device is None:
        return store
    view = Sharing(data_dir).look(device)
    names = {entry_hash(device.key, kind, name): name for kind, name in known_names(settings)}
    unknown = Unknown(
        blocklist=translator._("a person on another device"),
        site=translator._("a site on another device"),
    )
    return AcrossDevices(store, view, names, unknown)


def listed(data_dir: Path, *, this_device: bool = False) -> list[dict[str, object]] | None:
    """The devices a summary counts, for its JSON: name, id and last change (UTC, ISO 8601).
    None without a folder; only this device with --this-device."""
    device = setup.load(data_dir)
    if device is None:
        return None
    view = files.read_folder(device.folder, device.id)
    own: dict[str, object] = {
        "name": device.name,
        "id": device.id,
        "last_change": _iso(view.own_last_change),
        "this_device": True,
    }
    if this_device:
        return [own]
    others: list[dict[str, object]] = [
        {"name": d.name, "id": d.id, "last_change": _iso(d.last_change), "this_device": False}
        for d in sorted(view.devices, key=lambda d: (d.name, d.id))
    ]
    return [own, *others]


def _iso(at: float | None) -> str | None:
    return None if at is None else dt.datetime.fromtimestamp(at, dt.UTC).isoformat()
