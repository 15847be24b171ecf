"""Text from files and windows, made safe to print on one line.

Names, patterns and titles come from a settings file or from other programs. Printed as they
are, an escape sequence in one could move the cursor, recolour the terminal or hide what
follows; a newline would break the one-line error. Control and format characters are shown as
escapes instead; everything else (accents, emoji, backslashes) stays as it was written.
"""

from __future__ import annotations

import unicodedata


def printable(text: str) -> str:
    return "".join(
        char.encode("unicode_escape").decode() if unicodedata.category(char)[0] == "C" else char
        for char in text
    )
