"""nudger's small CLDR formatter writes every date and number as Babel does, so that Babel can
stay out of the install without a single date changing (tests/core/test_cldr_data.py checks
the data it reads is Babel's)."""

from __future__ import annotations

import ast
import datetime as dt
import tomllib
from pathlib import Path

import pytest
from babel.dates import format_date as babel_date
from babel.dates import format_skeleton
from babel.numbers import format_decimal as babel_decimal
from hypothesis import given
from hypothesis import strategies as st

from nudger.core.cldr import format_date, format_decimal
from nudger.core.cldr_data import LANGUAGES as CLDR
from nudger.shell.i18n import LANGUAGES, translator_for

ROOT = Path(__file__).resolve().parents[2]
SPOKEN = [language for language in LANGUAGES if language != "en"]
# Two years, a leap day among them: every month and weekday name, one- and two-digit days.
DAYS = [dt.date(2027, 1, 1) + dt.timedelta(days=n) for n in range(366 + 365)]


@pytest.mark.parametrize("language", SPOKEN)
def test_every_date_is_written_as_babel_writes_it(language: str) -> None:
    dates = translator_for(language).dates
    for day in DAYS:
        assert dates.long(day) == babel_date(day, "long", locale=language)
        assert dates.full(day) == babel_date(day, "full", locale=language)
        assert dates.short(day) == format_skeleton("dMMM", day, locale=language)
        assert dates.weekday(day) == babel_date(day, "EEE", locale=language)


def test_a_few_dates_read_as_the_languages_write_them() -> None:
    friday = dt.date(2026, 11, 27)
    assert translator_for("de").dates.full(friday) == "Freitag, 27. November 2026"
    assert translator_for("es").dates.full(friday) == "viernes, 27 de noviembre de 2026"
    assert translator_for("de").dates.short(friday) == "27. Nov."
    assert translator_for("es").dates.long(friday) == "27 de noviembre de 2026"


@pytest.mark.parametrize("language", SPOKEN)
@given(
    value=st.integers(min_value=-(10**15), max_value=10**15)
    | st.floats(min_value=-1e15, max_value=1e15)
    | st.sampled_from([float("nan"), float("inf"), float("-inf"), 0.0005, 0.0015, -0.0004])
)
def test_every_number_is_written_as_babel_writes_it(language: str, value: float) -> None:
    assert format_decimal(value, CLDR[language]) == babel_decimal(value, locale=language)


def test_the_quoted_parts_of_a_pattern_are_kept_as_text() -> None:
    day = dt.date(2026, 3, 5)
    assert format_date(day, "d 'de' MMMM ''yy", CLDR["es"]) == "5 de marzo '26"
    with pytest.raises(ValueError, match="not one nudger writes"):
        format_date(day, "d G", CLDR["es"])


def test_babel_is_no_part_of_the_install() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not [d for d in project["dependencies"] if d.lower().startswith("babel")]
    for path in (ROOT / "nudger").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not [n for n in names if n.split(".")[0] == "babel"], path
