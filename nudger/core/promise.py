"""The promise: which change of the settings loosens, field by field, and what is in force.

While a promise runs, a change that makes nudger count, nudge or hold back less waits out the
cool-off; every other change applies at once. The settings are plain data here (the settings'
JSON form: tables are dicts, lists are lists, times are "HH:MM:SS"), so this rule needs no
pydantic and can be tested with any settings hypothesis makes up.

A change is as small as it can be: one number, one switch, one entry, one pattern of an entry.
So an edit of a pattern is a removal (waits) and an addition (at once), and a rename keeps the
old entry in force beside the new one until the cool-off has passed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

# How each setting loosens. A setting in none of these tables is treated as loosening whenever
# it changes: a setting added later without a decision here waits rather than slips through.
LOOSER_WHEN_HIGHER = frozenset(
    {
        "watch.poll_seconds",  # looks less often
        "watch.process_scan_seconds",
        "nudges.blocklist_after_seconds",
        "nudges.blocklist_repeat_minutes",
        "nudges.session_minutes",
        "nudges.daily_budget_minutes",
        "nudges.repeat_minutes",
        "nudges.min_gap_minutes",
        "browser.pause_again_minutes",
    }
)
LOOSER_WHEN_LOWER = frozenset(
    {
        "watch.idle_seconds",  # stops counting sooner when the computer seems unused
        "nudges.night_cap",
        "browser.pause_seconds",
    }
)
LOOSER_WHEN_OFF = frozenset(
    {"nudges.enabled", "nudges.quiet_hours_night_care", "browser.pause_sites"}
)
# Spans of the clock in which nudges are fewer: growing them loosens.
LOOSER_WHEN_GROWS = frozenset({"nudges.quiet_hours", "nudges.night"})
# Lists of names: removing one loosens (a browser no longer recognised) ...
LOOSER_WHEN_ITEM_REMOVED = frozenset({"watch.browsers"})
# ... or adding one does (a site switched off).
LOOSER_WHEN_ITEM_ADDED = frozenset({"catalogue.disabled"})
# Entries by name; removing an entry, or a pattern, app or profile path of one, loosens.
RULE_LISTS = frozenset({"blocklist", "sites"})
RULE_PARTS = ("match", "apps", "profiles")
# What changes how nudger looks or speaks, not how much it counts, nudges or holds back.
NEUTRAL = frozenset(
    {
        "watch.flush_seconds",
        "summary",
        "privacy",
        "support",
        "ui",
        "messages",
        "nudges.expire_seconds",
        "nudges.heeded_within_seconds",
    }
)

DAY_SECONDS = 86400
WEEK_SECONDS = 7 * DAY_SECONDS
SHORTEST_COOL_OFF = 15 * 60
LONGEST_COOL_OFF = 72 * 3600
DEFAULT_COOL_OFF = 24 * 3600

Settings = Mapping[str, Any]


def _key(*parts: Any) -> str:
    """A change's identity. A single setting's includes the value wanted, so that asking for
    more later waits anew rather than riding on an earlier, smaller request."""
    return json.dumps(parts, sort_keys=True, default=str)


@dataclass(frozen=True, slots=True)
class Change:
    """One smallest change from the settings in force to the settings wanted."""

    key: str  # its identity, stable while the same change is wanted
    field: str  # the setting, "nudges.session_minutes" or "blocklist"
    name: str = ""  # the entry or list item it is about, if any
    part: str = ""  # "match", "apps" or "profiles" for an entry's pattern, app or path
    item: str = ""  # that pattern, app or path
    value: Any = None  # the value wanted, for a single setting
    loosens: bool = True


def changes(in_force: Settings, wanted: Settings) -> tuple[Change, ...]:
    """Every smallest change from `in_force` to `wanted`, each marked loosening or not."""
    found: list[Change] = []
    for section in sorted(set(in_force) | set(wanted)):
        old, new = in_force.get(section), wanted.get(section)
        if section in RULE_LISTS:
            found += _rule_changes(section, old or [], new or [])
        elif isinstance(old, Mapping) and isinstance(new, Mapping):
            for key in sorted(set(old) | set(new)):
                found += _field_changes(f"{section}.{key}", old.get(key), new.get(key))
        else:
            found += _field_changes(section, old, new)
    return tuple(found)


def loosenings(in_force: Settings, wanted: Settings) -> tuple[Change, ...]:
    return tuple(change for change in changes(in_force, wanted) if change.loosens)


def held(in_force: Settings, wanted: Settings, due: frozenset[str]) -> dict[str, Any]:
    """The settings in force after `wanted`: every change that does not loosen, and every
    loosening whose key is in `due`, taken from `wanted`; every other loosening held back."""
    result: dict[str, Any] = {}
    for section in sorted(set(in_force) | set(wanted)):
        old, new = in_force.get(section), wanted.get(section)
        if section in RULE_LISTS:
            result[section] = _held_rules(section, old or [], new or [], due)
        elif isinstance(old, Mapping) and isinstance(new, Mapping):
            result[section] = {
                key: _held_field(f"{section}.{key}", old.get(key), new.get(key), due)
                for key in sorted(set(old) | set(new))
            }
        else:
            result[section] = _held_field(section, old, new, due)
    return result


# -- the field-by-field rule ------------------------------------------------------------------


def _neutral(field: str) -> bool:
    return field in NEUTRAL or field.split(".", 1)[0] in NEUTRAL


def _field_changes(field: str, old: Any, new: Any) -> list[Change]:
    if old == new:
        return []
    if field in LOOSER_WHEN_ITEM_REMOVED or field in LOOSER_WHEN_ITEM_ADDED:
        loosening_side = old if field in LOOSER_WHEN_ITEM_REMOVED else new
        before, after = _names(old), _names(new)
        return [
            Change(
                _key(field, item),
                field,
                name=item,
                loosens=item in loosening_side_names,
            )
            for loosening_side_names in [_names(loosening_side)]
            for item in sorted(before ^ after, key=str.casefold)
        ]
    return [Change(_key(field, new), field, value=new, loosens=_loosens(field, old, new))]


def _loosens(field: str, old: Any, new: Any) -> bool:
    if _neutral(field):
        return False
    if field in LOOSER_WHEN_HIGHER:
        return _number(new) > _number(old)
    if field in LOOSER_WHEN_LOWER:
        return _number(new) < _number(old)
    if field in LOOSER_WHEN_OFF:
        return bool(old) and not bool(new)
    if field in LOOSER_WHEN_GROWS:
        return not _within(_span(new), _span(old))
    return True  # a setting without a decision: any change waits


def _held_field(field: str, old: Any, new: Any, due: frozenset[str]) -> Any:
    if field in LOOSER_WHEN_ITEM_REMOVED or field in LOOSER_WHEN_ITEM_ADDED:
        kept = [
            item
            for item in (old or [])
            if item not in (new or [])
            and field in LOOSER_WHEN_ITEM_REMOVED
            and _key(field, item) not in due
        ]
        taken = [
            item
            for item in (new or [])
            if item in (old or []) or field in LOOSER_WHEN_ITEM_REMOVED or _key(field, item) in due
        ]
        return [*taken, *kept]
    if old == new or not _loosens(field, old, new) or _key(field, new) in due:
        return new
    return old


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _names(values: Any) -> set[str]:
    return {str(item) for item in values or ()}


def _span(value: Any) -> list[tuple[int, int]]:
    """A span of the clock as seconds since midnight: one or two [start, end) parts."""
    if not isinstance(value, Mapping):
        return []
    start, end = _seconds(value.get("start")), _seconds(value.get("end"))
    if start < end:
        return [(start, end)]
    if start == end:
        return []  # as ClockSpan.contains reads it: no moment is inside
    return [(start, DAY_SECONDS), (0, end)]


def _seconds(value: Any) -> int:
    moment = value if isinstance(value, dt.time) else dt.time.fromisoformat(str(value))
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def _within(inner: list[tuple[int, int]], outer: list[tuple[int, int]]) -> bool:
    return all(any(a <= start and end <= b for a, b in outer) for start, end in inner)


def _by_name(entries: Sequence[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    return {str(entry.get("name", "")).casefold(): entry for entry in entries}


def _rule_changes(
    field: str, old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]
) -> list[Change]:
    before, after = _by_name(old), _by_name(new)
    found: list[Change] = []
    for key, entry in before.items():
        name = str(entry.get("name", ""))
        if key not in after:
            found.append(Change(_key(field, key), field, name=name))
            continue
        for part in RULE_PARTS:
            was, now = list(entry.get(part) or []), list(after[key].get(part) or [])
            found += [
                Change(_key(field, key, part, item), field, name, part, item)
                for item in was
                if item not in now
            ]
            found += [
                Change(_key(field, key, part, item), field, name, part, item, loosens=False)
                for item in now
                if item not in was
            ]
        if entry.get("name") != after[key].get("name"):
            found.append(Change(_key(field, key, "name"), field, name, loosens=False))
    found += [
        Change(_key(field, key), field, name=str(entry.get("name", "")), loosens=False)
        for key, entry in after.items()
        if key not in before
    ]
    return found


def _held_rules(
    field: str,
    old: Sequence[Mapping[str, Any]],
    new: Sequence[Mapping[str, Any]],
    due: frozenset[str],
) -> list[dict[str, Any]]:
    before = _by_name(old)
    result: list[dict[str, Any]] = []
    for entry in new:
        key = str(entry.get("name", "")).casefold()
        merged = dict(entry)
        was = before.get(key)
        if was is not None:
            for part in RULE_PARTS:
                now = list(entry.get(part) or [])
                kept = [
                    item
                    for item in was.get(part) or []
                    if item not in now and _key(field, key, part, item) not in due
                ]
                if kept or part in entry:
                    merged[part] = [*now, *kept]
        result.append(merged)
    after = _by_name(new)
    result += [
        dict(entry)
        for key, entry in before.items()
        if key not in after and _key(field, key) not in due
    ]
    return result


# -- the promise over time --------------------------------------------------------------------

Kind = Literal["change", "pause", "end", "cool_off", "autostart_off", "browser_off"]
# What the shell carries out when it is due: a pause, `autostart disable`, `browser uninstall`.
CARRIED_OUT = frozenset({"pause", "autostart_off", "browser_off"})
KINDS = frozenset({"change", "end", "cool_off"}) | CARRIED_OUT


@dataclass(frozen=True, slots=True)
class Waiting:
    """A loosening that waits: a change of the settings, a pause, a shorter cool-off, the end."""

    id: int
    kind: Kind
    since: float  # when it was first asked for or seen
    due: float  # when it applies by itself
    change: Change | None = None  # for kind "change"
    seconds: float = 0.0  # the pause's length, or the new cool-off

    @property
    def key(self) -> str:
        return self.change.key if self.change is not None else f"{self.kind}#{self.id}"


@dataclass(frozen=True, slots=True)
class Promise:
    started_at: float
    ends_at: float
    cool_off: float
    in_force: Mapping[str, Any]
    waiting: tuple[Waiting, ...] = ()
    passes: tuple[float, ...] = ()  # when each pass was used
    next_id: int = 1
    # Made again from a damaged state, as a request to end (said by `status`).
    from_damage: bool = False


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a step decided: the promise (None once it is over), the settings in force, the
    waiting commands that are due now (the shell carries them out: see CARRIED_OUT), and every
    loosening that took effect at this step (for the guard's record)."""

    promise: Promise | None
    in_force: Mapping[str, Any]
    carry_out: tuple[Waiting, ...] = ()
    applied: tuple[Waiting, ...] = ()


def begin(
    in_force: Settings, now: float, length: float, cool_off: float = DEFAULT_COOL_OFF
) -> Promise:
    return Promise(started_at=now, ends_at=now + length, cool_off=cool_off, in_force=in_force)


def ask(promise: Promise, kind: Kind, now: float, seconds: float = 0.0) -> Promise:
    """A command's loosening (a pause, a shorter cool-off, the end, `autostart disable`,
    `browser uninstall`), recorded to wait."""
    waiting = Waiting(promise.next_id, kind, now, now + promise.cool_off, seconds=seconds)
    return replace(promise, waiting=(*promise.waiting, waiting), next_id=promise.next_id + 1)


def step(promise: Promise, wanted: Settings, now: float) -> Outcome:
    """The promise at `now` with the settings file saying `wanted`.

    A loosening seen for the first time waits from now; one seen before keeps its time; one no
    longer wanted (the file was put back) is dropped. What is due applies."""
    ended = tuple(w for w in promise.waiting if w.kind == "end" and w.due <= now)
    if now >= promise.ends_at or ended:
        # Over: what was asked for and still waits is carried out now. Only an end that waited
        # out its cool-off is a loosening; a promise that ran its course simply ends.
        carried = tuple(w for w in promise.waiting if w.kind in CARRIED_OUT)
        return Outcome(None, wanted, carried, (*ended, *carried) if ended else ())
    cool_off = promise.cool_off
    for shorter in (w for w in promise.waiting if w.kind == "cool_off" and w.due <= now):
        cool_off = shorter.seconds
    carry_out = tuple(w for w in promise.waiting if w.kind in CARRIED_OUT and w.due <= now)
    asked = tuple(w for w in promise.waiting if w.kind != "change" and w.due > now)
    earlier = {w.key: w for w in promise.waiting if w.change is not None}
    next_id = promise.next_id
    waiting: list[Waiting] = []
    for change in loosenings(promise.in_force, wanted):
        seen = earlier.get(change.key)
        if seen is None:
            seen = Waiting(next_id, "change", now, now + cool_off, change)
            next_id += 1
        waiting.append(replace(seen, change=change))
    due = frozenset(w.key for w in waiting if w.due <= now)
    in_force = held(promise.in_force, wanted, due)
    still = tuple(w for w in waiting if w.key not in due)
    kept = replace(
        promise, cool_off=cool_off, in_force=in_force, waiting=(*asked, *still), next_id=next_id
    )
    applied = (*carry_out, *(w for w in waiting if w.key in due))
    applied += tuple(w for w in promise.waiting if w.kind == "cool_off" and w.due <= now)
    return Outcome(kept, in_force, carry_out, applied)


def pass_allowed(promise: Promise, now: float) -> float | None:
    """None when this week's pass is free; else when the next one will be."""
    recent = [used for used in promise.passes if now - used < WEEK_SECONDS]
    return None if not recent else max(recent) + WEEK_SECONDS


def use_pass(promise: Promise, waiting_id: int, now: float) -> Promise:
    """The waiting change `waiting_id` made due now, with this week's pass (checked first by
    pass_allowed)."""
    return replace(
        promise,
        waiting=tuple(replace(w, due=now) if w.id == waiting_id else w for w in promise.waiting),
        passes=(*promise.passes, now),
    )


def withdraw(promise: Promise, waiting_id: int) -> Promise:
    return replace(promise, waiting=tuple(w for w in promise.waiting if w.id != waiting_id))


def cool_off_loosens(promise: Promise, seconds: float) -> bool:
    return seconds < promise.cool_off


def with_cool_off(promise: Promise, seconds: float) -> Promise:
    """A longer cool-off applies at once (a shorter one waits: see `ask`)."""
    return replace(promise, cool_off=seconds)


def longer(promise: Promise, ends_at: float) -> Promise:
    """A promise made longer while it runs (a shorter one is a request to end, which waits)."""
    return replace(promise, ends_at=max(promise.ends_at, ends_at))
