"""Reasons a setting is refused, said in the reader's language: pydantic's own common errors in
nudger's words, and "and N more problems". Apart from loader.py, which imports pydantic: a
ConfigError found in the child that validates the daemon's settings (shell/loading.py) is
handed back to the daemon with these inside, and the daemon does not import pydantic.
"""

from __future__ import annotations

from dataclasses import dataclass

from nudger.core.translate import Said, Translator


@dataclass(frozen=True, eq=False)
class PydanticReason(Said):
    """One of pydantic's common errors in nudger's words, filled with pydantic's context
    (numbers written the reader's way). English, or a filling that does not fit, keeps
    pydantic's own words."""

    english: str = ""

    def in_language(self, t: Translator) -> str:
        if t.language == "en":
            return self.english
        from nudger.core.cldr import format_decimal  # noqa: PLC0415 - only for a broken file
        from nudger.core.cldr_data import LANGUAGES  # noqa: PLC0415

        cldr = LANGUAGES.get(t.language)
        context = {
            key: format_decimal(value, cldr)
            if cldr is not None and isinstance(value, int | float) and not isinstance(value, bool)
            else value
            for key, value in self.values.items()
        }
        try:
            return t._(self.text).format(**context)
        except (KeyError, IndexError, ValueError):
            return self.english


@dataclass(frozen=True, eq=False)
class AndMore(Said):
    """A reason ("{reason}", filled like any Said), and how many more problems follow it,
    counted in the reader's language."""

    others: int = 0

    def in_language(self, t: Translator) -> str:
        return super().in_language(t) + t.ngettext(
            " (and {others} more problem after this one)",
            " (and {others} more problems after this one)",
            self.others,
        ).format(others=self.others)
