"""No user-facing English literal is left outside the catalogues.

Babel's own extraction (the same that builds nudger.pot) is run with the calls that put text
in front of a person as its keywords: a plain string it finds there was never marked for
translation. f-strings, which Babel skips, are found in the same calls through the syntax tree:
one with words in it cannot be translated as written.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
from pathlib import Path

from babel.messages.extract import extract_python

ROOT = Path(__file__).resolve().parents[2]
# The calls whose text a person reads: printed, raised to the CLI, drawn in the summary,
# shown in a notification, or given to argparse as help.
SINKS = {
    "print": None,
    "Text": None,
    "NudgerError": None,
    "UsageError": None,
    "ConfigError": None,
    "ArgumentTypeError": None,
    "SensorUnavailable": None,
    "Notification": None,
    "Delivery": None,
    "add_parser": None,
    "add_argument": None,
    "_Parser": None,
    # What is said before it is known who reads it: its text must be marked with N_().
    "Said": None,
    "Why": None,
}
# The native-messaging host speaks only to the browser extension, in its protocol.
NOT_FOR_PEOPLE = {"nudger/browser/host.py", "nudger/browser/relay.py"}
WORDS = re.compile(r"[A-Za-z]+[,.;:!?')]* +[(A-Za-z]+")


def sources() -> list[Path]:
    return [p for p in sorted((ROOT / "nudger").rglob("*.py")) if shown(p) not in NOT_FOR_PEOPLE]


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name


def unmarked_plain(path: Path) -> list[str]:
    found = []
    with contextlib.redirect_stderr(io.StringIO()):
        items = list(extract_python(io.BytesIO(path.read_bytes()), SINKS, [], {}))
    for line, function, message, _comments in items:
        texts = message if isinstance(message, tuple) else (message,)
        found += [
            f"{shown(path)}:{line}: {function}({text!r})"
            for text in texts
            if isinstance(text, str) and WORDS.search(text)
        ]
    return found


def unmarked_fstrings(path: Path) -> list[str]:
    """f-strings with words anywhere inside a call that shows text (`print(printable(f"..."))`
    included): Babel skips them, and they cannot be translated as written."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        name = getattr(function, "id", getattr(function, "attr", ""))
        if name not in SINKS:
            continue
        for argument in [*node.args, *(k.value for k in node.keywords)]:
            for inner in ast.walk(argument):
                if not isinstance(inner, ast.JoinedStr):
                    continue
                words = "".join(
                    part.value for part in inner.values if isinstance(part, ast.Constant)
                )
                if WORDS.search(words):
                    found.append(f"{shown(path)}:{inner.lineno}: {name}(f{words!r})")
    return sorted(set(found))


def hidden_in_fstrings(path: Path) -> list[str]:
    """_() inside an f-string's braces: Babel does not look there, so the catalogue misses it."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.JoinedStr):
            for inner in ast.walk(node):
                if not isinstance(inner, ast.Call):
                    continue
                # `_()` or a translator's `t._()`: Babel matches the name, whatever it is called on.
                called = getattr(inner.func, "id", getattr(inner.func, "attr", ""))
                if called in {"_", "ngettext"}:
                    found.append(f"{shown(path)}:{inner.lineno}: _() in an f-string")
    return found


def test_every_string_a_person_reads_is_marked_for_translation() -> None:
    unmarked = [item for path in sources() for item in unmarked_plain(path)]
    unmarked += [item for path in sources() for item in unmarked_fstrings(path)]
    unmarked += [item for path in sources() for item in hidden_in_fstrings(path)]
    assert unmarked == []


def test_the_scan_finds_an_unmarked_string(tmp_path: Path) -> None:
    """The scan itself can fail: an unmarked print and f-string are caught."""
    sample = ROOT / "nudger" / "cli" / "status_cmd.py"
    text = sample.read_text(encoding="utf-8")
    probe = tmp_path / "probe_sample.py"
    probe.write_text(
        text + '\n\ndef _probe(x):\n    print("Nudges are resting now")\n'
        '    said = Said("the pause ends soon")\n'
        '    raise NudgerError(f"cannot rest {x} today")\n'
        "    return f\"<h1>{_('Hidden')}</h1>\" + f\"<p>{t._('Hidden too')}</p>\"\n",
        encoding="utf-8",
    )
    assert unmarked_plain(probe) and unmarked_fstrings(probe)
    assert any("Said('the pause ends soon')" in found for found in unmarked_plain(probe))
    assert len(hidden_in_fstrings(probe)) == 2


# The log is read in the person's language too (issue 26): each message above debug level is
# marked with N_() where it is logged, and the log's formatter translates it when it is written.
LOG_LEVELS = {"info", "warning", "error", "exception", "critical"}
A_LOGGER = re.compile(r"\blog\b|_log\b|logger|getLogger|^logging$")


def unmarked_log_messages(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in LOG_LEVELS
            and A_LOGGER.search(ast.unparse(node.func.value))
            and node.args
        ):
            continue
        message = node.args[0]
        words = ""
        if isinstance(message, ast.Constant) and isinstance(message.value, str):
            words = message.value
        elif isinstance(message, ast.JoinedStr):
            words = "".join(part.value for part in message.values if isinstance(part, ast.Constant))
        if WORDS.search(words):
            found.append(f"{shown(path)}:{node.lineno}: {node.func.attr}({words!r})")
    return found


def test_every_log_message_above_debug_is_marked_for_translation() -> None:
    every = sorted((ROOT / "nudger").rglob("*.py"))
    assert [item for path in every for item in unmarked_log_messages(path)] == []


def test_the_scan_finds_an_unmarked_log_message(tmp_path: Path) -> None:
    probe = tmp_path / "probe_log.py"
    probe.write_text(
        "import logging\n"
        "log = logging.getLogger(__name__)\n"
        "log.debug('details for developers stay English')\n"
        "log.info(N_('marked for the catalogue: %s'), 1)\n"
        "log.warning('cannot see the desktop: %s', 2)\n"
        "self._log.error(f'cannot write {x} now')\n"
        "logging.getLogger(__name__).info('a log file in %s', 3)\n",
        encoding="utf-8",
    )
    assert [line.split(":")[1] for line in unmarked_log_messages(probe)] == ["5", "6", "7"]
