"""argparse in the person's language, without touching argparse's module.

argparse words its own help and errors ("usage:", "options", "the following arguments are
required") through its module's `gettext`. Rather than point that at nudger's catalogue for the
whole process, a parser made by `parser_class(translator)` translates them where they come
out: the help's usage prefix and section titles through its formatter, the help option's line
when the option is added, and each error message in `error()`, where argparse's English is
matched against its own message templates below (Python 3.11 to 3.13) and said again in the
person's language. The templates are marked here, so that Babel puts them in the catalogue.
"""

from __future__ import annotations

import argparse
import re
import sys
from functools import partial
from typing import Any, ClassVar, NoReturn

from nudger.core.translate import ENGLISH, N_, Translator

USAGE = N_("usage: ")
HELP = N_("show this help message and exit")
HEADINGS = (N_("positional arguments"), N_("options"))
ERROR = N_("%(prog)s: error: %(message)s\n")
# argparse's messages, most specific first: the first whose form the English fits is used.
MESSAGES = (
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
)
# ngettext("expected %s argument", "expected %s arguments", count), as argparse words it.
EXPECTED = ("expected %s argument", "expected %s arguments")
_EXPECTED = re.compile(r"expected (\d+) arguments?")
_SLOT = re.compile(r"%(?:\((\w+)\))?([sr])")


def _pattern(template: str) -> re.Pattern[str]:
    """ "invalid %(type)s value: %(value)r" -> a pattern that takes the English apart."""
    parts, last, unnamed = [], 0, 0
    for slot in _SLOT.finditer(template):
        parts.append(re.escape(template[last : slot.start()]))
        name = slot.group(1) or f"_{unnamed}"
        unnamed += slot.group(1) is None
        parts.append(f"(?P<{name}>.*?)")
        last = slot.end()
    parts.append(re.escape(template[last:]))
    return re.compile("".join(parts), re.DOTALL)


_PATTERNS = tuple((template, _pattern(template)) for template in MESSAGES)


def _as_text(slot: re.Match[str]) -> str:
    return f"%({slot.group(1)})s" if slot.group(1) else "%s"


def in_words(t: Translator, message: str) -> str:
    """One of argparse's messages in t's language; a message of nudger's own (already in the
    person's language) comes back as it was."""
    counted = _EXPECTED.fullmatch(message)
    if counted:
        count = int(counted.group(1))
        return t.ngettext("expected %s argument", "expected %s arguments", count) % count
    for template, pattern in _PATTERNS:
        found = pattern.fullmatch(message)
        if found is None:
            continue
        values = found.groupdict()
        if "message" in values:
            values["message"] = in_words(t, values["message"])
        # The English had its %r filled already: the translation takes the same text as %s.
        said = _SLOT.sub(_as_text, t._(template))
        return said % values.get("_0", values)
    return message


class _Formatter(argparse.HelpFormatter):
    """argparse's help, with its own words (the usage prefix, the section titles) translated."""

    def __init__(self, prog: str, *, translator: Translator, **kwargs: Any) -> None:
        super().__init__(prog, **kwargs)
        self.translator = translator

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        # argparse passes "" when it words a subcommand's name: only None means its own prefix.
        said = self.translator._(USAGE) if prefix is None else prefix
        super().add_usage(usage, actions, groups, said)

    def start_section(self, heading: str | None) -> None:
        if heading in HEADINGS:
            heading = self.translator._(heading)
        super().start_section(heading)


class WordsParser(argparse.ArgumentParser):
    """An ArgumentParser that speaks `translator`'s language; see `parser_class`."""

    translator: ClassVar[Translator] = ENGLISH

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # argparse's own help option is worded in English as it is added: this one is not.
        add_help = kwargs.get("add_help", True)
        kwargs["add_help"] = False
        kwargs.setdefault("formatter_class", partial(_Formatter, translator=self.translator))
        super().__init__(*args, **kwargs)
        if add_help:
            self.add_argument(
                "-h",
                "--help",
                action="help",
                default=argparse.SUPPRESS,
                help=self.translator._(HELP),
            )

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        said = self.translator._(ERROR) % {
            "prog": self.prog,
            "message": in_words(self.translator, message),
        }
        self.exit(2, said)


def parser_class(base: type[WordsParser], translator: Translator) -> type[WordsParser]:
    """`base` speaking `translator`'s language. A class, not an instance attribute, because
    argparse makes each subcommand's parser from `type(parent)`: they all speak it too."""
    return type(base.__name__, (base,), {"translator": translator})
