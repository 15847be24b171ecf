"""The daemon's settings, validated in a short-lived child process.

pydantic (with pydantic-settings and the models it builds) is about 10 MB of Python objects that
would stay in the daemon for its whole run, for work done once at the start and on each reload
(issue 34). So the daemon asks a child: the child reads the files and the NUDGER_* variables,
validates them, steps a running promise, and hands back plain values (settings/values.py), a
ConfigError, and the log lines it wrote. The child is gone a moment later, and its memory with
it. Should a child fail to run or answer (it never should), the same work is done here instead:
slower to leave memory, never a lost reload.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import pickle
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nudger.core.translate import N_, Said
from nudger.errors import ConfigError
from nudger.settings.values import LoadedConfig
from nudger.shell.promise import Keeper, Looked

log = logging.getLogger(__name__)

# A child answers in about half a second; a machine under heavy load may take many times that.
CHILD_SECONDS = 60.0
_NOTHING_LOOKED = Looked(None, None, ())


@dataclass(frozen=True)
class Ask:
    """What is wanted of a load."""

    user_file: Path | None  # None: where the settings live by default
    data_dir: Path
    now: float
    # Settings loaded already: only the promise's step is asked for.
    loaded: LoadedConfig | None = None
    # A broken file is the answer (the daemon); else the last good settings are (the pages).
    strict: bool = True
    # Keep the file as the last good copy once it loads.
    remember: bool = False
    # The settings in force while a promise runs (with its waiting changes carried out).
    promise: bool = True


@dataclass(frozen=True)
class Answer:
    config: LoadedConfig | None
    problem: ConfigError | None = None
    looked: Looked = _NOTHING_LOOKED
    # The settings as the file has them, before a promise's step (the companion's pages).
    written: LoadedConfig | None = None
    # What was logged while loading (level, logger, message, arguments), to log again here.
    records: tuple[tuple[int, str, str, tuple[object, ...]], ...] = field(default=())


class ChildFailed(Exception):
    """The child exited with an error, or answered something that is not an Answer."""


def load_here(ask: Ask) -> Answer:
    """The work itself: in the child, in a command, or here when a child cannot run."""
    from nudger.settings import last_good, loader  # noqa: PLC0415 - pydantic: the child's

    loaded = ask.loaded
    if loaded is None:
        try:
            loaded = loader.load(ask.user_file)
        except ConfigError as problem:
            if ask.strict:
                return Answer(None, problem)
            from nudger.paths import user_config_file  # noqa: PLC0415

            loaded = last_good.load_instead(ask.user_file or user_config_file(), os.environ)
        else:
            if ask.remember:
                last_good.remember(loaded)
    if not ask.promise:
        return Answer(loaded, written=loaded)
    keeper = Keeper(loaded.user_file, ask.data_dir)
    return Answer(keeper.keep(loaded, ask.now), looked=keeper.looked(), written=loaded)


def load_apart(ask: Ask) -> Answer:
    """`load_here` in a child process, its log lines logged again here."""
    command = [sys.executable, "-P", "-c", _CHILD.format(path=str(Path(__file__).parents[2]))]
    try:
        done = subprocess.run(
            command,
            input=pickle.dumps(ask),
            capture_output=True,
            timeout=CHILD_SECONDS,
            check=False,
            # Windows: no console window flashing up on a reload.
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        )
        if done.returncode != 0:
            raise ChildFailed(done.stderr.decode(errors="replace").strip()[-500:])
        answer = pickle.loads(done.stdout)  # noqa: S301 - our own child's answer
        if not isinstance(answer, Answer):
            raise ChildFailed(f"answered {type(answer).__name__}")
    except Exception as error:  # noqa: BLE001 - anything at all: then the settings load here
        log.warning(N_("the settings could not be checked apart (%s); checking them here"), error)
        return load_here(ask)
    for level, name, message, args in answer.records:
        logging.getLogger(name).log(level, message, *args)
    return answer


# The child: the signals the daemon blocks for its own inbox (shell/signals.py) unblocked, for
# a child inherits them, and a stuck one must still stop on SIGTERM and Ctrl-C; the folder this
# nudger came from on the path (last: it must not hide the standard library); the ask on stdin,
# the answer on stdout, which nothing else may write to.
_CHILD = (
    "import signal, sys\n"
    "if hasattr(signal, 'pthread_sigmask'): signal.pthread_sigmask(signal.SIG_SETMASK, [])\n"
    "sys.path.append({path!r})\n"
    "from nudger.shell.loading import answer_as_child; answer_as_child()"
)


def answer_as_child() -> None:
    ask = pickle.load(sys.stdin.buffer)  # noqa: S301 - from the daemon that started this
    out, sys.stdout = sys.stdout.buffer, sys.stderr
    with _kept_records() as records:
        answer = load_here(ask)
    problem = answer.problem
    if problem is not None:  # its reasons in words that cross, still in any language
        problem = ConfigError(
            _crossing(problem.source), _crossing(problem.field), _crossing(problem.reason)
        )
    data = pickle.dumps(
        Answer(answer.config, problem, answer.looked, answer.written, tuple(records))
    )
    out.write(data)
    out.flush()


@contextlib.contextmanager
def _kept_records() -> Iterator[list[tuple[int, str, str, tuple[object, ...]]]]:
    kept: list[tuple[int, str, str, tuple[object, ...]]] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message, args = str(record.msg), record.args
            if not isinstance(args, tuple) or (record.exc_info and not args):
                # A mapping, or words about to gain an argument: said in words here.
                message, args = record.getMessage().replace("%", "%%"), ()
            if record.exc_info:  # the traceback, as text, after the message
                traceback = logging.Formatter().formatException(record.exc_info)
                message, args = message + "\n%s", (*args, traceback)
            kept.append((record.levelno, record.name, message, tuple(_portable(a) for a in args)))

    handler = Keep(logging.DEBUG)
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield kept
    finally:
        root.removeHandler(handler)


def _crossing(value: object) -> Any:
    """A Said whose fillings all cross to the daemon: an error carrying a Said becomes that
    Said, any other error its English (an error's own class may not be rebuilt from a pickle)."""
    said = value if isinstance(value, Said) else getattr(value, "said", None)
    if isinstance(said, Said):
        return dataclasses.replace(said, values={k: _crossing(v) for k, v in said.values.items()})
    if isinstance(value, BaseException):
        return str(value)
    return value


def _portable(value: object) -> object:
    """A log argument that can cross to the daemon (and be read there): itself, or its words."""
    try:
        pickle.loads(pickle.dumps(value))  # noqa: S301 - our own object, just made
    except Exception:  # noqa: BLE001 - anything unpicklable is said in words instead
        return str(value)
    return value
