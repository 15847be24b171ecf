"""The plain settings values the daemon holds (settings/values.py) keep the models' shape and
say what the validated models say, method for method."""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
from pathlib import Path

import pytest
from pydantic import BaseModel, TypeAdapter

from nudger.paths import builtin_config
from nudger.settings import models, values
from nudger.settings.catalogue import _entries, builtin_sites
from nudger.settings.loader import load

RICH = """
[watch]
browsers = ["vivaldi"]
poll_seconds = 0.5
[summary]
time = ""
day_starts_at = "05:30"
[nudges]
quiet_hours = "22:15-06:45"
night = ""
[[blocklist]]
name = "Alex"
match = ["Alex Doe", "instagram.com/alexdoe"]
apps = ["signal"]
[[sites]]
name = "Forum"
match = ["forum.example"]
profiles = ["/u/{name}"]
[[messages.own]]
kind = "reach_out"
title = "A breath"
body = "Maybe a walk round the block?"
"""

SHAPES = [
    cls
    for cls in vars(models).values()
    if isinstance(cls, type) and issubclass(cls, BaseModel) and hasattr(values, cls.__name__)
]


def test_every_model_has_its_plain_values_field_for_field() -> None:
    assert len(SHAPES) == 13
    for model in SHAPES:
        plain = getattr(values, model.__name__)
        assert [f.name for f in dataclasses.fields(plain)] == list(model.model_fields), model


@pytest.mark.parametrize("text", ["", RICH])
def test_the_values_say_what_the_validated_model_says(tmp_path: Path, text: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    plain = load(config, env={}).settings
    model = models.Settings.model_validate(
        {**_toml(builtin_config("nudger.toml").read_text()), **_toml(text)}
    )
    assert values.settings_data(plain) == model.model_dump(mode="json")
    assert plain.nudges.rules() == model.nudges.rules()
    assert plain.messages.own_messages() == model.messages.own_messages()
    assert plain.watch.pulse_seconds == model.watch.pulse_seconds
    assert [r.rule("blocklist") for r in plain.blocklist] == [
        r.rule("blocklist") for r in model.blocklist
    ]
    if text:
        assert plain.summary.time is None and plain.summary.day_starts_at == dt.time(5, 30)
        assert plain.nudges.quiet_hours == values.QuietHours(dt.time(22, 15), dt.time(6, 45))
        assert plain.sites[0].profiles == ("/u/{name}",)


def test_the_catalogue_reads_the_same_without_pydantic() -> None:
    checked = TypeAdapter(tuple[models.RuleSettings, ...]).validate_python(_entries()[1])
    assert builtin_sites() == tuple(values.values_of(e, values.RuleSettings) for e in checked)
    assert len(builtin_sites()) > 10


def test_the_values_cannot_be_changed() -> None:
    settings = load(Path("/nonexistent/config.toml"), env={}).settings
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.watch.poll_seconds = 0.01  # type: ignore[misc]


def _toml(text: str) -> dict[str, object]:
    return tomllib.loads(text)
