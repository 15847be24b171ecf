"""The settings models, and the loader that layers defaults < user TOML < NUDGER_* environment."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import string
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from nudger import patterns
from nudger.errors import ConfigError
from nudger.paths import builtin_config, user_config_file

ENV_PREFIX = "NUDGER_"
ENV_DELIMITER = "__"

MessageKind = Literal[
    "be_kind", "small_goal", "move", "reach_out", "social_break", "journal", "counsellor"
]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WatchSettings(_Section):
    poll_seconds: float = Field(1.0, gt=0, le=60)
    idle_seconds: float = Field(120, gt=0)
    flush_seconds: float = Field(5, gt=0, le=60)
    process_scan_seconds: float = Field(15, ge=1, le=3600)
    browsers: tuple[str, ...] = ()

    @property
    def pulse_seconds(self) -> float:
        """How long a target may go unseen and still be one visit (ActivityWatch's pulsetime)."""
        return self.poll_seconds * 1.5 + 1


class RuleSettings(_Section):
    """One [[sites]] or [[blocklist]] entry."""

    name: str = Field(min_length=1, max_length=80)
    match: tuple[str, ...] = ()
    apps: tuple[str, ...] = ()

    @field_validator("name")
    @classmethod
    def _name_is_text(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("the name is empty")
        if any(unicodedata.category(char) == "Cc" for char in value):
            raise ValueError(f"the name {value!r} has a control character in it")
        return value

    @field_validator("match")
    @classmethod
    def _patterns_are_usable(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for index, pattern in enumerate(values):
            try:
                patterns.check(pattern)
            except patterns.PatternError as error:
                raise ValueError(f"pattern {index + 1} ({pattern!r}): {error}") from None
        return values

    @field_validator("apps")
    @classmethod
    def _apps_are_names(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for index, app in enumerate(values):
            if not app.strip():
                raise ValueError(f"app {index + 1} is empty")
        return tuple(app.strip() for app in values)

    @model_validator(mode="after")
    def _matches_something(self) -> RuleSettings:
        if not self.match and not self.apps:
            raise ValueError(
                f'"{self.name}" has no match patterns and no apps, so it can never match'
            )
        return self


class CatalogueSettings(_Section):
    disabled: tuple[str, ...] = ()


class SummarySettings(_Section):
    day_starts_at: dt.time = dt.time(4, 0)
    time: dt.time | None = dt.time(21, 0)
    timezone: str = ""

    @field_validator("time", mode="before")
    @classmethod
    def _blank_means_off(cls, value: Any) -> Any:
        return None if value == "" else value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if value:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(
                    f'unknown time zone "{value}" (use a name like "Europe/Berlin")'
                ) from None
        return value


class PrivacySettings(_Section):
    store_titles: bool = False
    redact_blocklist_titles: bool = True
    alias_blocklist: bool = False
    keep_days: int = Field(0, ge=0)


class QuietHours(_Section):
    start: dt.time
    end: dt.time

    def contains(self, moment: dt.time) -> bool:
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end  # spans midnight, e.g. 23:00-07:00


class NudgeSettings(_Section):
    enabled: bool = True
    blocklist_after_seconds: float = Field(5, ge=0)
    blocklist_repeat_minutes: float = Field(10, gt=0)
    session_minutes: float = Field(20, gt=0)
    daily_budget_minutes: float = Field(60, gt=0)
    repeat_minutes: float = Field(30, gt=0)
    min_gap_minutes: float = Field(5, ge=0)
    quiet_hours: QuietHours | None = None
    expire_seconds: float = Field(20, gt=0, le=3600)
    heeded_within_seconds: float = Field(120, gt=0)

    @field_validator("quiet_hours", mode="before")
    @classmethod
    def _parse_quiet_hours(cls, value: Any) -> Any:
        if value in ("", None):
            return None
        if isinstance(value, str):
            start, sep, end = value.partition("-")
            if not sep:
                raise ValueError('write quiet hours as "HH:MM-HH:MM", for example "23:00-07:00"')
            try:
                return {
                    "start": dt.time.fromisoformat(start.strip()),
                    "end": dt.time.fromisoformat(end.strip()),
                }
            except ValueError:
                raise ValueError(
                    f'"{value}" is not "HH:MM-HH:MM", for example "23:00-07:00"'
                ) from None
        return value


class SupportSettings(_Section):
    line: str = Field("", max_length=160)


PLACEHOLDERS = frozenset({"site", "minutes"})


def placeholders_in(text: str) -> set[str]:
    """The {names} a text uses (string.Formatter does the parsing, braces and all)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


class MessageSettings(_Section):
    """A nudge text the user adds to the built-in ones."""

    kind: MessageKind
    title: str = Field(min_length=1, max_length=40)
    body: str = Field(min_length=1, max_length=160)

    @field_validator("title", "body")
    @classmethod
    def _known_placeholders(cls, text: str) -> str:
        try:
            unknown = placeholders_in(text) - PLACEHOLDERS
        except ValueError as error:  # a lone "{" or "}"
            raise ValueError(f"{error}; write {{{{ and }}}} for literal braces") from None
        if unknown:
            raise ValueError(
                f"unknown placeholder {{{sorted(unknown)[0]}}}; use {{site}} or {{minutes}}"
            )
        return text


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter=ENV_DELIMITER,
        extra="forbid",
        frozen=True,
    )

    watch: WatchSettings = WatchSettings()
    catalogue: CatalogueSettings = CatalogueSettings()
    summary: SummarySettings = SummarySettings()
    privacy: PrivacySettings = PrivacySettings()
    nudges: NudgeSettings = NudgeSettings()
    support: SupportSettings = SupportSettings()
    sites: tuple[RuleSettings, ...] = ()
    blocklist: tuple[RuleSettings, ...] = ()
    messages: tuple[MessageSettings, ...] = ()

    @field_validator("sites", "blocklist")
    @classmethod
    def _names_are_unique(cls, rules: tuple[RuleSettings, ...]) -> tuple[RuleSettings, ...]:
        seen: set[str] = set()
        for rule in rules:
            key = rule.name.casefold()
            if key in seen:
                raise ValueError(
                    f'the name "{rule.name}" is used twice; each entry needs its own name'
                )
            seen.add(key)
        return rules


@dataclass(frozen=True)
class LoadedConfig:
    """Settings plus where they came from, for `config check`, `config show` and errors."""

    settings: Settings
    user_file: Path
    files_read: tuple[str, ...]
    env_keys: tuple[str, ...]
    user_data: Mapping[str, Any]
    defaults_label: str


class _EnvSource(EnvSettingsSource):
    """pydantic-settings' environment source, reading a mapping we pass instead of os.environ."""

    def __init__(self, settings_cls: type[BaseSettings], env: Mapping[str, str]) -> None:
        self._mapping = env
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return {key.lower(): value for key, value in self._mapping.items()}


def load(user_file: Path | None = None, env: Mapping[str, str] | None = None) -> LoadedConfig:
    """Read the built-in defaults, the user's TOML and NUDGER_* variables; raise ConfigError."""
    env = os.environ if env is None else env
    user_file = user_config_file(env) if user_file is None else user_file
    user = _read_toml(user_file, str(user_file)) if user_file.exists() else {}
    return load_from(user, user_file, env, file_exists=user_file.exists())


def load_from(
    user: Mapping[str, Any],
    user_file: Path,
    env: Mapping[str, str] | None = None,
    *,
    file_exists: bool = True,
) -> LoadedConfig:
    """Settings from already-parsed user data (an edit not yet written, for instance)."""
    environment: Mapping[str, str] = os.environ if env is None else env
    defaults_file = builtin_config("nudger.toml")
    defaults = _read_toml(defaults_file, str(defaults_file))
    files_read = [str(defaults_file)] + ([str(user_file)] if file_exists else [])
    env_keys = tuple(sorted(key for key in environment if _is_setting_variable(key)))
    user_layer = dict(user)

    class LayeredSettings(Settings):
        @classmethod
        def settings_customise_sources(
            cls,
            settings_cls: type[BaseSettings],
            init_settings: PydanticBaseSettingsSource,
            env_settings: PydanticBaseSettingsSource,
            dotenv_settings: PydanticBaseSettingsSource,
            file_secret_settings: PydanticBaseSettingsSource,
        ) -> tuple[PydanticBaseSettingsSource, ...]:
            # Highest priority first: environment, then the user's file, then the built-in file.
            return (
                _EnvSource(settings_cls, environment),
                InitSettingsSource(settings_cls, init_kwargs=user_layer),
                InitSettingsSource(settings_cls, init_kwargs=defaults),
            )

    try:
        settings = LayeredSettings()
    except ValidationError as error:
        raise _explain(error, user, user_file, str(defaults_file), environment) from None
    except ValueError as error:  # pydantic-settings raises this for an env value that is not JSON
        raise ConfigError("the environment", "NUDGER_*", str(error)) from None
    return LoadedConfig(settings, user_file, tuple(files_read), env_keys, user, str(defaults_file))


def _is_setting_variable(key: str) -> bool:
    return key.startswith(ENV_PREFIX) and key not in {"NUDGER_CONFIG", "NUDGER_DATA_DIR"}


def _read_toml(source: Path | Traversable, label: str) -> dict[str, Any]:
    try:
        with source.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        reason = str(error)
        where = "TOML syntax"
        if "(at line" in reason:
            reason, _, position = reason.rpartition(" (at ")
            where = position.rstrip(")")
        raise ConfigError(label, where, f"this is not valid TOML: {reason}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(label, f"byte {error.start}", "this is not UTF-8 text") from None
    except OSError as error:
        raise ConfigError(label, "(file)", f"cannot be read: {error.strerror or error}") from None


def _explain(
    error: ValidationError,
    user: Mapping[str, Any],
    user_file: Path,
    defaults_label: str,
    env: Mapping[str, str],
) -> ConfigError:
    """Turn pydantic's first error into one line: which file, which field, and why."""
    first = error.errors()[0]
    loc = tuple(first["loc"])
    field = format_location(loc, user)
    reason = str(first["msg"]).removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        reason = "is not a setting nudger knows (check the spelling)"
        close = difflib.get_close_matches(str(loc[-1]), _known_keys(loc[:-1]), n=1)
        if close:
            reason = f"is not a setting nudger knows; did you mean {close[0]!r}?"
    # One line keeps the message readable; the count saves a surprise after fixing this one.
    others = error.error_count() - 1
    if others:
        reason += f" (and {others} more problem{'' if others == 1 else 's'} after this one)"
    candidates = (
        ENV_PREFIX + ENV_DELIMITER.join(str(part).upper() for part in loc[:2]),
        ENV_PREFIX + str(loc[0]).upper() if loc else "",
    )
    from_env = next((name for name in candidates if name in env), None)
    if from_env:
        label = f"environment variable {from_env}"
    elif loc and loc[0] in user:
        label = str(user_file)
    else:
        label = defaults_label
    return ConfigError(label, field, reason)


def _known_keys(loc: tuple[Any, ...]) -> list[str]:
    """The settings that exist where `loc` points (a section, an entry of a list), for
    suggesting the closest one to a misspelled key."""
    model: Any = Settings
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return []
        annotation = field.annotation
        args = getattr(annotation, "__args__", ())
        model = next((a for a in (annotation, *args) if hasattr(a, "model_fields")), None)
        if model is None:
            return []
    return list(getattr(model, "model_fields", {}))


def printable(text: str) -> str:
    """Text for a one-line message: control characters shown as escapes, the rest as is."""
    return "".join(
        char.encode("unicode_escape").decode()
        if unicodedata.category(char).startswith("C")
        else char
        for char in text
    )


def format_location(loc: tuple[Any, ...], data: Mapping[str, Any] | None = None) -> str:
    """('blocklist', 0, 'match') -> 'blocklist[0] ("Alex").match': readable, and names the entry."""
    text = ""
    node: Any = data
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            name = node.get("name") if isinstance(node, Mapping) else None
            if isinstance(name, str):
                text += f' ("{printable(name)}")'
        else:
            text += f".{part}" if text else str(part)
            node = node.get(part) if isinstance(node, Mapping) else None
    return text


def timezone_of(settings: Settings) -> dt.tzinfo:
    """The configured zone, or the computer's own (tzlocal reads it correctly on every OS)."""
    if settings.summary.timezone:
        return ZoneInfo(settings.summary.timezone)
    import tzlocal  # noqa: PLC0415 - only needed when no zone is configured

    return tzlocal.get_localzone()
