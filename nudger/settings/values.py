"""The settings as the rest of nudger reads them: plain frozen values, no pydantic.

models.py says what each setting may be and validates it (pydantic); this module holds what a
validation gave, in the same shape, for the parts that only read it. The daemon keeps these and
never imports pydantic: its settings are validated in a short-lived child process
(shell/loading.py), so pydantic's 10 MB never stay in it (issue 34). A test keeps the two shapes
equal, field for field.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from nudger.core.clock import pulse_for
from nudger.core.days import LocalDays
from nudger.core.messages import Message
from nudger.core.policy import NudgeRules
from nudger.core.types import ClockSpan, Kind, MessageKind, MessageTime, Rule
from nudger.settings.zones import local_zone, zone_named


@dataclass(frozen=True)
class WatchSettings:
    poll_seconds: float
    idle_seconds: float
    flush_seconds: float
    process_scan_seconds: float
    browsers: tuple[str, ...]

    @property
    def pulse_seconds(self) -> float:
        """How long a target may go unseen and still be one visit."""
        return pulse_for(self.poll_seconds)


@dataclass(frozen=True)
class RuleSettings:
    name: str
    match: tuple[str, ...]
    apps: tuple[str, ...]
    profiles: tuple[str, ...]

    def rule(self, kind: Kind) -> Rule:
        """The plain value the core matches with."""
        return Rule(kind, self.name, self.match, self.apps, self.profiles)


@dataclass(frozen=True)
class CatalogueSettings:
    disabled: tuple[str, ...]


@dataclass(frozen=True)
class SummarySettings:
    day_starts_at: dt.time
    time: dt.time | None
    timezone: str


@dataclass(frozen=True)
class PrivacySettings:
    store_titles: bool
    redact_blocklist_titles: bool
    alias_blocklist: bool
    keep_days: int


@dataclass(frozen=True)
class QuietHours:
    start: dt.time
    end: dt.time

    def span(self) -> ClockSpan:
        return ClockSpan(self.start, self.end)


@dataclass(frozen=True)
class NudgeSettings:
    enabled: bool
    blocklist_after_seconds: float
    blocklist_repeat_minutes: float
    session_minutes: float
    daily_budget_minutes: float
    repeat_minutes: float
    min_gap_minutes: float
    quiet_hours: QuietHours | None
    night: QuietHours | None
    night_cap: int
    quiet_hours_night_care: bool
    expire_seconds: float
    heeded_within_seconds: float

    def rules(self) -> NudgeRules:
        """The plain value the core's policy takes."""
        return NudgeRules(
            enabled=self.enabled,
            blocklist_after_seconds=self.blocklist_after_seconds,
            blocklist_repeat_minutes=self.blocklist_repeat_minutes,
            session_minutes=self.session_minutes,
            daily_budget_minutes=self.daily_budget_minutes,
            repeat_minutes=self.repeat_minutes,
            min_gap_minutes=self.min_gap_minutes,
            quiet_hours=None if self.quiet_hours is None else self.quiet_hours.span(),
            night=None if self.night is None else self.night.span(),
            night_cap=self.night_cap,
            quiet_hours_night_care=self.quiet_hours_night_care,
            expire_seconds=self.expire_seconds,
            heeded_within_seconds=self.heeded_within_seconds,
        )


@dataclass(frozen=True)
class SupportSettings:
    line: str
    country: str


@dataclass(frozen=True)
class UiSettings:
    language: str
    status_icon: bool


@dataclass(frozen=True)
class BrowserSettings:
    pause_seconds: float
    pause_again_minutes: float
    pause_sites: bool


@dataclass(frozen=True)
class MessageSettings:
    kind: MessageKind
    when: MessageTime
    title: str
    body: str


@dataclass(frozen=True)
class MessagesSettings:
    builtin: bool
    own: tuple[MessageSettings, ...]

    def own_messages(self) -> tuple[Message, ...]:
        """The person's own texts as the core takes them, numbered user.1, user.2, ..."""
        return tuple(
            Message(f"user.{index + 1}", item.kind, item.title, item.body, item.when)
            for index, item in enumerate(self.own)
        )


@dataclass(frozen=True)
class Settings:
    watch: WatchSettings
    catalogue: CatalogueSettings
    summary: SummarySettings
    privacy: PrivacySettings
    nudges: NudgeSettings
    support: SupportSettings
    browser: BrowserSettings
    ui: UiSettings
    sites: tuple[RuleSettings, ...]
    blocklist: tuple[RuleSettings, ...]
    messages: MessagesSettings


@dataclass(frozen=True)
class LoadedConfig:
    """Settings plus where they came from, for `config check`, `config show` and errors."""

    settings: Settings
    user_file: Path
    files_read: tuple[str, ...]
    env_keys: tuple[str, ...]
    user_data: Mapping[str, Any]
    defaults_label: str
    # The user's file exactly as it was read and found good (None when there was none).
    user_text: bytes | None = None


Value = TypeVar("Value")


def values_of(validated: object, shape: type[Value]) -> Value:
    """The plain values of a validated model (or of anything with the same attributes)."""
    hints = _hints(shape)  # type: ignore[arg-type]  # a dataclass: hashable
    return shape(
        **{
            field.name: _value(getattr(validated, field.name), hints[field.name])
            for field in dataclasses.fields(shape)  # type: ignore[arg-type]
        }
    )


def _value(value: object, hint: Any) -> object:
    """One field's value in the plain shape its hint names (a section, an entry list, or None)."""
    if value is None:
        return None
    if _is_shape(hint):
        return values_of(value, hint)
    arms = typing.get_args(hint)
    if typing.get_origin(hint) is tuple and arms and _is_shape(arms[0]):
        return tuple(values_of(item, arms[0]) for item in value)  # type: ignore[attr-defined]
    if isinstance(hint, types.UnionType):
        shaped = [arm for arm in arms if _is_shape(arm)]
        return values_of(value, shaped[0]) if shaped else value
    return value


def _is_shape(hint: Any) -> bool:
    return isinstance(hint, type) and dataclasses.is_dataclass(hint)


@functools.cache
def _hints(shape: type) -> dict[str, Any]:
    return typing.get_type_hints(shape)


def settings_data(settings: object) -> dict[str, Any]:
    """The settings as JSON-ready data, as pydantic writes them (`model_dump(mode="json")`):
    what a promise keeps in force and compares."""
    data: dict[str, Any] = _data(settings)
    return data


def _data(value: object) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: _data(getattr(value, field.name)) for field in dataclasses.fields(value)
        }
    if isinstance(value, tuple | list):
        return [_data(item) for item in value]
    if isinstance(value, dt.time):
        return value.isoformat()
    return value


def days_of(settings: Settings) -> LocalDays:
    """The local days the settings describe: their time zone, and when a day starts."""
    return LocalDays(timezone_of(settings), settings.summary.day_starts_at)


def timezone_of(settings: Settings) -> dt.tzinfo:
    """The configured zone, or the computer's own."""
    if settings.summary.timezone:
        return zone_named(settings.summary.timezone)
    return local_zone()
