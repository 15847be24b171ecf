"""Errors a user can act on. Each names where the problem is, what it is, and why.

Raised before anyone knows who will read them, they carry what they say as a `Said` (the
English marked for the catalogue, and its fillings): `str()` is the English, for the log, and
`in_language(translator)` is what the person is shown.
"""

from __future__ import annotations

from nudger.core.translate import Said, Translator


class Saying(Exception):
    """An exception whose message is a Said (or, from below, a plain text)."""

    def __init__(self, message: str | Said = "") -> None:
        super().__init__(str(message))
        self.said = message if isinstance(message, Said) else None

    def in_language(self, t: Translator) -> str:
        return self.said.in_language(t) if self.said is not None else str(self)

    def __reduce__(self) -> tuple[object, ...]:
        # Whole, Said and all, across a process (the daemon's settings are checked in a child):
        # the default would call the class again with str() alone.
        return (_rebuilt, (type(self), self.args, self.__dict__))


def _rebuilt(kind: type[Saying], args: tuple[object, ...], state: dict[str, object]) -> Saying:
    error = kind.__new__(kind)
    error.args = args
    error.__dict__.update(state)
    return error


def said_of(error: BaseException) -> str | Said:
    """What an error says, kept as a Said where it has one, to be raised again further up."""
    said = getattr(error, "said", None)
    return said if isinstance(said, Said) else str(error)


class NudgerError(Saying):
    """An error with a message meant for the user; the CLI prints it without a traceback."""

    exit_code = 1


class ConfigError(NudgerError):
    """A setting that cannot be used: names the file (or variable), the field and the reason."""

    exit_code = 2

    def __init__(self, source: str | Said, field: str | Said, reason: str | Said) -> None:
        self.source = source
        self.field = field
        self.reason = reason
        # The file as it is named; the field and reason in the words they were said in. The
        # joining is no sentence of its own, so it has no catalogue entry.
        values = {"source": source, "field": field, "reason": reason}
        super().__init__(Said("{source}: {field}: {reason}", values))


class UsageError(NudgerError):
    """A command given something it cannot use (a duration, a time): like argparse's errors."""

    exit_code = 2
