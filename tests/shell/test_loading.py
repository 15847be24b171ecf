"""The daemon's settings are validated in a child process (shell/loading.py): the child's answer
is the same as a load here, a refusal keeps its words in every language, a promise's step
reaches the daemon's Keeper, and a child that cannot run costs memory, never the settings."""

from __future__ import annotations

import logging
import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nudger.core import promise as rule
from nudger.core.matching import TooBig
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


def test_a_child_may_be_stopped_though_the_daemon_blocks_its_signals() -> None:
    """The daemon blocks SIGTERM, SIGINT and SIGHUP for its own inbox, and a child inherits the
    mask: the child's first line unblocks them (a stuck child must stop on SIGTERM)."""
    shown = "print(next(l for l in open('/proc/self/status') if l.startswith('SigBlk')))"
    prefix = loading._CHILD.format(path="/nonexistent").split("from nudger")[0]
    parent = (
        "import signal, subprocess, sys\n"
        "signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT, signal.SIGHUP})\n"
        "for code in sys.argv[1:]:\n"
        "    subprocess.run([sys.executable, '-c', code], check=True)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", parent, shown, prefix + shown],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    plain, ours = (int(line.split()[1], 16) for line in done.stdout.split("\n") if line)
    assert plain != 0, "a child inherits the blocked signals"
    assert ours == 0, "the settings child unblocks them"


def test_what_the_child_logs_crosses_and_reads_the_same_here(
    caplog: pytest.LogCaptureFixture,
) -> None:
    child_log = logging.getLogger("nudger.test.child")
    with loading._kept_records() as records:
        child_log.warning("pattern %s of %s", 2, TooBig("blocklist", "Alex", "x" * 9, 1))
        child_log.info("as a table: %(what)s", {"what": "words"})
        try:
            raise ValueError("50% broken")
        except ValueError:
            child_log.exception("it failed")
    crossed = pickle.loads(pickle.dumps(tuple(records)))  # noqa: S301 - as the daemon reads it
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="nudger.test.child"):
        for level, name, message, args in crossed:
            logging.getLogger(name).log(level, message, *args)
    said = [record.getMessage() for record in caplog.records]
    assert said[0].startswith("pattern 2 of ")
    assert said[1] == "as a table: words"
    assert said[2].startswith("it failed\nTraceback") and "50% broken" in said[2]
