"""Loading the settings: the built-in defaults < the user's TOML < NUDGER_* environment variables.

The models themselves (what each setting is and may be) live in models.py.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import tomllib
from collections.abc import Mapping
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from pydantic import (
    ValidationError,
)

from nudger.core.translate import N_, Said
from nudger.errors import ConfigError, said_of
from nudger.paths import NotARegularFile, builtin_config, read_regular_file, user_config_file
from nudger.settings import values
from nudger.settings.locations import format_location
from nudger.settings.models import ENV_DELIMITER, ENV_PREFIX, Settings
from nudger.settings.reasons import AndMore, PydanticReason
from nudger.settings.toml_words import toml_reason
from nudger.settings.values import LoadedConfig, values_of


def load(user_file: Path | None = None, env: Mapping[str, str] | None = None) -> LoadedConfig:
    """Read the built-in defaults, the user's TOML and NUDGER_* variables; raise ConfigError."""
    env = os.environ if env is None else env
    user_file = user_config_file(env) if user_file is None else user_file
    exists = user_file.exists() or user_file.is_symlink()  # a dangling link is said, not skipped
    raw = _read_file(user_file, str(user_file)) if exists else None
    user = _parse_toml(raw, str(user_file)) if raw is not None else {}
    loaded = load_from(user, user_file, env, file_exists=exists)
    return dataclasses.replace(loaded, user_text=raw)


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
    try:
        # pydantic-settings' own layering takes its sources from a class method, so layers that
        # differ per load (a given mapping instead of os.environ, an edit not yet written) would
        # need a new class on every load. Instead its environment source is called on its own
        # and the three layers are merged here, highest last, as BaseSettings merges them.
        from_env = _from_environment(environment)
        model = Settings.model_validate(_merged(_merged(defaults, user), from_env))
    except ValidationError as error:
        raise _explain(error, user, user_file, str(defaults_file), environment) from None
    except ValueError as error:  # pydantic-settings raises this for an env value that is not JSON
        raise ConfigError(Said(N_("the environment")), "NUDGER_*", str(error)) from None
    settings = values_of(model, values.Settings)
    _check_patterns_compile(settings, user, user_file)
    return LoadedConfig(settings, user_file, tuple(files_read), env_keys, user, str(defaults_file))


def _from_environment(environment: Mapping[str, str]) -> dict[str, Any]:
    """The NUDGER_* layer, read by pydantic-settings' environment source.

    Imported only when the environment holds such a variable (as pydantic-settings reads them:
    in any case): with none, its source finds nothing, and the daemon need not carry its 5 MB
    (with what it imports) for the whole of its run."""
    if not any(_is_setting_variable(key.upper()) for key in environment):
        return {}
    from nudger.settings.environment import read_environment  # noqa: PLC0415  # see above

    return read_environment(environment)


def _check_patterns_compile(
    settings: values.Settings, user: Mapping[str, Any], user_file: Path
) -> None:
    """Compile the patterns exactly as the daemon will (one RE2 set per kind, same memory
    budget), so that what loads here can never stop the daemon from starting."""
    from nudger.core.matching import Matcher, TooBig  # noqa: PLC0415
    from nudger.settings.catalogue import all_rules, check_builtin_sites  # noqa: PLC0415

    check_builtin_sites()

    try:
        Matcher(all_rules(settings), settings.watch.browsers)
    except TooBig as error:
        section = "blocklist" if error.kind == "blocklist" else "sites"
        entries = getattr(settings, section)
        index = next((i for i, e in enumerate(entries) if e.name == error.rule), None)
        if index is None:
            raise ConfigError(str(user_file), section, said_of(error)) from None
        where = format_location((section, index, "match"), user)
        number = entries[index].match.index(error.pattern) + 1
        raise ConfigError(
            str(user_file),
            where,
            Said(N_("pattern {number} {error}"), {"number": number, "error": error}),
        ) from None


def _merged(lower: Mapping[str, Any], higher: Mapping[str, Any]) -> dict[str, Any]:
    """`higher` laid over `lower`: tables merge key by key, anything else is replaced whole."""
    result = dict(lower)
    for key, value in higher.items():
        below = result.get(key)
        if isinstance(below, Mapping) and isinstance(value, Mapping):
            result[key] = _merged(below, value)
        else:
            result[key] = value
    return result


def _is_setting_variable(key: str) -> bool:
    return key.startswith(ENV_PREFIX) and key not in {"NUDGER_CONFIG", "NUDGER_DATA_DIR"}


def _read_toml(source: Path | Traversable, label: str) -> dict[str, Any]:
    return _parse_toml(_read_file(source, label), label)


def _read_file(source: Path | Traversable, label: str) -> bytes:
    """A settings file's bytes, read safely: a FIFO or a device in its place is refused at once
    (never waited on)."""
    try:
        return read_regular_file(source) if isinstance(source, Path) else source.read_bytes()
    except NotARegularFile as error:
        raise ConfigError(
            label, "(file)", Said(N_("cannot be read: {error}"), {"error": error})
        ) from None
    except OSError as error:
        raise ConfigError(
            label,
            "(file)",
            Said(N_("cannot be read: {value}"), {"value": error.strerror or str(error)}),
        ) from None


def _parse_toml(raw: bytes, label: str) -> dict[str, Any]:
    """TOML, with a UTF-8 byte-order mark accepted, and nesting too deep for the parser an
    error like any other."""
    try:
        return tomllib.loads(raw.decode("utf-8-sig"))
    except tomllib.TOMLDecodeError as error:
        reason = str(error)
        where = Said(N_("TOML syntax"))
        # tomllib's words are English: the place and the reason are said in the person's.
        place = re.search(r" \(at (?:line (\d+), column (\d+)|end of document)\)$", reason)
        if place:
            reason = reason[: place.start()]
            where = (
                Said(N_("line {line}, column {column}"), {"line": place[1], "column": place[2]})
                if place[1]
                else Said(N_("the end of the file"))
            )
        raise ConfigError(
            label,
            where,
            Said(N_("this is not valid TOML: {reason}"), {"reason": toml_reason(reason)}),
        ) from None
    except UnicodeDecodeError as error:
        raise ConfigError(
            label,
            Said(N_("byte {number}"), {"number": error.start}),
            Said(N_("this is not UTF-8 text")),
        ) from None
    except RecursionError:
        raise ConfigError(
            label, Said(N_("TOML syntax")), Said(N_("it is nested too deeply to be settings"))
        ) from None


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
    if loc[:2] == ("messages", "own") and isinstance(user.get("messages"), list):
        loc = ("messages", *loc[2:])  # the file says [[messages]]: name the field its way
    field = format_location(loc, user)
    reason = _pydantic_reason(first)
    if first["type"] == "extra_forbidden":
        reason = Said(N_("is not a setting nudger knows (check the spelling)"))
        close = difflib.get_close_matches(str(loc[-1]), _known_keys(loc[:-1]), n=1)
        if close:
            reason = Said(
                N_("is not a setting nudger knows; did you mean {close!r}?"), {"close": close[0]}
            )
    # One line keeps the message readable; the count saves a surprise after fixing this one.
    others = error.error_count() - 1
    if others:
        reason = AndMore("{reason}", {"reason": reason}, others=others)
    candidates = (
        ENV_PREFIX + ENV_DELIMITER.join(str(part).upper() for part in loc[:2]),
        ENV_PREFIX + str(loc[0]).upper() if loc else "",
    )
    from_env = next((name for name in candidates if name in env), None)
    label: str | Said
    if from_env:
        label = Said(N_("environment variable {name}"), {"name": from_env})
    elif loc and loc[0] in user:
        label = str(user_file)
    else:
        label = defaults_label
    return ConfigError(label, field, reason)


# pydantic words its own errors in English; in another language, the common ones are said in it.
_PYDANTIC_REASONS = {
    "greater_than_equal": N_("should be at least {ge}"),
    "greater_than": N_("should be more than {gt}"),
    "less_than_equal": N_("should be at most {le}"),
    "less_than": N_("should be less than {lt}"),
    "float_parsing": N_("should be a number"),
    "float_type": N_("should be a number"),
    "int_parsing": N_("should be a whole number"),
    "int_type": N_("should be a whole number"),
    "bool_parsing": N_("should be true or false"),
    "bool_type": N_("should be true or false"),
    "string_type": N_("should be text in quotes"),
    "string_too_long": N_("should have at most {max_length} characters"),
    "string_too_short": N_("should have at least {min_length} characters"),
    "literal_error": N_("should be one of {expected}"),
    "missing": N_("is missing"),
    "tuple_type": N_('should be a list, such as ["a", "b"]'),
    "list_type": N_('should be a list, such as ["a", "b"]'),
    "dict_type": N_("should be a table of settings"),
    "model_type": N_("should be a table of settings"),
}


def _pydantic_reason(first: Mapping[str, Any]) -> str | Said:
    """What a validator said (a ValueError carrying a Said), or pydantic's own words."""
    english = str(first["msg"]).removeprefix("Value error, ")
    context = first.get("ctx") or {}
    error = context.get("error")  # what a validator raised: ValueError(Said(...)), say
    said = getattr(error, "said", None)
    if said is None and isinstance(error, BaseException) and error.args:
        said = error.args[0]
    if isinstance(said, Said):
        return said
    template = _PYDANTIC_REASONS.get(str(first["type"]))
    return english if template is None else PydanticReason(template, context, english=english)


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
