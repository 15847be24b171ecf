"""What every status icon takes and gives back, and the menu they all show.

The daemon tells the icon what is true (`TrayState`); the icon turns it into a picture, a
tooltip and a menu (`TrayView`, built once per change, on the daemon's thread, so that the
thread serving the desktop only ever reads a finished value). A click on the menu comes back
as a `Command`, which the daemon carries out on its main thread, as it does a signal.

Nothing here ever holds a name, a page or the topic: the state is one of three words, and the
only number is the day's time and looks, which say nothing about whom or what.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

from nudger.core.translate import ENGLISH, Translator
from nudger.core.words import duration

__all__ = [
    "COMMANDS",
    "Command",
    "Entry",
    "Mode",
    "StatusIcon",
    "TrayState",
    "TrayView",
    "command_of",
    "id_of",
    "view_of",
]

# "promised" is for issue 28 (promises), not built yet: the daemon can pass it in later and the
# icon, tooltip and menu already show it.
Mode = Literal["watching", "paused", "promised"]
Command = Literal["pause", "resume", "summary", "help", "settings"]
COMMANDS: frozenset[str] = frozenset({"pause", "resume", "summary", "help", "settings"})


@dataclass(frozen=True, slots=True)
class TrayState:
    mode: Mode = "watching"
    # Today so far: time on social sites and blocklist pages, and how many looks.
    today_seconds: float = 0.0
    today_looks: int = 0
    # During a promise (issue 28), a pause is not at once: it waits this many minutes first.
    pause_waits_minutes: int | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the menu. `command` None: a line that only says something."""

    label: str
    command: Command | None = None
    separator: bool = False


@dataclass(frozen=True, slots=True)
class TrayView:
    mode: Mode
    title: str
    tooltip: str
    entries: tuple[Entry, ...]


Handler = Callable[[Command], None]

# Stable menu ids, one per line, shared by every backend, so that a click on a menu drawn before
# a change still does what its label said (Pause stays pause even if the menu now says Resume).
_IDS: dict[str, int] = {
    "today": 1,
    "separator": 2,
    "pause": 3,
    "resume": 4,
    "summary": 5,
    "help": 6,
    "settings": 7,
}
_COMMAND_OF_ID: dict[int, Command] = {
    3: "pause",
    4: "resume",
    5: "summary",
    6: "help",
    7: "settings",
}


def id_of(entry: Entry) -> int:
    if entry.separator:
        return _IDS["separator"]
    return _IDS[entry.command] if entry.command else _IDS["today"]


def command_of(item_id: int) -> Command | None:
    return _COMMAND_OF_ID.get(item_id)


class StatusIcon(Protocol):
    name: str

    def start(self, on_command: Handler) -> None:
        """Put the icon up and begin serving its menu; `on_command` is called from the icon's
        own thread and must only hand the command on."""
        ...

    def show(self, view: TrayView) -> None:
        """Show a new state. From any thread; never blocks on the desktop."""
        ...

    def close(self) -> None: ...

    # macOS: the icon lives on the main thread's run loop, and the daemon takes its signals on
    # a thread of its own instead (Daemon.run). Elsewhere the icon has its own thread.
    needs_main_thread: bool

    def run_main_loop(self) -> None:
        """Run the platform's main loop until stop_main_loop(); only if needs_main_thread."""
        ...

    def stop_main_loop(self) -> None: ...


def today_line(state: TrayState, t: Translator = ENGLISH) -> str:
    if state.today_looks == 0 and state.today_seconds < 1:
        return t._("Today so far: no time on social sites")
    return t.ngettext(
        "Today so far: {time}, {count} look",
        "Today so far: {time}, {count} looks",
        state.today_looks,
    ).format(time=duration(t, state.today_seconds), count=state.today_looks)


def view_of(state: TrayState, t: Translator = ENGLISH) -> TrayView:
    """What the icon shows for `state`, in `t`'s language."""
    if state.mode == "paused":
        tooltip = t._("nudger: paused")
        pause = Entry(t._("Resume"), "resume")
    else:
        tooltip = t._("nudger: watching") if state.mode == "watching" else t._("nudger: promised")
        pause = Entry(t._("Pause 1 hour"), "pause")
        if state.pause_waits_minutes:
            label = t.ngettext(
                "Pause 1 hour (starts after {minutes} minute, as promised)",
                "Pause 1 hour (starts after {minutes} minutes, as promised)",
                state.pause_waits_minutes,
            ).format(minutes=state.pause_waits_minutes)
            pause = Entry(label, "pause")
    entries = (
        Entry(today_line(state, t)),
        Entry("", separator=True),
        pause,
        Entry(t._("Today's summary"), "summary"),
        Entry(t._("Someone to talk to"), "help"),
        Entry(t._("Settings"), "settings"),
    )
    return TrayView(state.mode, "nudger", tooltip, entries)
