"""Errors a user can act on. Each names where the problem is, what it is, and why."""

from __future__ import annotations


class NudgerError(Exception):
    """An error with a message meant for the user; the CLI prints it without a traceback."""

    exit_code = 1


class ConfigError(NudgerError):
    """A setting that cannot be used: names the file (or variable), the field and the reason."""

    exit_code = 2

    def __init__(self, source: str, field: str, reason: str) -> None:
        self.source = source
        self.field = field
        self.reason = reason
        super().__init__(f"{source}: {field}: {reason}")


class UsageError(NudgerError):
    """A command given something it cannot use (a duration, a time): like argparse's errors."""

    exit_code = 2
