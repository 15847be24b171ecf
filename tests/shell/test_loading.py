"""The daemon's settings are validated in a child process (shell/loading.py): the child's answer
is the same as a load here, a refusal keeps its words in every language, a promise's step
reaches the daemon's Keeper, and a child that cannot run costs memory, never the settings."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from nudger.core import promise as rule
from nudger.errors import ConfigError
from nudger.settings import loader
from nudger.settings.values import settings_data
from nudger.shell import loading
from nudger.shell.i18n import translator_for
from nudger.shell.loading import Ask, load_apart
from nudger.shell.promise import Keeper

ALEX = '[[blocklist]]\nname = "Alex"\nmatch = ["Alex Doe", "instagram.com/alexdoe"]\n'


def _ask(config: Path, tmp_path: Path, **what: object) -> Ask:
    return Ask(config, tmp_path / "data", time.time(), **what)  # type: ignore[arg-type]


def test_the_child_answers_what_a_load_here_gives(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(ALEX + "[watch]\npoll_seconds = 2\n", encoding="utf-8")
    answer = load_apart(_ask(config, tmp_path, remember=True))
    assert answer.problem is None and answer.config is not None
    here = loader.load(config)
    assert answer.config.settings == here.settings
    assert answer.config.files_read == here.files_read
    assert answer.config.settings.blocklist[0].name == "Alex"
    # remember=True: the last good copy was kept by the child
    assert (tmp_path / ".config.toml.last-good").read_text(encoding="utf-8") == config.read_text()


@pytest.mark.parametrize(
    ("text", "german"),
    [
        ("[watch]\npoll_seconds = 0.01\n", "mindestens"),
        # A refusal whose reason carries an error of its own class (RE2's pattern too big).
        ('[[blocklist]]\nname = "P"\nmatch = ["re:\\\\pL{150}"]\n', "RE2"),
    ],
)
def test_a_refusal_crosses_in_its_own_words(tmp_path: Path, text: str, german: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    answer = load_apart(_ask(config, tmp_path))
    assert answer.config is None and isinstance(answer.problem, ConfigError)
    with pytest.raises(ConfigError) as here:
        loader.load(config)
    assert str(answer.problem) == str(here.value)
    in_german = answer.problem.in_language(translator_for("de"))
    assert in_german == here.value.in_language(translator_for("de"))
    assert german in in_german and in_german != str(answer.problem)


def test_a_promise_step_in_the_child_reaches_the_daemons_keeper(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(ALEX, encoding="utf-8")
    data_dir = tmp_path / "data"
    keeper = Keeper(config, data_dir)
    start = time.time() - 7200
    keeper.write(rule.begin(settings_data(loader.load(config).settings), start, 86400, 3600))
    config.write_text("", encoding="utf-8")  # Alex removed: a loosening that waits an hour
    asked = keeper.read()
    assert asked is not None
    keeper.write(rule.step(asked, settings_data(loader.load(config).settings), start + 10).promise)
    answer = load_apart(Ask(config, data_dir, time.time()))
    assert answer.config is not None and answer.config.settings.blocklist == ()
    keeper.adopt(answer.looked)
    assert len(keeper.take_applied()) == 1, "the loosening that took effect, told once"
    assert not keeper.needs_look(time.time()), "the state the child wrote is known"


def test_a_child_that_cannot_run_costs_memory_not_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(ALEX, encoding="utf-8")
    monkeypatch.setattr(loading.sys, "executable", str(tmp_path / "no-python"))
    with caplog.at_level(logging.WARNING, logger="nudger.shell.loading"):
        answer = load_apart(_ask(config, tmp_path))
    assert answer.config is not None
    assert answer.config.settings == loader.load(config).settings
    assert "could not be checked apart" in caplog.text
