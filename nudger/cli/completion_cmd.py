"""`nudger completion bash|zsh|fish`: the shell's completion script, written by shtab from the
very parser the command uses, so it never falls behind a new command or option."""

from __future__ import annotations

import argparse
from functools import partial
from typing import Any

from nudger.core.translate import Translator

SHELLS = ("bash", "zsh", "fish")


def register(t: Translator, commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "completion",
        help=t._("print the completion script for your shell"),
        description=t._(
            "Print a script that completes nudger's commands and options as you type. "
            "For bash: nudger completion bash > ~/.local/share/bash-completion/completions/nudger"
        ),
    )
    parser.add_argument("shell", choices=SHELLS, help=t._("the shell to complete in"))
    parser.set_defaults(handler=partial(run, t))


def script_for(parser: argparse.ArgumentParser, shell: str) -> str:
    """The completion script; fish has no shtab writer, so it gets a small one of its own."""
    if shell == "fish":
        return _fish(parser)
    import shtab

    return str(shtab.complete(parser, shell=shell))


def run(t: Translator, args: argparse.Namespace) -> int:
    print(script_for(args.root_parser, args.shell), end="")
    return 0


def _fish(parser: argparse.ArgumentParser) -> str:
    """fish's `complete` lines: the commands after `nudger`, then each command's options."""
    lines = ["complete -c nudger -f"]
    lines += _fish_options(parser, "__fish_use_subcommand")
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
        for name, sub in action.choices.items():
            described = _fish_quote(helps.get(name, ""))
            lines.append(f"complete -c nudger -n __fish_use_subcommand -a {name} -d {described}")
            lines += _fish_options(sub, f"'__fish_seen_subcommand_from {name}'")
    return "\n".join(lines) + "\n"


def _fish_options(parser: argparse.ArgumentParser, condition: str) -> list[str]:
    lines = []
    for action in parser._actions:
        described = _fish_quote(action.help or "")
        flags = ""
        for option in action.option_strings:
            if option.startswith("--"):
                flags += f" -l {option[2:]}"
            elif len(option) == 2:
                flags += f" -s {option[1]}"
        if flags:
            takes = " -r" if action.nargs != 0 else ""
            lines.append(f"complete -c nudger -n {condition}{flags}{takes} -d {described}")
        elif action.choices and not isinstance(action, argparse._SubParsersAction):
            words = " ".join(str(choice) for choice in action.choices)
            lines.append(
                f"complete -c nudger -n {condition} -a {_fish_quote(words)} -d {described}"
            )
    return lines


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
