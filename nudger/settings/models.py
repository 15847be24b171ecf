"""The settings models: every setting, its default, its bounds, and what makes it valid.

Plain pydantic models: the core reads them, so they read nothing themselves (no file, no
environment). Loading them from files and NUDGER_* variables is loader.py's job. A validator
raises a ValueError carrying a Said: the words are chosen by whoever shows the error, in the
reader's language (loader.py keeps the Said in the ConfigError it raises).
"""

from __future__ import annotations

import datetime as dt
import re
import string
import unicodedata
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from nudger.core import patterns
from nudger.core.clock import pulse_for
from nudger.core.messages import PLACEHOLDERS, Message, placeholders_in
from nudger.core.policy import NudgeRules
from nudger.core.printable import printable
from nudger.core.translate import N_, Said
from nudger.core.types import ClockSpan, Kind, MessageKind, MessageTime, Rule
from nudger.settings import values
from nudger.settings.values import values_of
from nudger.settings.zones import zone_named

# How a setting is named in the environment: NUDGER_WATCH__POLL_SECONDS (pydantic-settings' way).
ENV_PREFIX = "NUDGER_"
ENV_DELIMITER = "__"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def clock_time(value: Any) -> Any:
    """A time of day as the settings write it: "04:00", "21:30:15", or TOML's own 04:00:00.

    Strict on purpose: pydantic alone would read `4` as four seconds past midnight and take
    "23:00+05:00" with a UTC offset, which cannot be compared with the local clock."""
    if isinstance(value, dt.time):
        if value.tzinfo is not None:
            raise ValueError(
                Said(
                    N_('"{value}" has a UTC offset; write a local time such as "04:00"'),
                    {"value": value},
                )
            )
        return value
    if not isinstance(value, str) or not _CLOCK.fullmatch(value.strip()):
        raise ValueError(
            Said(
                N_('{shown} is not a time of day like "04:00" or "21:30"'), {"shown": _shown(value)}
            )
        )
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
        """How long a target may go unseen and still be one visit."""
        return pulse_for(self.poll_seconds)


class RuleSettings(_Section):
    """One [[sites]] or [[blocklist]] entry."""

    name: str = Field(min_length=1, max_length=80)
    match: tuple[str, ...] = ()
    apps: tuple[str, ...] = ()
    # For a site: where a person's pages live on it, such as "/{name}" and "/stories/{name}".
    profiles: tuple[str, ...] = ()

    def rule(self, kind: Kind) -> Rule:
        """The plain value the core matches with."""
        return Rule(kind, self.name, self.match, self.apps, self.profiles)

    @field_validator("name")
    @classmethod
    def _name_is_text(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError(Said(N_("the name is empty")))
        if any(unicodedata.category(char) == "Cc" for char in value):
            raise ValueError(
                Said(N_("the name {value!r} has a control character in it"), {"value": value})
            )
        return value

    @field_validator("match")
    @classmethod
    def _patterns_are_usable(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for index, pattern in enumerate(values):
            try:
                patterns.check(pattern)
            except patterns.PatternError as error:
                raise ValueError(
                    Said(
                        N_("pattern {value} ('{printable}'): {error}"),
                        {"value": index + 1, "printable": printable(pattern), "error": error},
                    )
                ) from None
        return values

    @field_validator("profiles")
    @classmethod
    def _profiles_are_paths(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for index, template in enumerate(values):
            holders = [part for part in template.split("/") if "{name}" in part]
            if not template.startswith("/") or len(holders) != 1 or template.count("{name}") != 1:
                raise ValueError(
                    Said(
                        N_(
                            "profile path {value} ('{printable}') must start with \"/\" and "
                            "hold {{name}} once"
                        ),
                        {"value": index + 1, "printable": printable(template)},
                    )
                )
        return values

    @field_validator("apps")
    @classmethod
    def _apps_are_names(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for index, app in enumerate(values):
            if not app.strip():
                raise ValueError(Said(N_("app {value} is empty"), {"value": index + 1}))
        return tuple(app.strip() for app in values)

    @model_validator(mode="after")
    def _matches_something(self) -> RuleSettings:
        if not self.match and not self.apps:
            raise ValueError(
                Said(
                    N_('"{name}" has no match patterns and no apps, so it can never match'),
                    {"name": self.name},
                )
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
    # The HTML report names blocklist entries "Person A", ...; the terminal keeps names.
    alias_blocklist: bool = True
    keep_days: int = Field(0, ge=0, le=36500)


class QuietHours(_Section):
    start: dt.time
    end: dt.time

    def span(self) -> ClockSpan:
        return ClockSpan(self.start, self.end)


class NudgeSettings(_Section):
    enabled: bool = True
    blocklist_after_seconds: float = Field(5, ge=0, le=3600)
    blocklist_repeat_minutes: float = Field(10, ge=0.05, le=1440)
    session_minutes: float = Field(20, ge=0.05, le=1440)
    daily_budget_minutes: float = Field(60, ge=0.05, le=1440)
    repeat_minutes: float = Field(30, ge=0.05, le=1440)
    min_gap_minutes: float = Field(5, ge=0, le=1440)
    quiet_hours: QuietHours | None = None
    # The hours when only night-time texts are chosen (rest, a slow breath, writing it down).
    night: QuietHours | None = QuietHours(start=dt.time(23, 0), end=dt.time(5, 0))
    # At most this many notifications in one night; 0 keeps the night silent.
    night_cap: int = Field(3, ge=0, le=50)
    # In quiet hours, still one gentle message a night when a blocklist page is open.
    quiet_hours_night_care: bool = True
    expire_seconds: float = Field(20, ge=1, le=3600)
    heeded_within_seconds: float = Field(120, ge=1, le=3600)

    def rules(self) -> NudgeRules:
        """The plain value the core's policy takes."""
        return values_of(self, values.NudgeSettings).rules()

    @field_validator("quiet_hours", "night", mode="before")
    @classmethod
    def _parse_hours(cls, value: Any) -> Any:
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
                    Said(
                        N_('{shown} is not "HH:MM-HH:MM", for example "23:00-07:00"'),
                        {"shown": _shown(value)},
                    )
                ) from None
        return value


class SupportSettings(_Section):
    line: str = Field("", max_length=160)
    country: str = ""  # two letters, e.g. "GB"; empty: from the locale

    @field_validator("country")
    @classmethod
    def _two_letters(cls, value: str) -> str:
        value = value.strip().upper()
        if value and not re.fullmatch(r"[A-Z]{2}", value):
            raise ValueError(
                Said(
                    N_('{shown} is not a two-letter country code such as "GB"'),
                    {"shown": _shown(value)},
                )
            )
        return "GB" if value == "UK" else value


class UiSettings(_Section):
    # "de", "es" or "en"; empty: from the locale (LC_ALL, LC_MESSAGES, LANG). A language nudger
    # does not speak yet falls back to English.
    language: str = Field("", max_length=35)
    # The status icon in the panel (watching, paused) with its small menu.
    status_icon: bool = True


class BrowserSettings(_Section):
    """The browser companion's pause before a page on the blocklist."""

    pause_seconds: float = Field(5, ge=0, le=60)  # 0 turns the pause off
    pause_again_minutes: float = Field(10, ge=0, le=1440)
    pause_sites: bool = False


# What a text is filled in with to check it: a long site name, and many minutes.
_SAMPLE_FILLING = {"site": "a site with a long name", "minutes": 999}
_RENDERED_LIMITS = {"title": 60, "body": 200}


class MessageSettings(_Section):
    """A nudge text of the user's own."""

    kind: MessageKind
    when: MessageTime = "any"
    title: str = Field(min_length=1, max_length=40)
    body: str = Field(min_length=1, max_length=160)

    @field_validator("title", "body")
    @classmethod
    def _known_placeholders(cls, text: str, info: ValidationInfo) -> str:
        try:
            unknown = placeholders_in(text) - PLACEHOLDERS
        except ValueError as error:  # a lone "{" or "}"
            raise ValueError(
                Said(N_("{error}; write {{{{ and }}}} for literal braces"), {"error": error})
            ) from None
        if unknown:
            raise ValueError(
                Said(
                    N_("unknown placeholder {{{sorted}}}; use {{site}} or {{minutes}}"),
                    {"sorted": sorted(unknown)[0]},
                )
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
            raise ValueError(
                Said(N_("a width of {max} cannot fit in a notification"), {"max": max(widths)})
            )
        try:
            shown = text.format_map(_SAMPLE_FILLING)
        except (ValueError, TypeError, OverflowError) as error:
            raise ValueError(Said(N_("cannot be filled in: {error}"), {"error": error})) from None
        limit = _RENDERED_LIMITS[str(info.field_name)]
        if len(shown) > limit:
            raise ValueError(
                Said(
                    N_("is {len} characters long once filled in; keep it under {limit}"),
                    {"len": len(shown), "limit": limit},
                )
            )
        return text


class MessagesSettings(_Section):
    """[messages]: whether the built-in texts are used, and the user's own ([[messages.own]]).

    `[[messages]]` entries, the older way to add texts, are read as `own`."""

    builtin: bool = True
    own: tuple[MessageSettings, ...] = ()

    def own_messages(self) -> tuple[Message, ...]:
        """The person's own texts as the core takes them, numbered user.1, user.2, ..."""
        return values_of(self, values.MessagesSettings).own_messages()

    @model_validator(mode="before")
    @classmethod
    def _list_means_own(cls, value: Any) -> Any:
        return {"own": value} if isinstance(value, list | tuple) else value

    @model_validator(mode="after")
    def _something_to_say(self) -> MessagesSettings:
        if not self.builtin and not self.own:
            raise ValueError(
                Said(
                    N_(
                        "builtin = false needs texts of your own ([[messages.own]]); without "
                        "them there is nothing to say"
                    )
                )
            )
        return self


class Settings(BaseModel):
    """Every setting. The loader (settings.py) layers the built-in file, the user's file and
    NUDGER_* variables into one of these; code that only reads settings needs only this."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    watch: WatchSettings = WatchSettings()
    catalogue: CatalogueSettings = CatalogueSettings()
    summary: SummarySettings = SummarySettings()
    privacy: PrivacySettings = PrivacySettings()
    nudges: NudgeSettings = NudgeSettings()
    support: SupportSettings = SupportSettings()
    browser: BrowserSettings = BrowserSettings()
    ui: UiSettings = UiSettings()
    sites: tuple[RuleSettings, ...] = ()
    blocklist: tuple[RuleSettings, ...] = ()
    messages: MessagesSettings = MessagesSettings()

    @field_validator("sites", "blocklist")
    @classmethod
    def _names_are_unique(cls, rules: tuple[RuleSettings, ...]) -> tuple[RuleSettings, ...]:
        seen: set[str] = set()
        for rule in rules:
            key = rule.name.casefold()
            if key in seen:
                raise ValueError(
                    Said(
                        N_('the name "{name}" is used twice; each entry needs its own name'),
                        {"name": rule.name},
                    )
                )
            seen.add(key)
        return rules
