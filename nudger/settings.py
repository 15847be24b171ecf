"""The settings models, and the loader that layers defaults < user TOML < NUDGER_* environment."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import string
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from nudger.core import patterns
from nudger.core.printable import printable
from nudger.errors import ConfigError
from nudger.paths import NotARegularFile, builtin_config, read_regular_file, user_config_file
from nudger.zones import local_zone, zone_named

ENV_PREFIX = "NUDGER_"
ENV_DELIMITER = "__"

MessageKind = Literal[
    "be_kind", "small_goal", "move", "reach_out", "social_break", "journal", "counsellor"
]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def clock_time(value: Any) -> Any:
    """A time of day as the settings write it: "04:00", "21:30:15", or TOML's own 04:00:00.

    Strict on purpose: pydantic alone would read `4` as four seconds past midnight and take
    "23:00+05:00" with a UTC offset, which cannot be compared with the local clock."""
    if isinstance(value, dt.time):
        if value.tzinfo is not None:
            raise ValueError(f'"{value}" has a UTC offset; write a local time such as "04:00"')
        return value
    if not isinstance(value, str) or not _CLOCK.fullmatch(value.strip()):
        raise ValueError(f'{_shown(value)} is not a time of day like "04:00" or "21:30"')
    return dt.time.fromisoformat(
        value.strip().zfill(5) if len(value.strip()) == 4 else value.strip()
    )


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return f'"{printable(text[:40])}"'


_CLOCK = re.compile(r"([01]?\d|2[0-3]):[0-5]\d(:[0-5]\d)?")


class WatchSettings(_Section):
    # Bounds that keep the daemon sane whatever is typed: sampling a thousand times a second
    # costs a quarter of a core and floods the log; 1e-300 seconds loses half the time.
    poll_seconds: float = Field(1.0, ge=0.2, le=60)
    idle_seconds: float = Field(120, ge=1, le=86400)
    flush_seconds: float = Field(5, ge=1, le=60)
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
                raise ValueError(f"pattern {index + 1} ('{printable(pattern)}'): {error}") from None
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

    @field_validator("day_starts_at", mode="before")
    @classmethod
    def _day_start_is_a_clock_time(cls, value: Any) -> Any:
        return clock_time(value)

    @field_validator("time", mode="before")
    @classmethod
    def _blank_means_off(cls, value: Any) -> Any:
        return None if value in ("", None) else clock_time(value)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if value:
            zone_named(value)  # UnknownZone is a ValueError: pydantic reports it as the field's
        return value


class PrivacySettings(_Section):
    store_titles: bool = False
    redact_blocklist_titles: bool = True
    alias_blocklist: bool = False
    keep_days: int = Field(0, ge=0, le=36500)


class QuietHours(_Section):
    start: dt.time
    end: dt.time

    def contains(self, moment: dt.time) -> bool:
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end  # spans midnight, e.g. 23:00-07:00


class NudgeSettings(_Section):
    enabled: bool = True
    blocklist_after_seconds: float = Field(5, ge=0, le=3600)
    blocklist_repeat_minutes: float = Field(10, ge=0.05, le=1440)
    session_minutes: float = Field(20, ge=0.05, le=1440)
    daily_budget_minutes: float = Field(60, ge=0.05, le=1440)
    repeat_minutes: float = Field(30, ge=0.05, le=1440)
    min_gap_minutes: float = Field(5, ge=0, le=1440)
    quiet_hours: QuietHours | None = None
    expire_seconds: float = Field(20, ge=1, le=3600)
    heeded_within_seconds: float = Field(120, ge=1, le=3600)

    @field_validator("quiet_hours", mode="before")
    @classmethod
    def _parse_quiet_hours(cls, value: Any) -> Any:
        if value in ("", None):
            return None
        if isinstance(value, str):
            start, sep, end = value.partition("-")
            try:
                if not sep:
                    raise ValueError
                return {"start": clock_time(start.strip()), "end": clock_time(end.strip())}
            except ValueError:
                raise ValueError(
                    f'{_shown(value)} is not "HH:MM-HH:MM", for example "23:00-07:00"'
                ) from None
        return value


class SupportSettings(_Section):
    line: str = Field("", max_length=160)


PLACEHOLDERS = frozenset({"site", "minutes"})
# What a text is filled in with to check it: a long site name, and many minutes.
_SAMPLE_FILLING = {"site": "a site with a long name", "minutes": 999}
_RENDERED_LIMITS = {"title": 60, "body": 200}


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
    def _known_placeholders(cls, text: str, info: ValidationInfo) -> str:
        try:
            unknown = placeholders_in(text) - PLACEHOLDERS
        except ValueError as error:  # a lone "{" or "}"
            raise ValueError(f"{error}; write {{{{ and }}}} for literal braces") from None
        if unknown:
            raise ValueError(
                f"unknown placeholder {{{sorted(unknown)[0]}}}; use {{site}} or {{minutes}}"
            )
        # The text as it will be shown, not the template: a format spec such as {site:d} fails
        # only when filled in, and {site:>30000000} fills in to 30 MB (so widths are checked
        # before anything is filled in).
        widths = [
            int(number)
            for _, _, spec, _ in string.Formatter().parse(text)
            for number in re.findall(r"\d+", spec or "")
        ]
        if any(width > _RENDERED_LIMITS["body"] for width in widths):
            raise ValueError(f"a width of {max(widths)} cannot fit in a notification")
        try:
            shown = text.format_map(_SAMPLE_FILLING)
        except (ValueError, TypeError, OverflowError) as error:
            raise ValueError(f"cannot be filled in: {error}") from None
        limit = _RENDERED_LIMITS[str(info.field_name)]
        if len(shown) > limit:
            raise ValueError(
                f"is {len(shown)} characters long once filled in; keep it under {limit}"
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
    exists = user_file.exists() or user_file.is_symlink()  # a dangling link is said, not skipped
    user = _read_toml(user_file, str(user_file)) if exists else {}
    return load_from(user, user_file, env, file_exists=exists)


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
    _check_patterns_compile(settings, user, user_file)
    return LoadedConfig(settings, user_file, tuple(files_read), env_keys, user, str(defaults_file))


def _check_patterns_compile(settings: Settings, user: Mapping[str, Any], user_file: Path) -> None:
    """Compile the patterns exactly as the daemon will (one RE2 set per kind, same memory
    budget), so that what loads here can never stop the daemon from starting."""
    from nudger.catalogue import all_rules  # noqa: PLC0415 - the catalogue needs these models
    from nudger.core.matching import Matcher, TooBig  # noqa: PLC0415

    try:
        Matcher(all_rules(settings), settings.watch.browsers)
    except TooBig as error:
        section = "blocklist" if error.kind == "blocklist" else "sites"
        entries = getattr(settings, section)
        index = next((i for i, e in enumerate(entries) if e.name == error.rule), None)
        if index is None:
            raise ConfigError(str(user_file), section, str(error)) from None
        where = format_location((section, index, "match"), user)
        number = entries[index].match.index(error.pattern) + 1
        raise ConfigError(str(user_file), where, f"pattern {number} {error}") from None


def _is_setting_variable(key: str) -> bool:
    return key.startswith(ENV_PREFIX) and key not in {"NUDGER_CONFIG", "NUDGER_DATA_DIR"}


def _read_toml(source: Path | Traversable, label: str) -> dict[str, Any]:
    """A TOML file, read safely: a FIFO or a device in its place is refused at once (never
    waited on), a UTF-8 byte-order mark is accepted, and nesting too deep for the parser is an
    error like any other."""
    try:
        raw = read_regular_file(source) if isinstance(source, Path) else source.read_bytes()
        return tomllib.loads(raw.decode("utf-8-sig"))
    except tomllib.TOMLDecodeError as error:
        reason = str(error)
        where = "TOML syntax"
        if "(at line" in reason:
            reason, _, position = reason.rpartition(" (at ")
            where = position.rstrip(")")
        raise ConfigError(label, where, f"this is not valid TOML: {reason}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(label, f"byte {error.start}", "this is not UTF-8 text") from None
    except RecursionError:
        raise ConfigError(label, "TOML syntax", "it is nested too deeply to be settings") from None
    except NotARegularFile as error:
        raise ConfigError(label, "(file)", f"cannot be read: {error}") from None
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
    """The configured zone, or the computer's own."""
    if settings.summary.timezone:
        return zone_named(settings.summary.timezone)
    return local_zone()
