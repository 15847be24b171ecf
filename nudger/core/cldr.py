"""Dates, numbers and country names as a language writes them, from CLDR data generated at
build time (nudger/core/cldr_data.py, written by scripts/cldr.py with Babel, which nudger then
does not need at run time: Babel is a third of an install).

Only what nudger shows: a date pattern's day, month, year and weekday fields, and a plain
decimal number. tests/core/test_cldr.py keeps both equal to Babel's own output."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

# A CLDR date pattern's parts: 'quoted text' ('' is a quote), a run of one field letter, or
# any other character as itself.
_PART = re.compile(r"'(?:[^']|'')*'|''|([A-Za-z])\1*|.", re.DOTALL)


@dataclass(frozen=True)
class CldrLanguage:
    """One language's share of CLDR that nudger uses (generated; see scripts/cldr.py)."""

    date_long: str  # "d. MMMM y"
    date_full: str  # "EEEE, d. MMMM y"
    date_short: str  # the day and the short month: "d. MMM"
    months_wide: tuple[str, ...]  # January first
    months_abbreviated: tuple[str, ...]
    days_wide: tuple[str, ...]  # Monday first, as date.weekday() counts
    days_abbreviated: tuple[str, ...]
    decimal: str
    group: str
    minus: str
    infinity: str
    nan: str
    territories: dict[str, str]  # "DE" -> "Deutschland"


def format_date(day: dt.date, pattern: str, language: CldrLanguage) -> str:
    """`day` written by a CLDR pattern, as Babel's format_date writes it."""
    written = []
    for match in _PART.finditer(pattern):
        part = match.group(0)
        if part == "''":
            written.append("'")
        elif part.startswith("'"):
            written.append(part[1:-1].replace("''", "'"))
        elif match.group(1):
            written.append(_field(day, part[0], len(part), language))
        else:
            written.append(part)
    return "".join(written)


def _field(day: dt.date, letter: str, width: int, language: CldrLanguage) -> str:
    if letter == "d":
        return f"{day.day:0{width}d}"
    if letter in "ML":
        if width >= 4:
            return language.months_wide[day.month - 1]
        if width == 3:
            return language.months_abbreviated[day.month - 1]
        return f"{day.month:0{width}d}"
    if letter == "y":
        return f"{day.year % 100:02d}" if width == 2 else f"{day.year:0{width}d}"
    if letter == "E":
        names = language.days_wide if width >= 4 else language.days_abbreviated
        return names[day.weekday()]
    raise ValueError(f"date field {letter * width!r} is not one nudger writes")


def format_decimal(value: float, language: CldrLanguage) -> str:
    """A number as Babel's format_decimal writes it with the standard pattern #,##0.###:
    grouped by thousands, at most three decimals, rounded half to even."""
    if isinstance(value, float) and math.isinf(value):
        return (language.minus if value < 0 else "") + language.infinity
    if isinstance(value, float) and math.isnan(value):
        return language.nan
    number = Decimal(str(value)).quantize(Decimal("0.001"), rounding=ROUND_HALF_EVEN)
    # Babel keeps the sign of a number that rounds to zero: -0.0004 is "-0".
    sign = language.minus if number.is_signed() else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    fraction = fraction.rstrip("0")
    groups: list[str] = []
    while len(whole) > 3:
        whole, tail = whole[:-3], whole[-3:]
        groups.insert(0, tail)
    grouped = language.group.join([whole, *groups])
    return sign + grouped + (language.decimal + fraction if fraction else "")
