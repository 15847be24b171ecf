"""Write nudger/core/cldr_data.py: the CLDR data nudger shows (date patterns, month and day
names, number symbols, country names) for each language it speaks, taken from Babel, so that
Babel is a development tool and not part of the install.

    .venv/bin/python scripts/cldr.py        # after adding a language or upgrading Babel

tests/core/test_cldr.py checks the written file still equals what Babel says."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "nudger" / "core" / "cldr_data.py"

if TYPE_CHECKING:
    from nudger.core.cldr import CldrLanguage


def extract(language: str) -> CldrLanguage:
    """The language's share of CLDR, as Babel holds it."""
    from babel import Locale  # noqa: PLC0415 - a development tool
    from babel.dates import match_skeleton  # noqa: PLC0415

    from nudger.core.cldr import CldrLanguage  # noqa: PLC0415 - the tests import this module

    locale = Locale.parse(language)
    skeletons = locale.datetime_skeletons
    short = match_skeleton("dMMM", list(skeletons))
    assert short is not None, f"{language}: no pattern for a day and a short month"
    symbols = locale.number_symbols["latn"]
    return CldrLanguage(
        date_long=locale.date_formats["long"].pattern,
        date_full=locale.date_formats["full"].pattern,
        date_short=skeletons[short].pattern,
        months_wide=tuple(locale.months["format"]["wide"][m] for m in range(1, 13)),
        months_abbreviated=tuple(locale.months["format"]["abbreviated"][m] for m in range(1, 13)),
        days_wide=tuple(locale.days["format"]["wide"][d] for d in range(7)),
        days_abbreviated=tuple(locale.days["format"]["abbreviated"][d] for d in range(7)),
        decimal=symbols["decimal"],
        group=symbols["group"],
        minus=symbols["minusSign"],
        infinity=symbols["infinity"],
        nan=symbols["nan"],
        # Countries only (two letters), not regions like "150" (Europe).
        territories={
            code: name
            for code, name in sorted(locale.territories.items())
            if len(code) == 2 and code.isalpha()
        },
    )


def source() -> str:
    import babel  # noqa: PLC0415

    from nudger.shell.i18n import LANGUAGES  # noqa: PLC0415

    languages = [language for language in LANGUAGES if language != "en"]
    body = ",\n".join(f"    {language!r}: {extract(language)!r}" for language in languages)
    return (
        '"""CLDR data for the languages nudger speaks, written by scripts/cldr.py from Babel '
        f"{babel.__version__}:\ndo not edit (run the script; tests/core/test_cldr.py "
        'checks it)."""\n\n'
        "from nudger.core.cldr import CldrLanguage\n\n"
        f"LANGUAGES: dict[str, CldrLanguage] = {{\n{body},\n}}\n"
    )


def main() -> int:
    sys.path.insert(0, str(ROOT))  # this checkout's nudger, installed or not
    TARGET.write_text(source(), encoding="utf-8")
    ruff = Path(sys.executable).with_name("ruff")
    subprocess.run([str(ruff), "format", "-q", str(TARGET)], check=True)
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
