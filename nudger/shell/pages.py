"""The daemon's answers to the companion's own pages (Today, Blocklist, Someone to talk to).

The pages ask through the host (browser/host.py checks the protocol: version, size, kind) and the
relay (browser/relay.py), which hands each request here. One worker thread answers them in turn,
so the relay's thread never waits for a settings file or the database. A request that waited
past its second is dropped: the host has refused it already, and a change to the settings must
not be made behind a refusal.

The blocklist is changed exactly as `nudger block` changes it: the settings file's edit lock,
the whole file checked before it is written, an atomic write, comments and layout kept
(settings/edits.py); and while a promise runs, a loosening waits (shell/promise.py) and the page
is told until when.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nudger import paths
from nudger.browser.host import (
    PAGE_SECONDS,
    country_hint,
    help_list,
    page_answered,
)
from nudger.browser.host import page_refused as refused
from nudger.core import patterns
from nudger.core.matching import as_tested
from nudger.core.support import chosen_country
from nudger.core.translate import N_, Said, Translator
from nudger.errors import NudgerError
from nudger.sensing.base import Window
from nudger.settings.catalogue import explain
from nudger.settings.values import Settings
from nudger.shell.loading import Ask, load_here
from nudger.shell.pause import Pause, PauseFile
from nudger.shell.promise import Keeper, description
from nudger.store import Store

if TYPE_CHECKING:
    from nudger.settings.edits import UserConfig

log = logging.getLogger(__name__)

Reply = Callable[[dict[str, Any]], None]
_WAITING = 16  # requests queued at most; more are refused ("busy")
_TEXT = 500  # a name, pattern or app, in characters
_ITEMS = 50  # patterns or apps in one entry
_WEEK_DAYS = 7
_PAUSE_MINUTES = (15, 60, 240, 1440)


class PageDesk:
    """Answers the pages' requests on a thread of its own (see the module's words)."""

    def __init__(
        self,
        translator_for: Callable[[str], Translator],
        user_file: Path | None = None,
        held: Callable[[bool], Settings | None] | None = None,
    ) -> None:
        self._translator_for = translator_for
        # The daemon's settings (in force: True; the file's: False), None when the file changed
        # since it read them; without it (a test) they are read from the file.
        self._held = held
        self._user_file = user_file or paths.user_config_file()  # the daemon's own (--config)
        self._queue: queue.Queue[tuple[dict[str, Any], Reply, float] | None] = queue.Queue(_WAITING)
        self._thread = threading.Thread(target=self._run, name="nudger-pages", daemon=True)
        self._thread.start()

    def take(self, request: dict[str, Any], reply: Reply) -> None:
        try:
            self._queue.put_nowait((request, reply, time.monotonic() + PAGE_SECONDS))
        except queue.Full:
            reply(refused(str(request.get("id", "")), "busy"))

    def close(self) -> None:
        with contextlib.suppress(queue.Full):
            self._queue.put_nowait(None)
        self._thread.join(timeout=2.0)

    def _run(self) -> None:
        while (job := self._queue.get()) is not None:
            request, reply, deadline = job
            if time.monotonic() > deadline:
                continue  # the host has refused it already
            request_id = str(request.get("id", ""))
            try:
                reply(page_answered(request_id, self.answer(request)))
            except NudgerError as error:
                t = self._translator_for(_language(request))
                reply(refused(request_id, "refused", error.in_language(t)))
            except Exception:
                log.exception(N_("a page of the browser companion asked something that failed"))
                reply(refused(request_id, "failed"))

    def answer(self, request: Mapping[str, Any]) -> dict[str, Any]:
        """What the page asked for, as data; NudgerError says why not."""
        args = request.get("args") or {}
        kind = request.get("kind")
        where = self._user_file
        held = self._held or (lambda _in_force: None)
        handlers: dict[str, Callable[[Mapping[str, Any]], dict[str, Any]]] = {
            "today": lambda _args: today(
                where, self._translator_for(_language(request)), held(False)
            ),
            "blocklist": lambda _args: blocklist(where, held(True)),
            "block_test": lambda a: block_test(where, a, held(True)),
            "block_add": lambda a: change_blocklist(where, "add", a),
            "block_edit": lambda a: change_blocklist(where, "edit", a),
            "block_remove": lambda a: change_blocklist(where, "remove", a),
            "help": lambda a: help_now(where, a, held(False)),
            "pause": lambda a: pause(where, a),
            "resume": lambda _args: resume(),
        }
        handler = handlers.get(str(kind))
        if handler is None:
            raise NudgerError(Said(N_("this page asked for something nudger does not know")))
        return handler(args if isinstance(args, Mapping) else {})


def _language(request: Mapping[str, Any]) -> str:
    args = request.get("args") or {}
    language = args.get("language") if isinstance(args, Mapping) else None
    return language if language in {"en", "de", "es"} else "en"


# -- reading ------------------------------------------------------------------------------------


def _settings(user_file: Path, given: Settings | None, *, promise: bool) -> Settings:
    """The daemon's settings in force when it hands them (`given`: a page has a second to be
    answered in, and the daemon holds them already); else as the commands read them: the
    file, or the last good ones when broken."""
    if given is not None:
        return given
    ask = Ask(user_file, paths.data_dir(), time.time(), strict=False, promise=promise)
    loaded = load_here(ask).config
    assert loaded is not None  # not strict: the last good settings, or the defaults
    return loaded.settings


def today(
    user_file: Path, translator: Translator, settings: Settings | None = None
) -> dict[str, Any]:
    """What `nudger summary --json` says of today, and of the week up to today: every device's
    when the person shares through a folder, as the summary counts them."""
    # The summary's modules (and pygal's neighbours) load when a page first asks for Today:
    # the daemon does not carry them otherwise.
    from nudger.report import json_report  # noqa: PLC0415
    from nudger.shell import devices  # noqa: PLC0415
    from nudger.shell.reporting import Reporting  # noqa: PLC0415

    settings = _settings(user_file, settings, promise=False)
    store = Store.open_for_reading(paths.database_file())
    try:
        source = devices.across(store, settings, translator, paths.data_dir())
        reporting = Reporting.open(settings, store, translator, source)
        day = reporting.days.day_of(time.time())
        week = reporting.history.range(day - dt.timedelta(days=_WEEK_DAYS - 1), day)
        document = json_report.day_document(reporting.history.day(day), reporting.tz)
        week_document = json_report.range_document(week, reporting.tz)
    finally:
        store.close()
    counted = devices.listed(paths.data_dir())
    if counted is not None:
        document["devices"] = counted
    pause_now = PauseFile(paths.data_dir()).current(time.time())
    return {
        "day": document,
        "week": week_document,
        "paused_until": None if pause_now is None else pause_now.until,
    }


def blocklist(user_file: Path, settings: Settings | None = None) -> dict[str, Any]:
    """The entries as the settings file has them (what `nudger block list` shows)."""
    entries = _settings(user_file, settings, promise=True).blocklist
    return {
        "entries": [
            {"name": entry.name, "match": list(entry.match), "apps": list(entry.apps)}
            for entry in entries
        ]
    }


def block_test(
    user_file: Path, args: Mapping[str, Any], settings: Settings | None = None
) -> dict[str, Any]:
    """What `nudger block test` says of a title or an address, and whether the patterns being
    typed are ones nudger takes."""

    text = _text(args.get("text", ""))
    draft = _texts(args.get("match", []))
    problems = {}
    for pattern in draft:
        try:
            patterns.check(pattern)
        except patterns.PatternError as error:
            problems[pattern] = str(error)
    return {
        "matches": _explain(_settings(user_file, settings, promise=True), text),
        "problems": problems,
    }


def _explain(settings: Settings, text: str) -> list[dict[str, str]]:
    """As `nudger block test TEXT` tests it: an address alone, or else a browser tab's title."""

    if not text.strip():
        return []
    title, url = as_tested(text)
    return [
        {
            "kind": found.kind,
            "target": found.target,
            "signal": found.signal,
            "pattern": found.pattern,
        }
        for found in explain(settings, Window(app="chromium", title=title, url=url))
    ]


# -- changing -----------------------------------------------------------------------------------


@contextlib.contextmanager
def _editing(user_file: Path) -> Iterator[UserConfig]:
    """The settings file held for one read, check and write, as `nudger block` holds it."""
    # tomlkit, which editing needs, is loaded only when a page changes the blocklist: the
    # daemon does not carry it otherwise.
    from nudger.settings.edits import UserConfig, edit_lock  # noqa: PLC0415

    path = user_file
    from nudger.settings import loader  # noqa: PLC0415 - pydantic: only for a change

    with edit_lock(path):
        loader.load(user_file)  # refuse to edit on top of a file that is broken already
        yield UserConfig(path)


def change_blocklist(user_file: Path, action: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """Add, change or remove an entry; returns the entries and what of it waits for a promise."""
    began = time.time()
    name = _text(args.get("name", "")).strip()
    match, apps = _texts(args.get("match", [])), _texts(args.get("apps", []))
    with _editing(user_file) as config:
        if action == "add":
            config.add_rule("blocklist", name, match, apps)
        elif action == "edit":
            rename = _text(args.get("rename", "")).strip() or None
            config.edit_rule("blocklist", name, rename=rename, match=match, apps=apps)
        else:
            config.remove_rule("blocklist", name)
        config.save()
    return {**blocklist(user_file), "waiting": _waiting_since(config.path, began)}


def _waiting_since(user_file: Path, since: float) -> list[dict[str, Any]]:
    """The changes of this edit that a running promise holds back, and when each applies."""

    keeper = Keeper(user_file, paths.data_dir())
    now = time.time()
    try:
        promise, _repaired = keeper.current(now)
    except (OSError, ValueError):
        return []
    if promise is None:
        return []
    found = []
    for waiting in promise.waiting:
        if waiting.kind == "change" and waiting.since >= since:
            kind, values = description(waiting.change)
            shown = {key: str(value) for key, value in values.items()}
            found.append({"due": waiting.due, "what": kind, "values": shown})
    return found


def help_now(
    user_file: Path, args: Mapping[str, Any], settings: Settings | None = None
) -> dict[str, Any]:
    """The help-now list: the person's own line, and their country's services."""

    own_line, configured = "", ""
    with contextlib.suppress(Exception):  # a typo must never stand between someone and this
        support = _settings(user_file, settings, promise=False).support
        own_line, configured = support.line, support.country
    asked = args.get("country")
    asked = asked if isinstance(asked, str) else None
    country = chosen_country(asked, configured, os.environ, country_hint(args))
    return help_list(country, _language({"args": args}), own_line)


def pause(user_file: Path, args: Mapping[str, Any]) -> dict[str, Any]:
    """Pause nudges, as `nudger pause` does (a promise makes the pause wait its cool-off)."""

    minutes = args.get("minutes", 60)
    if minutes not in _PAUSE_MINUTES:
        minutes = 60
    now = time.time()
    waiting = Keeper(user_file, paths.data_dir()).ask("pause", now, minutes * 60)
    if waiting is not None:
        return {"paused_until": None, "waits_until": waiting.due}
    PauseFile(paths.data_dir()).set(Pause(until=now + minutes * 60, set_at=now))
    return {"paused_until": now + minutes * 60}


def resume() -> dict[str, Any]:

    return {"was_paused": PauseFile(paths.data_dir()).clear(), "paused_until": None}


def _text(value: Any) -> str:
    return value[:_TEXT] if isinstance(value, str) else ""


def _texts(values: Any) -> list[str]:
    if not isinstance(values, list):
        return []
    return [text for value in values[:_ITEMS] if (text := _text(value).strip())]
