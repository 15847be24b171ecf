"""The NUDGER_* environment layer of the settings, read by pydantic-settings' own source.

Apart from loader.py so that pydantic-settings is imported only when there is such a variable
to read (see loader._from_environment).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic_settings import BaseSettings, EnvSettingsSource, SettingsConfigDict

from nudger.settings.models import ENV_DELIMITER, ENV_PREFIX, Settings


class _EnvironmentSchema(Settings, BaseSettings):
    """The settings as pydantic-settings sees them: which NUDGER_* names each field has, and how
    nested names are split. Built once; only the environment source below reads it."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter=ENV_DELIMITER,
        extra="forbid",
        frozen=True,
    )


class _MappingEnvironment(EnvSettingsSource):
    """pydantic-settings' environment source, reading the mapping it is given (a test's, or the
    one `load` was handed) instead of os.environ. `env_vars` is the source's public attribute
    holding the variables it reads, keyed in lower case as the source looks them up."""

    def __init__(self, env: Mapping[str, str]) -> None:
        super().__init__(_EnvironmentSchema)
        self.env_vars = {key.lower(): value for key, value in env.items()}


def read_environment(environment: Mapping[str, str]) -> dict[str, Any]:
    """The settings the variables in `environment` give, nested as the TOML is."""
    return dict(_MappingEnvironment(environment)())
