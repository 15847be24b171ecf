"""argparse's own words (Python 3.11 to 3.13), marked here so that Babel puts them in nudger's
catalogue: i18n.setup points argparse at it, and `nudger --help` is then wholly in one
language. Never called; only read by extraction."""

from __future__ import annotations

from nudger.core.translate import N_, ngettext

ARGPARSE_WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
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
    N_("%(prog)s: error: %(message)s\n"),
)


def _plural_forms(count: int) -> str:
    return ngettext("expected %s argument", "expected %s arguments", count)
