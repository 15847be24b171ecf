"""Keeping a promise: its state file, the settings in force, and what waits.

The state lives beside the settings file (`.config.toml.promise`, 0600), with the settings in
force inside it. The settings in force are also written to the last good copy, so that a
damaged state file loses nothing: it is read as a request to end the promise, which waits the
longest cool-off (the real one is not known any more), with the last good copy in force.
The rule itself (what loosens, what is due) is the core's: nudger/core/promise.py.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nudger.core import promise as rule
from nudger.core.promise import Change, Promise, Waiting
from nudger.core.translate import N_, Said
from nudger.errors import NudgerError
from nudger.oslock import FileLock, Locked
from nudger.paths import read_regular_file, write_private_atomic
from nudger.settings import last_good
from nudger.settings.values import LoadedConfig, Settings, settings_data, values_of
from nudger.shell.pause import Pause, PauseFile

log = logging.getLogger(__name__)

# How long a command waits for another to finish with the state; `status` and the daemon then
# carry on with what they have rather than wait.
LOCK_SECONDS = 2.0


def state_path(user_file: Path) -> Path:
    return last_good.promise_path(user_file)


class Busy(NudgerError):
    """Another nudger command has the promise's state in hand."""


class Damaged(ValueError):
    """The state file is there but cannot be read as a promise."""


def _validated(data: Mapping[str, Any]) -> Settings:
    """Settings data checked as the file's are. pydantic is imported here, not with the module:
    the daemon steps a promise in a child process (shell/loading.py)."""
    from nudger.settings import models  # noqa: PLC0415

    return values_of(models.Settings.model_validate(data), Settings)


@dataclass(frozen=True)
class Looked:
    """What a Keeper learnt in one look, to hand to the daemon's own Keeper from a child."""

    next_look: float | None
    stamp: tuple[int, int] | None
    applied: tuple[float, ...]


class Keeper:
    """The promise of one settings file, for the daemon and the commands alike."""

    def __init__(self, user_file: Path, data_dir: Path) -> None:
        self.user_file = user_file
        self.path = state_path(user_file)
        self.data_dir = data_dir
        self.pauses = PauseFile(data_dir)
        # A second note that a promise runs, and until when, in the data folder: a state file
        # that is simply deleted is then missed, and read as damaged.
        self.marker = data_dir / last_good.PROMISE_MARKER
        self._next_look: float | None = None
        self._stamp: tuple[int, int] | None = None
        # When each loosening took effect, until the daemon takes them for the guard's record.
        self._applied: list[float] = []

    # -- reading and writing ------------------------------------------------------------------

    def exists(self) -> bool:
        """A promise's state is there, or should be (see `marker`)."""
        return any(path.exists() or path.is_symlink() for path in (self.path, self.marker))

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        lock = FileLock(self.path.with_name(f"{self.path.name}.lock"))
        try:
            lock.acquire(timeout=LOCK_SECONDS)
        except Locked:
            raise Busy(
                Said(N_("another nudger command is busy with your promise; try again in a moment"))
            ) from None
        try:
            yield
        finally:
            lock.release()

    def read(self) -> Promise | None:
        """The promise, None without one; Damaged when the file cannot be read as one."""
        if not self.exists():
            return None
        if not (self.path.exists() or self.path.is_symlink()):
            self._missing()
            return None
        try:
            return _from_json(json.loads(read_regular_file(self.path, limit=1 << 22)))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise Damaged(str(error)) from None

    def _missing(self) -> None:
        """Only the marker is left: damage, unless the promise it notes is over anyway."""
        try:
            ends_at = float(json.loads(read_regular_file(self.marker, limit=4096))["ends_at"])
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise Damaged(f"the state is missing ({error})") from None
        if ends_at > time.time():
            raise Damaged("the state is missing")
        with contextlib.suppress(OSError):
            self.marker.unlink()

    def write(self, promise: Promise | None) -> None:
        if promise is None:
            for path in (self.path, self.marker):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
            return
        write_private_atomic(self.path, json.dumps(_to_json(promise), indent=1))
        with contextlib.suppress(OSError):
            write_private_atomic(self.marker, json.dumps({"ends_at": promise.ends_at}))
        # The settings in force, where a damaged state finds them again.
        with contextlib.suppress(OSError):
            write_private_atomic(
                last_good.copy_path(self.user_file), _toml_of(promise.in_force), durable=False
            )

    def repaired(self, now: float) -> Promise:
        """A damaged state, read as a request to end: the last good settings stay in force
        while the longest cool-off passes."""
        in_force = last_good.load_instead(self.user_file, {}).settings
        cool_off = float(rule.LONGEST_COOL_OFF)
        made = rule.begin(settings_data(in_force), now, cool_off + 1, cool_off)
        return dataclasses.replace(rule.ask(made, "end", now), from_damage=True)

    def current(self, now: float) -> tuple[Promise | None, bool]:
        """The promise as it stands (not stepped), and whether its state had to be repaired."""
        try:
            return self.read(), False
        except Damaged as error:
            log.info(N_("the promise's state is damaged (%s); it ends after its cool-off"), error)
            promise = self.repaired(now)
            self.write(promise)
            return promise, True

    def ask(self, kind: rule.Kind, now: float, seconds: float = 0.0) -> Waiting | None:
        """A command that loosens, recorded to wait while a promise runs (returned); None
        without a promise (the command then does it now)."""
        if not self.exists():
            return None
        with self.held():
            promise, _repaired = self.current(now)
            if promise is None:
                return None
            promise = rule.ask(promise, kind, now, seconds)
            self.write(promise)
        return promise.waiting[-1]

    # -- stepping -----------------------------------------------------------------------------

    def keep(self, loaded: LoadedConfig, now: float, *, fresh: bool = True) -> LoadedConfig:
        """`loaded` with the settings in force while a promise runs (as it is without one).

        `fresh`: the settings file itself just loaded, so what it says is what is wanted; the
        last good copy instead (a broken file) asks for nothing. Never raises for a file it
        cannot read or a lock it cannot take: the settings as they stand are used then."""
        if not self.exists():
            self._next_look = None
            return loaded
        try:
            with self.held():
                promise, _repaired = self.current(now)
                if promise is None:
                    return loaded
                if fresh:
                    promise = self.step(promise, settings_data(loaded.settings), now)
                in_force = promise.in_force if promise is not None else None
        except (Busy, OSError) as error:
            log.info(N_("cannot read the promise now (%s); the settings as they are stay"), error)
            return loaded
        if in_force is None:
            return loaded
        try:
            settings = _validated(in_force)
        except ValueError as error:  # a bug, never the person's doing: keep counting
            log.error(N_("the settings in force do not load (%s); the file's are used"), error)
            return loaded
        return dataclasses.replace(loaded, settings=settings)

    def step(self, promise: Promise, wanted: Mapping[str, Any], now: float) -> Promise | None:
        """One step of the core's rule, carried out: what is due is done, the state written."""
        outcome = rule.step(promise, wanted, now)
        for waiting in outcome.carry_out:
            self._carry_out(waiting, now)
        self._applied.extend(now for _ in outcome.applied)
        if outcome.promise != promise:
            self.write(outcome.promise)
        self._note(outcome.promise)
        return outcome.promise

    def _carry_out(self, waiting: Waiting, now: float) -> None:
        """A command that waited, done now as the command itself does it."""
        try:
            if waiting.kind == "pause":
                self.pauses.set(Pause(until=now + waiting.seconds, set_at=now))
            elif waiting.kind == "autostart_off":
                from nudger.autostart import methods_for  # noqa: PLC0415 - rarely needed

                for method in methods_for():
                    method.disable()
            elif waiting.kind == "browser_off":
                from nudger.browser.install import Installer  # noqa: PLC0415 - rarely needed

                Installer(Path.home(), self.data_dir / "browser").uninstall()
        except OSError as error:
            log.warning(N_("could not carry out the waiting %s: %s"), waiting.kind, error)
        else:
            log.info(N_("the waiting %s (number %d) is carried out"), waiting.kind, waiting.id)

    def _note(self, promise: Promise | None) -> None:
        """When the daemon should look again even if nothing changes on disk."""
        if promise is None:
            self._next_look = None
        else:
            dues = [w.due for w in promise.waiting]
            self._next_look = min([promise.ends_at, *dues])
        with contextlib.suppress(OSError):
            info = self.path.stat()
            self._stamp = (info.st_ino, info.st_mtime_ns)

    def looked(self) -> Looked:
        """What this Keeper learnt (its loosenings applied are taken)."""
        return Looked(self._next_look, self._stamp, tuple(self.take_applied()))

    def adopt(self, looked: Looked) -> None:
        """What another Keeper of the same promise learnt (in a child process)."""
        self._next_look, self._stamp = looked.next_look, looked.stamp
        self._applied.extend(looked.applied)

    def take_applied(self) -> list[float]:
        """When each loosening took effect since the last call (once each)."""
        applied, self._applied = self._applied, []
        return applied

    def next_look_at(self) -> float | None:
        """When something the promise holds falls due (Unix time), if anything does."""
        return self._next_look

    def needs_look(self, now: float) -> bool:
        """For the daemon's check: something is due, or the state changed (a command)."""
        try:
            info = self.path.stat()
            stamp: tuple[int, int] | None = (info.st_ino, info.st_mtime_ns)
        except OSError:
            stamp = None
        if stamp != self._stamp:
            return True
        return self._next_look is not None and now >= self._next_look


def description(change: Change | None) -> tuple[str, dict[str, Any]]:
    """Which sentence says what a waiting change is, and its values (translated by the door)."""
    if change is None:
        return "", {}
    if change.part:
        return "part", {"item": change.item, "name": change.name, "field": change.field}
    if change.field in {"blocklist", "sites"}:
        return "entry", {"name": change.name, "field": change.field}
    if change.name:
        return "item", {"item": change.name, "field": change.field}
    return "setting", {"field": change.field, "value": change.value}


# -- the state as JSON ------------------------------------------------------------------------


def _to_json(promise: Promise) -> dict[str, Any]:
    return {
        "version": 1,
        "started_at": promise.started_at,
        "ends_at": promise.ends_at,
        "cool_off": promise.cool_off,
        "in_force": dict(promise.in_force),
        "passes": list(promise.passes),
        "next_id": promise.next_id,
        "from_damage": promise.from_damage,
        "waiting": [
            {
                "id": w.id,
                "kind": w.kind,
                "since": w.since,
                "due": w.due,
                "seconds": w.seconds,
                "change": dataclasses.asdict(w.change) if w.change is not None else None,
            }
            for w in promise.waiting
        ],
    }


def _from_json(data: Mapping[str, Any]) -> Promise:
    if data.get("version") != 1 or not isinstance(data["in_force"], dict):
        raise ValueError("not a promise nudger knows")
    _validated(data["in_force"])  # a damaged copy of the settings is damage too
    waiting = tuple(
        Waiting(
            int(item["id"]),
            item["kind"],
            float(item["since"]),
            float(item["due"]),
            Change(**item["change"]) if item.get("change") else None,
            float(item.get("seconds", 0.0)),
        )
        for item in data["waiting"]
    )
    if any(w.kind not in rule.KINDS for w in waiting):
        raise ValueError("a waiting change of an unknown kind")
    return Promise(
        started_at=float(data["started_at"]),
        ends_at=float(data["ends_at"]),
        cool_off=float(data["cool_off"]),
        in_force=data["in_force"],
        waiting=waiting,
        passes=tuple(float(used) for used in data["passes"]),
        next_id=int(data["next_id"]),
        from_damage=bool(data.get("from_damage", False)),
    )


def _toml_of(data: Mapping[str, Any]) -> str:
    """Settings data as a settings file: "" where the data says None (a time or hours off)."""
    # Imported here: the daemon keeps tomlkit out of memory until a promise is written.
    import tomlkit  # noqa: PLC0415

    def plain(value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, Mapping):
            return {key: plain(inner) for key, inner in value.items()}
        if isinstance(value, list | tuple):
            return [plain(inner) for inner in value]
        return value

    return tomlkit.dumps(plain(data))
