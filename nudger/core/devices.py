"""More than one computer: the pure decisions (issue 35).

Each device writes its own file into a folder the person syncs; every device reads all of them.
Here: how a device is named and told apart, how an entry's name becomes a keyed hash (so the
folder's host never learns the ex's name), which rows from another device's file are believed,
and how visits from several screens are put together without counting a moment twice.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, get_args

from nudger.core.types import Kind, NudgeRow, Source, Visit

# An entry's keyed hash and a device's id, as they appear in the folder.
HASH_LENGTH = 32
DEVICE_ID_LENGTH = 24
_HASH = re.compile(rf"[0-9a-f]{{{HASH_LENGTH}}}")
_DEVICE_ID = re.compile(rf"[0-9a-f]{{{DEVICE_ID_LENGTH}}}")
# A stored visit is cut at each day boundary; a day is at most 25 hours.
_LONGEST_VISIT = 26 * 3600.0
_KINDS: tuple[str, ...] = get_args(Kind)
_SOURCES: tuple[str, ...] = get_args(Source)
_SHORT_TEXT = 40

# Words for a friendly device name ("quiet-otter"): labels, not sentences, so not translated.
_ADJECTIVES = (
    "amber", "brave", "calm", "clever", "cozy", "gentle", "golden", "honest", "kind", "lucky",
    "mellow", "merry", "misty", "patient", "quiet", "rosy", "silver", "steady", "sunny", "warm",
)  # fmt: skip
_ANIMALS = (
    "badger", "beaver", "crane", "deer", "dolphin", "finch", "fox", "hare", "heron", "koala",
    "lark", "lynx", "otter", "owl", "panda", "robin", "seal", "sparrow", "swan", "wren",
)  # fmt: skip


def device_id(secret: str, machine_id: str) -> str:
    """This device's id: the random value kept in the person's data, bound to the machine.

    A home copied to another computer keeps the secret but not the machine, so it becomes a new
    device; two homes on one computer have two secrets, so they are two devices."""
    import hashlib  # noqa: PLC0415 - maps OpenSSL (3 MB) into the daemon: only when used

    digest = hashlib.sha256(f"nudger-device\0{secret}\0{machine_id.strip()}".encode())
    return digest.hexdigest()[:DEVICE_ID_LENGTH]


def is_device_id(text: str) -> bool:
    return _DEVICE_ID.fullmatch(text) is not None


def friendly_name(random_bytes: bytes) -> str:
    """A name a person can tell apart in a list, from two random bytes."""
    adjective = _ADJECTIVES[random_bytes[0] % len(_ADJECTIVES)]
    return f"{adjective}-{_ANIMALS[random_bytes[1] % len(_ANIMALS)]}"


def entry_hash(key: bytes, kind: str, name: str) -> str:
    """An entry's name as it is written into the folder: keyed, so only devices with the
    passphrase can tell whether they have the same entry, and nobody can guess it back."""
    message = f"{kind}\0{name.strip().casefold()}".encode()
    return _hmac_sha256(key, message)[:HASH_LENGTH]


def check_value(key: bytes) -> str:
    """Kept in the folder beside the salt: a device with another passphrase finds out at once."""
    return _hmac_sha256(key, b"nudger-devices-check")


def _hmac_sha256(key: bytes, message: bytes) -> str:
    import hashlib  # noqa: PLC0415 - maps OpenSSL (3 MB) into the daemon: only when used
    import hmac  # noqa: PLC0415 - the same

    return hmac.new(key, message, hashlib.sha256).hexdigest()


def names_by_hash(key: bytes, known: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The names this device knows, by their keyed hash: where another device's entry is one of
    these, its name may be shown here."""
    return {entry_hash(key, kind, name): name for kind, name in known}


def is_forgotten(last_change: float, forgotten_at: float | None) -> bool:
    """A device the person forgot stays out until it writes anew (after the tombstone)."""
    return forgotten_at is not None and last_change <= forgotten_at


# -- rows from another device's file: untrusted ---------------------------------------------------


def believed_visit(row: Sequence[Any]) -> Visit | None:
    """A visit row from another device's file as a Visit with its hashed target, or None when
    anything about it is off (wrong types, impossible times, a target that is not a hash)."""
    if len(row) != 6:
        return None
    kind, target, source, started_at, ended_at, continued = row
    if kind not in _KINDS or source not in _SOURCES or continued not in (0, 1):
        return None
    if not (isinstance(target, str) and _HASH.fullmatch(target)):
        return None
    if not (_finite(started_at) and _finite(ended_at)):
        return None
    if not 0 <= started_at <= ended_at <= started_at + _LONGEST_VISIT:
        return None
    return Visit(
        kind, target, "title", source, float(started_at), float(ended_at), None, bool(continued)
    )


def believed_nudge(row: Sequence[Any]) -> NudgeRow | None:
    """A nudge row from another device's file, or None when anything about it is off."""
    if len(row) != 7:
        return None
    at, kind, target, reason, delivered, action, heeded = row
    if not _finite(at) or at < 0 or delivered not in (0, 1) or heeded not in (None, 0, 1):
        return None
    if not (_short_word(kind) and _short_word(reason)):
        return None
    if target is not None and not (isinstance(target, str) and _HASH.fullmatch(target)):
        return None
    if action is not None and not _short_word(action):
        return None
    return NudgeRow(
        0,
        float(at),
        kind,
        target,
        reason,
        "",
        bool(delivered),
        action,
        None if heeded is None else bool(heeded),
    )


def _finite(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _short_word(value: object) -> bool:
    return (
        isinstance(value, str)
        and 0 < len(value) <= _SHORT_TEXT
        and value.isascii()
        and value.isprintable()
    )


# -- putting the devices together -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Unknown:
    """What an entry of another device's that this one does not have is called (in the
    person's language, chosen by the caller when it is shown)."""

    blocklist: str
    site: str


def named(visits: Iterable[Visit], names: Mapping[str, str], unknown: Unknown) -> list[Visit]:
    """Another device's visits with the names this device knows, the rest as `unknown`."""
    return [replace(v, target=names.get(v.target) or _unknown_of(v.kind, unknown)) for v in visits]


def named_nudges(
    rows: Iterable[NudgeRow], names: Mapping[str, str], unknown: Unknown
) -> list[NudgeRow]:
    return [
        r
        if r.target is None
        else replace(r, target=names.get(r.target) or _unknown_of(r.kind, unknown))
        for r in rows
    ]


def _unknown_of(kind: str, unknown: Unknown) -> str:
    return unknown.blocklist if kind == "blocklist" else unknown.site


def merge_across(visits: Iterable[Visit]) -> list[Visit]:
    """Visits from several devices as one record: where the same target was in front on two
    screens at the same moment, the overlap is one visit, not two, and its time counts once.

    Visits that only touch (one ends as the next begins) stay apart: on one device that is two
    visits. Oldest first."""
    groups: dict[tuple[str, str, str], list[Visit]] = {}
    for visit in visits:
        groups.setdefault((visit.kind, visit.target, visit.source), []).append(visit)
    merged: list[Visit] = []
    for group in groups.values():
        group.sort(key=lambda v: (v.started_at, v.ended_at))
        current = group[0]
        for visit in group[1:]:
            if visit.started_at < current.ended_at:
                current = replace(current, ended_at=max(current.ended_at, visit.ended_at))
            else:
                merged.append(current)
                current = visit
        merged.append(current)
    merged.sort(key=lambda v: (v.started_at, v.kind, v.target))
    return merged
