"""Logging: a rotating private file in the platformdirs log dir, plus stderr.

The log speaks the person's language. Each message above debug level is marked with `N_()`
where it is logged, and put into words here, when a line is written, with the translator the
shell hands over (`configure`, then `speak` when the daemon chooses or changes the language):
so no code that logs needs a translator. Debug lines stay English, for developers. The level
and the logger's name stay English too, and the daemon's first line names the language: with
them a line in any language leads back to its code and its English in the catalogue.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from nudger.core.printable import printable
from nudger.core.translate import ENGLISH, N_, Translator, in_language
from nudger.paths import ensure_private_dir, ensure_private_file


class _OneLineFormatter(logging.Formatter):
    """Messages in the person's language, with control characters shown as escapes: a name or a
    title in a log line must not be able to rewrite the terminal that shows the log, or fake a
    second line."""

    def __init__(self, fmt: str, translator: Translator) -> None:
        super().__init__(fmt)
        self.translator = translator

    def format(self, record: logging.LogRecord) -> str:
        return super().format(_in_language(record, self.translator))

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = printable(record.message)
        return super().formatMessage(record)


def _in_language(record: logging.LogRecord, t: Translator) -> logging.LogRecord:
    """A copy of the record with its message and values in t's language (the record itself is
    shared by every handler, so it is left as it came)."""
    if record.levelno <= logging.DEBUG or not isinstance(record.msg, str):
        return record
    said = logging.makeLogRecord(record.__dict__)
    said.msg = t._(record.msg)
    if isinstance(record.args, tuple):
        said.args = tuple(in_language(value, t) for value in record.args)
    try:
        said.getMessage()
    except (TypeError, ValueError):
        return record  # a translation that does not fit its values: the English, not nothing
    return said


LOG_FILE_BYTES = 1_000_000
LOG_FILE_COUNT = 3
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_PLAIN = "nudger: %(message)s"


def configure(
    *,
    verbose: bool = False,
    log_dir: Path | None = None,
    quiet: bool = False,
    translator: Translator = ENGLISH,
) -> Path | None:
    """Set up logging for this process, in the translator's language. Returns the log file, if
    one is kept."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)

    stderr = logging.StreamHandler()
    stderr.setLevel(logging.DEBUG if verbose else (logging.WARNING if quiet else logging.INFO))
    stderr.setFormatter(_OneLineFormatter(_FORMAT if log_dir else _PLAIN, translator))
    root.addHandler(stderr)

    log_file: Path | None = None
    if log_dir is not None:
        try:
            ensure_private_dir(log_dir)
            log_file = ensure_private_file(log_dir / "nudger.log")
            # Rotated files are created by the handler; a strict umask keeps them 0600 too.
            os.umask(0o077)
            handler = logging.handlers.RotatingFileHandler(
                log_file, maxBytes=LOG_FILE_BYTES, backupCount=LOG_FILE_COUNT, encoding="utf-8"
            )
            handler.setFormatter(_OneLineFormatter(_FORMAT, translator))
            root.addHandler(handler)
        except OSError as error:
            logging.getLogger(__name__).warning(
                N_("cannot write a log file in %s: %s"), log_dir, error
            )
            log_file = None

    # Libraries that narrate every job run or font lookup; their warnings still come through.
    for noisy in ("apscheduler", "tzlocal"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    scheduler_log = logging.getLogger("apscheduler.scheduler")
    if _said_in_our_words not in scheduler_log.filters:
        scheduler_log.addFilter(_said_in_our_words)
    return log_file


def speak(translator: Translator) -> None:
    """From now on, the log lines in this translator's language (the daemon's choice, again
    after a reload)."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler.formatter, _OneLineFormatter):
            handler.formatter.translator = translator


def plain_stderr(translator: Translator) -> logging.Handler:
    """One plain line per warning on stderr, in the person's language: for the commands that
    keep no log (all but `nudger run`)."""
    handler = logging.StreamHandler()
    handler.setFormatter(_OneLineFormatter(_PLAIN, translator))
    return handler


def _said_in_our_words(record: logging.LogRecord) -> bool:
    """APScheduler's warning for a run skipped under load reads like a failure; the daemon says
    what it means instead (daemon._note_late_job)."""
    return "maximum number of running instances" not in str(record.msg)
