"""The promise's keeper: what waited is carried out when due, the state and its last good copy
stay private, and a promise that is over leaves the file's settings in force."""

from __future__ import annotations

import stat
from pathlib import Path

from nudger.core import promise as rule
from nudger.settings import last_good, loader
from nudger.settings.values import settings_data
from nudger.shell.pause import PauseFile
from nudger.shell.promise import Keeper, state_path

ALEX = '[[blocklist]]\nname = "Alex"\nmatch = ["Alex Doe"]\n'
START = 2_000_000.0


def made(tmp_path: Path) -> tuple[Path, Keeper]:
    config = tmp_path / "config.toml"
    config.write_text(ALEX, encoding="utf-8")
    keeper = Keeper(config, tmp_path / "data")
    data = settings_data(loader.load(config).settings)
    keeper.write(rule.begin(data, START, length=86400, cool_off=3600))
    return config, keeper


def test_a_waiting_pause_starts_when_its_cool_off_has_passed(tmp_path: Path) -> None:
    config, keeper = made(tmp_path)
    promise = keeper.read()
    assert promise is not None
    keeper.write(rule.ask(promise, "pause", START + 10, seconds=1800))
    pauses = PauseFile(tmp_path / "data")
    keeper.keep(loader.load(config), START + 3609)
    assert pauses.current(START + 3609) is None
    keeper.keep(loader.load(config), START + 3610)
    pause = pauses.current(START + 3610)
    assert pause is not None and pause.until == START + 3610 + 1800


def test_state_and_copy_are_private_and_the_copy_holds_the_settings_in_force(
    tmp_path: Path,
) -> None:
    config, keeper = made(tmp_path)
    config.write_text("", encoding="utf-8")
    loaded = loader.load(config)
    last_good.remember(loaded)  # a command that loads the file does this: it must not win
    assert [e.name for e in keeper.keep(loaded, START + 5).settings.blocklist] == ["Alex"]
    for path in (state_path(config), last_good.copy_path(config)):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    copy = last_good.load_instead(config, {})
    assert [entry.name for entry in copy.settings.blocklist] == ["Alex"]


def test_when_the_promise_is_over_the_file_is_in_force_and_the_state_gone(
    tmp_path: Path,
) -> None:
    config, keeper = made(tmp_path)
    config.write_text("", encoding="utf-8")
    assert keeper.keep(loader.load(config), START + 86399).settings.blocklist
    assert keeper.keep(loader.load(config), START + 86400).settings.blocklist == ()
    assert not state_path(config).exists() and not keeper.exists()


def test_each_loosening_that_takes_effect_is_handed_once_to_the_guard(tmp_path: Path) -> None:
    """A removal that waited out its cool-off, and a pause asked for, are each told once; a
    promise that runs its course is no loosening."""
    config, keeper = made(tmp_path)
    config.write_text("", encoding="utf-8")  # Alex's entry removed: a loosening that waits
    keeper.keep(loader.load(config), START + 10)
    assert keeper.take_applied() == []
    keeper.keep(loader.load(config), START + 3000)
    assert keeper.take_applied() == []
    keeper.keep(loader.load(config), START + 3610)
    assert keeper.take_applied() == [START + 3610]
    assert keeper.take_applied() == []
    promise = keeper.read()
    assert promise is not None
    keeper.write(rule.ask(promise, "pause", START + 4000, seconds=600))
    keeper.keep(loader.load(config), START + 4000 + 3600)
    assert keeper.take_applied() == [START + 7600]
    keeper.keep(loader.load(config), START + 86400)  # over by its own time
    assert keeper.take_applied() == []
