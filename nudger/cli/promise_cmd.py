"""`nudger promise ...`: a promise to oneself, for a while. Loosening waits; tightening does not."""

from __future__ import annotations

import argparse
import time
from functools import partial
from typing import TYPE_CHECKING, Any

from nudger.cli.common import load_config, load_config_or_last_good, user_file
from nudger.core.printable import printable
from nudger.core.translate import Translator
from nudger.errors import UsageError

if TYPE_CHECKING:
    import datetime as dt

    from nudger.core.promise import Kind, Promise, Waiting
    from nudger.shell.promise import Keeper

ACTIONS = ("status", "withdraw", "pass", "end")


def register(t: Translator, commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "promise",
        help=t._("a promise to yourself: changes that do less wait a while"),
        description=t._(
            "Make a promise for a while, for example `nudger promise 7d`. While it runs, "
            "a change that would make nudger count, nudge or hold back less waits out the "
            "cool-off (24 h unless you choose, 15 min to 72 h) and then applies by itself; "
            "adding and tightening apply at once. `nudger promise status` lists what waits, "
            "`withdraw ID` drops a waiting change, `pass ID` applies one now (one pass a "
            "week), `end` asks to end the promise (that waits too)."
        ),
    )
    parser.add_argument(
        "what", nargs="?", default="status", help=t._("a duration, or status, withdraw, pass, end")
    )
    parser.add_argument("id", nargs="?", type=int, help=t._("the number of a waiting change"))
    parser.add_argument(
        "--cool-off", metavar="DURATION", help=t._("how long a loosening waits (default 24h)")
    )
    parser.set_defaults(handler=partial(run, t))


def keeper_for(args: argparse.Namespace) -> Keeper:
    from nudger import paths
    from nudger.shell.promise import Keeper

    return Keeper(user_file(args) or paths.user_config_file(), paths.data_dir())


def run(t: Translator, args: argparse.Namespace) -> int:
    if args.what in ACTIONS[1:3] and args.id is None:
        raise UsageError(t._("which one? `nudger promise status` lists the numbers of what waits"))
    if args.what == "status":
        return _status(t, args)
    if args.what == "withdraw":
        return _withdraw(t, args)
    if args.what == "pass":
        return _pass(t, args)
    if args.what == "end":
        return _end(t, args)
    return _make(t, args)


def _seconds(t: Translator, text: str) -> float:
    from nudger.shell.pause import parse_duration

    try:
        return parse_duration(t, text).total_seconds()
    except ValueError as error:
        raise UsageError(str(error)) from None


def _make(t: Translator, args: argparse.Namespace) -> int:
    from nudger.core import promise as rule
    from nudger.core.words import duration
    from nudger.settings.values import settings_data

    length = _seconds(t, args.what)
    cool_off = _seconds(t, args.cool_off) if args.cool_off else None
    if cool_off is not None and not (rule.SHORTEST_COOL_OFF <= cool_off <= rule.LONGEST_COOL_OFF):
        raise UsageError(t._("the cool-off can be from 15 minutes to 72 hours"))
    loaded = load_config_or_last_good(t, args)
    tz = _zone(loaded.settings)
    keeper, now = keeper_for(args), time.time()
    with keeper.held():
        promise, _repaired = keeper.current(now)
        if promise is None:
            promise = rule.begin(
                settings_data(loaded.settings), now, length, cool_off or rule.DEFAULT_COOL_OFF
            )
            keeper.write(promise)
            print(
                t._(
                    "Your promise runs until {until}. A change that would make nudger do less "
                    "waits {cool_off} first; anything that adds applies at once. "
                    "`nudger promise status` shows what waits."
                ).format(
                    until=_when(t, promise.ends_at, now, tz),
                    cool_off=duration(t, promise.cool_off),
                )
            )
            return 0
        promise = rule.longer(promise, now + length)
        print(
            t._("Your promise runs until {until}.").format(until=_when(t, promise.ends_at, now, tz))
        )
        if now + length < promise.ends_at - 60:
            print(t._("To end it sooner: `nudger promise end` (that waits the cool-off too)."))
        if cool_off is not None and rule.cool_off_loosens(promise, cool_off):
            promise = rule.ask(promise, "cool_off", now, cool_off)
            _said_waits(t, promise.waiting[-1], now, tz)
        elif cool_off is not None:
            promise = rule.with_cool_off(promise, cool_off)
            print(t._("The cool-off is now {cool_off}.").format(cool_off=duration(t, cool_off)))
        keeper.write(promise)
    return 0


def _status(t: Translator, args: argparse.Namespace) -> int:
    from nudger.core.words import duration

    loaded = load_config_or_last_good(t, args)  # steps the promise: what is due applies
    tz = _zone(loaded.settings)
    keeper, now = keeper_for(args), time.time()
    promise, _repaired = keeper.current(now)
    if promise is None:
        print(t._("No promise is running. `nudger promise 7d` makes one, whenever you want it."))
        return 0
    if promise.from_damage:
        print(damage_said(t))
    print(
        t._("Your promise runs until {until}; changes that do less wait {cool_off}.").format(
            until=_when(t, promise.ends_at, now, tz), cool_off=duration(t, promise.cool_off)
        )
    )
    if not promise.waiting:
        print(t._("Nothing is waiting."))
    else:
        print(t._("Waiting (number, when it applies, what):"))
        for waiting in sorted(promise.waiting, key=lambda w: (w.due, w.id)):
            print(
                f"  {waiting.id:>3}  {_when(t, waiting.due, now, tz)}  "
                f"{printable(what_waits(t, waiting))}"
            )
    _say_pass(t, promise, now, tz)
    return 0


def damage_said(t: Translator) -> str:
    return t._(
        "The promise's saved state was damaged, so it is read as a wish to end it; "
        "that waits the cool-off like any other change."
    )


def _say_pass(t: Translator, promise: Promise, now: float, tz: dt.tzinfo) -> None:
    from nudger.core import promise as rule

    free_from = rule.pass_allowed(promise, now)
    if free_from is None:
        print(t._("This week's pass is free: `nudger promise pass NUMBER` applies one now."))
    else:
        print(
            t._("This week's pass is used; the next one is free from {when}.").format(
                when=_when(t, free_from, now, tz)
            )
        )


def _withdraw(t: Translator, args: argparse.Namespace) -> int:
    from nudger.core import promise as rule

    keeper, now = keeper_for(args), time.time()
    with keeper.held():
        promise = _promise_or_say(t, keeper, now)
        waiting = _find(t, promise, args.id)
        if waiting.change is not None:
            _put_back(t, args, waiting, promise)
        else:
            keeper.write(rule.withdraw(promise, waiting.id))
    if waiting.change is not None:
        load_config_or_last_good(t, args)  # the file has it back: it waits no more
        print(
            t._("Withdrawn: {what}. Your settings file has it back.").format(
                what=what_waits(t, waiting)
            )
        )
    else:
        print(t._("Withdrawn: {what}.").format(what=what_waits(t, waiting)))
    return 0


def _put_back(t: Translator, args: argparse.Namespace, waiting: Waiting, promise: Promise) -> None:
    """A waiting change of the settings file, undone in the file (as `block add` writes it)."""
    from nudger import paths
    from nudger.settings.edits import UserConfig, edit_lock
    from nudger.settings.put_back import put_back

    assert waiting.change is not None
    path = user_file(args) or paths.user_config_file()
    with edit_lock(path):
        load_config(args)  # a broken file is said first, and nothing is changed
        config = UserConfig(path)
        put_back(config, waiting.change, promise.in_force)
        config.save()


def _pass(t: Translator, args: argparse.Namespace) -> int:
    from nudger.core import promise as rule
    from nudger.settings.values import settings_data

    wanted = load_config(args)  # what the file asks for; a broken file is said first
    tz = _zone(wanted.settings)
    keeper, now = keeper_for(args), time.time()
    with keeper.held():
        promise = _promise_or_say(t, keeper, now)
        waiting = _find(t, promise, args.id)
        free_from = rule.pass_allowed(promise, now)
        if free_from is not None:
            print(
                t._(
                    "This week's pass is already used, so this one keeps its time and applies "
                    "by itself at {due}. The next pass is free from {when}."
                ).format(due=_when(t, waiting.due, now, tz), when=_when(t, free_from, now, tz))
            )
            return 1
        keeper.step(rule.use_pass(promise, waiting.id, now), settings_data(wanted.settings), now)
        applied = keeper.take_applied()
    _note_loosenings(applied)
    print(
        t._("Done: {what} applies now. The next pass is free from {when}.").format(
            what=what_waits(t, waiting), when=_when(t, now + rule.WEEK_SECONDS, now, tz)
        )
    )
    return 0


def _note_loosenings(moments: list[float]) -> None:
    """A loosening this command applied itself is noted for the summary, as the daemon notes
    the ones it applies (once each; a note that cannot be written loses nothing else)."""
    from nudger import paths
    from nudger.core.guard import GuardNote
    from nudger.store import Store, StoreError

    if not moments:
        return
    try:
        store = Store.open(paths.database_file())
    except StoreError:
        return
    try:
        for at in moments:
            store.add_guard_note(GuardNote("loosened", at, at))
    except StoreError:
        pass
    finally:
        store.close()


def _end(t: Translator, args: argparse.Namespace) -> int:
    from nudger.core import promise as rule

    tz = _zone(load_config_or_last_good(t, args).settings)
    keeper, now = keeper_for(args), time.time()
    with keeper.held():
        promise = _promise_or_say(t, keeper, now)
        promise = rule.ask(promise, "end", now)
        keeper.write(promise)
    waiting = promise.waiting[-1]
    print(
        t._(
            "The promise ends at {due}, after its cool-off. If you change your mind: "
            "`nudger promise withdraw {id}`."
        ).format(due=_when(t, waiting.due, now, tz), id=waiting.id)
    )
    return 0


def ask_pause(t: Translator, args: argparse.Namespace, seconds: float) -> bool:
    """`nudger pause` during a promise: the pause waits. False when there is no promise."""
    if not ask_to_wait(t, args, "pause", seconds):
        return False
    print(t._("If now is hard, `nudger help-now` lists people you can talk to."))
    return True


def ask_to_wait(t: Translator, args: argparse.Namespace, kind: Kind, seconds: float = 0.0) -> bool:
    """A command that loosens, during a promise: recorded to wait its cool-off, then carried out
    by itself. False when there is no promise (the command then does it now)."""
    now = time.time()
    waiting = keeper_for(args).ask(kind, now, seconds)
    if waiting is None:
        return False
    _said_waits(t, waiting, now, _zone(load_config_or_last_good(t, args).settings))
    return True


def say_what_waits(t: Translator, args: argparse.Namespace, since: float) -> None:
    """After an edit of the settings file: which of its changes wait, and until when."""
    keeper, now = keeper_for(args), time.time()
    loaded = load_config_or_last_good(t, args)  # the edit is seen here: its time starts now
    try:
        promise, _repaired = keeper.current(now)
    except OSError:
        return
    if promise is None:
        return
    for waiting in promise.waiting:
        if waiting.kind == "change" and waiting.since >= since:
            _said_waits(t, waiting, now, _zone(loaded.settings))


def _said_waits(t: Translator, waiting: Waiting, now: float, tz: dt.tzinfo) -> None:
    print(
        t._(
            "Your promise keeps things as they are until {due}; then this applies by itself "
            "(number {id}): {what}."
        ).format(due=_when(t, waiting.due, now, tz), id=waiting.id, what=what_waits(t, waiting))
    )


def what_waits(t: Translator, waiting: Waiting) -> str:
    """A waiting change in a few words, in the person's language."""
    from nudger.core.words import duration
    from nudger.shell.promise import description

    if waiting.kind != "change":
        said = {
            "pause": t._("a pause of {duration}"),
            "end": t._("ending the promise"),
            "cool_off": t._("a cool-off of {duration}"),
            "autostart_off": t._("no longer starting nudger at login"),
            "browser_off": t._("removing nudger's browser host"),
        }[waiting.kind]
        return said.format(duration=duration(t, waiting.seconds))
    kind, values = description(waiting.change)
    if kind == "entry":
        field = values["field"]
    elif kind == "item":
        field = "disabled" if values["field"] == "catalogue.disabled" else "browsers"
    else:
        field = ""
    said = {
        ("entry", "blocklist"): t._('removing "{name}" from the blocklist'),
        ("entry", "sites"): t._('removing the site "{name}"'),
        ("part", ""): t._('removing "{item}" from "{name}"'),
        ("item", "disabled"): t._('switching off "{item}"'),
        ("item", "browsers"): t._('no longer treating "{item}" as a browser'),
    }.get((kind, field), t._("{field} = {value}"))
    return said.format(**values)


def print_promise_line(t: Translator, args: argparse.Namespace, tz: dt.tzinfo, now: float) -> None:
    """For `status` and `summary`: one line while a promise runs. Never waits for its lock."""
    from nudger.shell.pause import until_text

    try:
        promise, _repaired = keeper_for(args).current(now)
    except OSError:
        return
    if promise is None:
        return
    waiting = len(promise.waiting)
    print(
        t.ngettext(
            "Your promise runs until {until}; {count} change waits (`nudger promise status`).",
            "Your promise runs until {until}; {count} changes wait (`nudger promise status`).",
            waiting,
        ).format(until=until_text(t, promise.ends_at, now, tz), count=waiting)
    )
    if promise.from_damage:
        print(damage_said(t))


def _promise_or_say(t: Translator, keeper: Keeper, now: float) -> Promise:
    promise, _repaired = keeper.current(now)
    if promise is None:
        raise UsageError(t._("no promise is running, so nothing waits"))
    return promise


def _find(t: Translator, promise: Promise, wanted: int) -> Waiting:
    for waiting in promise.waiting:
        if waiting.id == wanted:
            return waiting
    raise UsageError(
        t._("nothing waiting has the number {id}; `nudger promise status` lists them").format(
            id=wanted
        )
    )


def _zone(settings: Any) -> dt.tzinfo:
    from nudger.settings.values import timezone_of

    return timezone_of(settings)


def _when(t: Translator, at: float, now: float, tz: dt.tzinfo) -> str:
    from nudger.shell.pause import until_text

    return until_text(t, at, now, tz)
