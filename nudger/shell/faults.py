"""Logging faults once, not once a second.

A missing display or a locked database would otherwise fill the log with the same line every
sample. The first occurrence is a warning, repeats go to debug, and recovery is said once.
Each fault is a Said: the log and `nudger status` put it into the person's words when shown.
"""

from __future__ import annotations

import logging

from nudger.core.translate import Said


class FaultLog:
    def __init__(self, logger: logging.Logger) -> None:
        self._log = logger
        self._active: dict[str, Said] = {}

    def fault(self, key: str, message: Said) -> None:
        if key in self._active:
            self._log.debug("%s (still)", message)
        else:
            self._log.warning("%s", message)
        self._active[key] = message

    def recovered(self, key: str, message: Said) -> None:
        if self._active.pop(key, None) is not None:
            self._log.info("%s", message)

    def messages(self) -> list[Said]:
        return list(self._active.values())
