"""Time zones: a named one from the settings, or the computer's own, never a traceback.

A zone name is looked up with zoneinfo; anything that is not one (a folder such as "Europe", a
name thousands of characters long, "../x") is a plain "unknown time zone". The computer's own
zone comes from tzlocal; when TZ holds a POSIX rule tzlocal cannot read ("UTC+14",
"<+0545>-5:45") or nonsense, the C library's reading of it is used instead (the offset the
computer's own clock shows), with one warning.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from zoneinfo import ZoneInfo

from nudger.core.printable import printable
from nudger.core.translate import N_, Said

log = logging.getLogger(__name__)

_LONGEST_NAME = 64  # the longest IANA name is about 32 characters


class UnknownZone(ValueError):
    """Raised with a Said: the reader's language is chosen where it is shown."""


def zone_named(name: str) -> dt.tzinfo:
    """The IANA zone `name` ("Europe/Berlin"); UnknownZone for anything else."""
    shown = printable(name[:_LONGEST_NAME]) + ("..." if len(name) > _LONGEST_NAME else "")
    unknown = Said(
        N_('unknown time zone "{shown}" (use a name like "Europe/Berlin")'), {"shown": shown}
    )
    if len(name) > _LONGEST_NAME:
        raise UnknownZone(unknown)
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # not found (a KeyError), not a normal name, a folder
        raise UnknownZone(unknown) from None


def local_zone() -> dt.tzinfo:
    """The computer's own zone, whatever TZ says."""
    import tzlocal  # noqa: PLC0415 - only needed when no zone is configured

    try:
        return tzlocal.get_localzone()
    except Exception as error:  # noqa: BLE001 - tzlocal raises whatever zoneinfo raised
        now = dt.datetime.now().astimezone()
        fallback = now.tzinfo or dt.UTC
        tz = os.environ.get("TZ", "")
        if tz not in _warned_about:  # once per process, however often the zone is asked for
            _warned_about.add(tz)
            log.warning(
                N_(
                    "cannot read the computer's time zone (TZ=%s: %s); "
                    "using its current offset, UTC%s"
                ),
                printable(tz[:_LONGEST_NAME]) + ("..." if len(tz) > _LONGEST_NAME else ""),
                type(error).__name__,
                now.strftime("%z") or "+0000",
            )
        return fallback


_warned_about: set[str] = set()
