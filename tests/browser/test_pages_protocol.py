"""The companion's pages' protocol, through a real host (a subprocess, as browsers start it) and
the daemon's real relay: versions, bounds, unknown kinds, timeouts, and the help list the host
reads itself when nudger is not running."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from nudger.browser import host
from nudger.browser.relay import BrowserRelay
from nudger.core.support import chosen_country
from nudger.shell import i18n
from nudger.shell.pages import PageDesk
from tests.browser.test_host_and_relay import BrowserSide
from tests.desktop.rig import wait_until

Reply = Callable[[dict[str, Any]], None]


class Desk:
    """The daemon's side of the pages, as the test wants it: answers at once, or never."""

    def __init__(self, *, answering: bool = True) -> None:
        self.answering = answering
        self.asked: list[dict[str, Any]] = []

    def take(self, request: dict[str, Any], reply: Reply) -> None:
        self.asked.append(request)
        if self.answering:
            reply(host.page_answered(request["id"], {"kind": request["kind"]}))


def request(kind: str = "today", request_id: str = "r1", **extra: Any) -> dict[str, Any]:
    return {"type": "page", "v": 1, "id": request_id, "kind": kind, "args": {}, **extra}


def reply_to(browser: BrowserSide, request_id: str) -> dict[str, Any]:
    def found() -> dict[str, Any] | None:
        return next(
            (
                m
                for m in browser.received
                if m.get("type") == "page_reply" and m["id"] == request_id
            ),
            None,
        )

    wait_until(lambda: found() is not None, 30, f"the reply to {request_id}")
    answer = found()
    assert answer is not None
    return answer


@pytest.fixture
def connected(env: dict[str, str], relay: BrowserRelay) -> Iterator[tuple[BrowserSide, Desk]]:
    desk = Desk()
    relay.pages = desk
    side = BrowserSide(env)
    side.send({"type": "hello", "version": "test"})
    wait_until(relay.contacts, 30, "the host connected")
    yield side, desk
    side.close()


def test_a_request_is_answered_by_the_daemon_and_only_to_the_host_that_asked(
    env: dict[str, str], relay: BrowserRelay, connected: tuple[BrowserSide, Desk]
) -> None:
    browser, desk = connected
    other = BrowserSide(env)
    try:
        other.send({"type": "hello", "version": "test"})
        browser.send(request("blocklist", "mine"))
        answer = reply_to(browser, "mine")
        assert answer == {
            "type": "page_reply",
            "v": 1,
            "id": "mine",
            "ok": True,
            "data": {"kind": "blocklist"},
        }
        assert [asked["kind"] for asked in desk.asked] == ["blocklist"]
        browser.send(request("today", "second"))
        reply_to(browser, "second")
        assert not [m for m in other.received if m.get("type") == "page_reply"]
    finally:
        other.close()


@pytest.mark.parametrize(
    ("sent", "code"),
    [
        (request("delete_everything"), "unknown_kind"),
        (request("today", v=2), "version"),
        (request("today", v="1"), "version"),
        ({k: v for k, v in request().items() if k != "v"}, "version"),
        (request("today", args=["not", "an", "object"]), "bad_request"),
        (request("block_add", args={"name": "x" * host.MAX_PAGE_REQUEST}), "too_large"),
    ],
)
def test_a_request_out_of_bounds_is_refused_at_once_and_the_daemon_never_asked(
    connected: tuple[BrowserSide, Desk], sent: dict[str, Any], code: str
) -> None:
    browser, desk = connected
    browser.send(sent)
    answer = reply_to(browser, "r1")
    assert answer["ok"] is False
    assert answer["error"]["code"] == code
    assert desk.asked == []


def test_a_request_without_an_id_is_refused_without_one() -> None:
    refused = host.check_page_request({"type": "page", "v": 1, "kind": "today"})
    assert refused is not None and refused["error"]["code"] == "bad_request"
    assert host.check_page_request({**request(), "id": "x" * 65}) is not None
    assert host.check_page_request(request()) is None


def test_a_daemon_that_does_not_answer_is_refused_for_within_the_second(
    connected: tuple[BrowserSide, Desk],
) -> None:
    browser, desk = connected
    desk.answering = False
    browser.send(request("today", "slow"))
    answer = reply_to(browser, "slow")
    assert answer["ok"] is False and answer["error"]["code"] == "timeout"
    assert [asked["id"] for asked in desk.asked] == ["slow"]


def test_a_slow_daemon_still_gets_the_help_list_shown_from_the_hosts_own_table(
    connected: tuple[BrowserSide, Desk],
) -> None:
    browser, desk = connected
    desk.answering = False
    browser.send(request("help", "help", args={"country": "GB", "language": "en"}))
    answer = reply_to(browser, "help")
    assert answer["ok"] is True
    assert answer["data"]["from_host"] == "slow"
    assert answer["data"]["country"] == "GB" and answer["data"]["resources"]


def test_more_requests_waiting_than_the_bound_are_refused_as_busy(
    connected: tuple[BrowserSide, Desk],
) -> None:
    browser, desk = connected
    desk.answering = False
    for number in range(host.MAX_PAGE_PENDING + 1):
        browser.send(request("today", f"r{number}"))
    last = reply_to(browser, f"r{host.MAX_PAGE_PENDING}")
    assert last["error"]["code"] == "busy"
    assert len(desk.asked) == host.MAX_PAGE_PENDING


def test_without_the_daemon_the_pages_are_told_so_and_the_help_list_still_comes(
    env: dict[str, str],
) -> None:
    browser = BrowserSide({**env, "LANG": "de_DE.UTF-8"})
    try:
        browser.send(request("today", "today"))
        assert reply_to(browser, "today")["error"]["code"] == "nudger_stopped"
        browser.send(request("help", "help", args={"language": "de"}))
        data = reply_to(browser, "help")["data"]
        assert data["from_host"] == "stopped"
        assert data["country"] == "DE"  # from the locale, as `nudger help-now` finds it
        talk = [r for r in data["resources"] if r["kind"] == "talk"]
        assert any({"scheme": "tel", "number": "08001110111"} .items() <= link.items()
                   for r in talk for link in r["links"])  # fmt: skip
    finally:
        browser.close()


def test_without_the_daemon_the_help_list_still_shows_the_persons_own_line_and_country(
    env: dict[str, str], tmp_path: Path
) -> None:
    """The launcher carries NUDGER_CONFIG: the host reads [support] itself, so the Talk page
    offers the person's own line and their chosen country while nudger is stopped too."""
    settings = tmp_path / "own.toml"
    settings.write_text('[support]\nline = "call Sam, 0123 456"\ncountry = "es"\n', "utf-8")
    browser = BrowserSide({**env, "LANG": "de_DE.UTF-8", "NUDGER_CONFIG": str(settings)})
    try:
        browser.send(request("help", "help", args={"language": "en"}))
        data = reply_to(browser, "help")["data"]
        assert data["from_host"] == "stopped"
        assert data["country"] == "ES"  # [support] country before the locale's, as help-now
        assert data["own_line"] == "call Sam, 0123 456"
        settings.unlink()
        os.mkfifo(settings)  # not a file: passed over at once, not waited on
        browser.send(request("help", "fifo", args={"language": "en"}))
        assert reply_to(browser, "fifo")["data"]["country"] == "DE"
        settings.unlink()
        settings.write_text("[support\nline = ", "utf-8")  # a typo: the packaged list still shows
        browser.send(request("help", "again", args={"language": "en"}))
        data = reply_to(browser, "again")["data"]
        assert data["country"] == "DE" and data["own_line"] == "" and data["resources"]
    finally:
        browser.close()


def test_the_host_shows_only_what_nudger_s_own_settings_check_would_accept(
    tmp_path: Path,
) -> None:
    settings = tmp_path / "config.toml"
    env = {"NUDGER_CONFIG": str(settings)}
    settings.write_text('[support]\nline = "call Sam"\ncountry = " gb "\n', "utf-8")
    assert host.own_support(env) == ("call Sam", "gb")
    settings.write_text(f'[support]\nline = "{"x" * 161}"\ncountry = "Germany"\n', "utf-8")
    assert host.own_support(env) == ("", "")  # too long; not a two-letter code
    assert host.own_support({}) == ("", "")


@pytest.mark.parametrize("asked", [None, "", "uk", "de"])
@pytest.mark.parametrize("configured", ["", "es", " UK "])
@pytest.mark.parametrize("lang", ["", "C", "en_GB.UTF-8", "pt_BR", "en_UK"])
@pytest.mark.parametrize("hint", [None, "", "fr", "uk"])
def test_the_host_chooses_the_country_in_the_same_order_as_help_now(
    asked: str | None, configured: str, lang: str, hint: str | None
) -> None:
    """The host imports nothing of nudger's, so it has its own copy of the order."""
    environ = {"LANG": lang}
    assert host.chosen_country(asked, configured, environ, hint) == chosen_country(
        asked, configured, environ, hint
    )


def test_the_help_list_links_call_or_text_as_the_contact_says() -> None:
    data = host.help_list("US", "en")
    links: dict[str, set[str]] = {}
    for resource in data["resources"]:
        for link in resource["links"]:
            links.setdefault(link["number"], set()).add(link["scheme"])
    assert links["911"] == {"tel"}
    assert links["741741"] == {"sms"}  # "text HOME to 741741"
    assert links["988"] == {"tel", "sms"}  # "call or text 988"
    assert links["88788"] == {"sms"}  # "call 1-800-799-7233, or text START to 88788"
    assert links["18007997233"] == {"tel"}
    # Each way to reach a line once, though its contact names the number several times.
    for resource in data["resources"]:
        pairs = [(link["scheme"], link["number"]) for link in resource["links"]]
        assert len(pairs) == len(set(pairs)), resource["name"]
    spanish = host.help_list("US", "es")
    assert spanish["resources"][0]["contact"] == "llama al 911"
    nowhere = host.help_list("ZZ", "en")
    assert nowhere["resources"] == [] and nowhere["emergency"] == "112"
    assert nowhere["directory"].startswith("https://")


def test_the_desk_drops_a_request_that_waited_past_its_second() -> None:
    replies: list[dict[str, Any]] = []
    started = threading.Event()
    release = threading.Event()
    desk = PageDesk(lambda _language: pytest.fail("nothing to translate"))

    def slow(_request: Any) -> dict[str, Any]:
        started.set()
        release.wait(30)
        return {}

    desk.answer = slow  # type: ignore[method-assign]
    try:
        desk.take(request("today", "first"), replies.append)
        wait_until(started.is_set, 30, "the first request taken")
        desk.take(request("today", "late"), replies.append)
        time.sleep(host.PAGE_SECONDS)  # the second waits past its second behind the first
        release.set()
        wait_until(lambda: replies, 30, "the first reply")
    finally:
        desk.close()
    assert [r["id"] for r in replies] == ["first"]


def test_the_desk_refuses_an_unknown_kind_in_the_persons_words() -> None:
    replies: list[dict[str, Any]] = []
    desk = PageDesk(i18n.translator_for)
    try:
        desk.take(request("nonsense", args={"language": "de"}), replies.append)
        wait_until(lambda: replies, 30, "the reply")
    finally:
        desk.close()
    assert replies[0]["ok"] is False and replies[0]["error"]["code"] == "refused"
    assert (
        replies[0]["error"]["reason"]
        == "diese Seite hat nach etwas gefragt, das nudger nicht kennt"
    )


def test_no_website_can_load_the_pages_and_they_load_nothing_from_the_network() -> None:
    extension = Path(host.__file__).with_name("extension")
    manifest = json.loads((extension / "manifest.json").read_text(encoding="utf-8"))
    reachable = [r for entry in manifest["web_accessible_resources"] for r in entry["resources"]]
    pages = sorted(path.name for path in (extension / "pages").iterdir())
    assert {"today.html", "blocklist.html", "talk.html", "channel.js"} <= set(pages)
    assert not [r for r in reachable if r.startswith("pages") or r in pages]
    policy = manifest["content_security_policy"]["extension_pages"]
    assert "default-src 'self'" in policy and "connect-src 'none'" in policy
    assert manifest["action"]["default_title"] == "__MSG_actionTitle__"
    for page in (extension / "pages").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "http" not in text and "<script>" not in text, page.name  # nothing inline or far
