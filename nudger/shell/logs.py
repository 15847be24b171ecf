"""Logging: a rotating private file in the platformdirs log dir, plus stderr."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from nudger.core.printable import printable
from nudger.paths import ensure_private_dir, ensure_private_file


class _OneLineFormatter(logging.Formatter):
    """Messages with control characters shown as escapes: a name or a title in a log line must
    not be able to rewrite the terminal that shows the log, or fake a second line."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = printable(record.message)
        return super().formatMessage(record)


LOG_FILE_BYTES = 1_000_000
LOG_FILE_COUNT = 3
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure(
    *, verbose: bool = False, log_dir: Path | None = None, quiet: bool = False
) -> Path | None:
    """Set up logging for this process. Returns the log file, if one is kept."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)

    stderr = logging.StreamHandler()
    stderr.setLevel(logging.DEBUG if verbose else (logging.WARNING if quiet else logging.INFO))
    stderr.setFormatter(_OneLineFormatter(_FORMAT if log_dir else "nudger: %(message)s"))
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
            handler.setFormatter(_OneLineFormatter(_FORMAT))
            root.addHandler(handler)
        except OSError as error:
            logging.getLogger(__name__).warning("cannot write a log file in %s: %s", log_dir, error)
            log_file = None

    # Libraries that narrate every job run or font lookup; their warnings still come through.
    for noisy in ("apscheduler", "tzlocal"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    scheduler_log = logging.getLogger("apscheduler.scheduler")
    if _said_in_our_words not in scheduler_log.filters:
        scheduler_log.addFilter(_said_in_our_words)
    return log_file


def _said_in_our_words(record: logging.LogRecord) -> bool:
    """APScheduler's warning for a run skipped under load reads like a failure; the daemon says
    what it means instead (daemon._note_late_job)."""
    return "maximum number of running instances" not in str(record.msg)
