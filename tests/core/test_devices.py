"""core.devices: ids, keyed names, believing rows, and merging screens without counting twice."""

from __future__ import annotations

import datetime as dt
import math

from nudger.core.devices import (
    Unknown,
    believed_nudge,
    believed_visit,
    device_id,
    entry_hash,
    is_forgotten,
    merge_across,
    named,
)
from nudger.core.summary import summarize_day
from nudger.core.types import Visit

KEY = b"k" * 32
H = entry_hash(KEY, "blocklist", "Sam")


def test_a_copied_home_is_a_new_device_and_two_homes_are_two() -> None:
    assert device_id("secret-a", "machine-1") != device_id("secret-a", "machine-2")
    assert device_id("secret-a", "machine-1") != device_id("secret-b", "machine-1")
    assert device_id("secret-a", "machine-1") == device_id("secret-a", "machine-1\n")


def test_names_are_keyed_hashes_that_match_only_with_the_same_key() -> None:
    assert entry_hash(KEY, "blocklist", " sam ") == H
    assert "sam" not in H.lower()
    assert entry_hash(b"other" * 8, "blocklist", "Sam") != H
    assert entry_hash(KEY, "site", "Sam") != H


def test_unknown_entries_are_not_named() -> None:
    visit = Visit("blocklist", H, "title", "front", 0, 10)
    other = Visit("blocklist", entry_hash(KEY, "blocklist", "Alex"), "title", "front", 0, 10)
    shown = named([visit, other], {H: "Sam"}, Unknown("someone else", "some site"))
    assert [v.target for v in shown] == ["Sam", "someone else"]


def test_the_same_moment_on_two_screens_counts_once() -> None:
    laptop = Visit("blocklist", "Sam", "title", "front", 100, 400)
    desktop = Visit("blocklist", "Sam", "title", "front", 300, 700)
    later = Visit("blocklist", "Sam", "title", "front", 700, 800)  # touches: a visit of its own
    merged = merge_across([laptop, desktop, later])
    assert [(v.started_at, v.ended_at) for v in merged] == [(100, 700), (700, 800)]
    day = summarize_day(dt.date(2026, 1, 1), 0, 86400, merged)
    sam = day.target("blocklist", "Sam")
    assert sam is not None and sam.seconds == 700 and sam.visits == 2


def test_rows_that_make_no_sense_are_not_believed() -> None:
    good = ("blocklist", H, "front", 10.0, 20.0, 0)
    assert believed_visit(good) is not None
    for bad in (
        ("blocklist", "Sam", "front", 10.0, 20.0, 0),  # a name in the clear, not a hash
        ("ex", H, "front", 10.0, 20.0, 0),
        ("blocklist", H, "front", 20.0, 10.0, 0),
        ("blocklist", H, "front", math.nan, 20.0, 0),
        ("blocklist", H, "front", 10.0, 10.0 + 30 * 3600, 0),
        ("blocklist", H, "front", "10", 20.0, 0),
        ("blocklist", H, "front", 10.0, 20.0, 5),
        ("blocklist", H, "front", 10.0),
    ):
        assert believed_visit(bad) is None, bad
    assert believed_nudge((10.0, "blocklist", H, "pause", 1, None, 1)) is not None
    assert believed_nudge((10.0, "blocklist", "Sam", "pause", 1, None, 1)) is None
    assert believed_nudge((10.0, "blocklist", None, "x" * 500, 1, None, 1)) is None


def test_a_forgotten_device_stays_out_until_it_writes_anew() -> None:
    assert is_forgotten(100.0, 100.0)
    assert not is_forgotten(101.0, 100.0)
    assert not is_forgotten(100.0, None)
