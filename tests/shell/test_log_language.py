"""The log in the person's language (issue 26): a message marked with N_() and its Said values
are put into words when the line is written, with the translator the shell handed over; debug
lines stay English; a translation that does not fit its values leaves the English."""

from __future__ import annotations

import gettext
import io
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from nudger.core.translate import ENGLISH, N_, Said, Translator
from nudger.shell import i18n, logs
from nudger.store import StoreError

LOCKED = StoreError(Said(N_("{path} stayed locked by another program"), {"path": "nudger.db"}))


@pytest.fixture
def written() -> Iterator[tuple[logging.Logger, io.StringIO, logging.Handler]]:
    logger = logging.getLogger("test.log_language")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    stream = io.StringIO()
    handler = logs.plain_stderr(i18n.translator_for("de"))
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(stream)
    logger.addHandler(handler)
    try:
        yield logger, stream, handler
    finally:
        logger.removeHandler(handler)


def test_a_marked_message_and_its_said_values_are_in_the_language(
    written: tuple[logging.Logger, io.StringIO, logging.Handler],
) -> None:
    logger, stream, _handler = written
    logger.info(N_("nudges snoozed for an hour"))
    logger.warning("%s", Said(N_("cannot record a nudge: {error}"), {"error": LOCKED}))
    logger.error(N_("the new config is not used: %s; keeping the last good one"), LOCKED)
    logger.info(N_("deleted %d visits older than %d days (privacy.keep_days)"), 3, 30)
    assert stream.getvalue().splitlines() == [
        "nudger: Hinweise schlummern eine Stunde lang",
        "nudger: ein Hinweis lässt sich nicht speichern: "
        "nudger.db blieb von einem anderen Programm gesperrt",
        "nudger: die neuen Einstellungen werden nicht verwendet: nudger.db blieb von einem "
        "anderen Programm gesperrt; die letzten guten gelten weiter",
        "nudger: 3 Besuche gelöscht, die älter als 30 Tage waren (privacy.keep_days)",
    ]


def test_debug_stays_english_and_the_record_is_left_as_it_came(
    written: tuple[logging.Logger, io.StringIO, logging.Handler],
) -> None:
    logger, stream, _handler = written
    seen: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record)

    keep = Keep()
    logger.addHandler(keep)
    try:
        logger.debug(N_("nudges snoozed for an hour"))
        logger.info(N_("nudges snoozed for an hour"))
    finally:
        logger.removeHandler(keep)
    assert stream.getvalue().splitlines() == [
        "nudger: nudges snoozed for an hour",
        "nudger: Hinweise schlummern eine Stunde lang",
    ]
    # Another handler of the same record still gets the English it was logged with.
    assert [record.getMessage() for record in seen] == ["nudges snoozed for an hour"] * 2


def test_a_translation_that_does_not_fit_its_values_leaves_the_english(
    written: tuple[logging.Logger, io.StringIO, logging.Handler],
) -> None:
    class Misfit(gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            return "%s und %s und %d"

    logger, stream, handler = written
    assert isinstance(handler.formatter, logging.Formatter)
    handler.setFormatter(type(handler.formatter)("nudger: %(message)s", Translator(Misfit(), "xx")))
    logger.warning(N_("cannot note the first run in the database: %s"), "locked")
    assert stream.getvalue() == "nudger: cannot note the first run in the database: locked\n"


def test_the_daemon_hands_the_log_a_new_language(tmp_path: Path) -> None:
    """`speak` changes the language of the log set up by `configure` (a reload, say)."""
    root = logging.getLogger()
    before = list(root.handlers), root.level
    umask = os.umask(0o022)  # configure() makes it strict for the process: put back after
    os.umask(umask)
    try:
        log_file = logs.configure(log_dir=tmp_path, quiet=True, translator=ENGLISH)
        assert log_file is not None
        logging.getLogger("test_log_speak").info(N_("nudges snoozed for an hour"))
        logs.speak(i18n.translator_for("es"))
        logging.getLogger("test_log_speak").info(N_("nudges snoozed for an hour"))
        for handler in root.handlers:
            handler.flush()
        lines = log_file.read_text(encoding="utf-8").splitlines()
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
            handler.close()
        for handler in before[0]:
            root.addHandler(handler)
        root.setLevel(before[1])
        os.umask(umask)
    assert lines[0].endswith("test_log_speak: nudges snoozed for an hour")
    assert lines[1].endswith("test_log_speak: avisos pospuestos una hora")
