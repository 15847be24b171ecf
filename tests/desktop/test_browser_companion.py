"""The browser companion in real Chromium and real Firefox ESR, on the real test desktop, with
the real daemon: the exact page counts, unmatched addresses go nowhere, the pause holds the ex's
page back, and the companion survives the daemon and a desktop nudger cannot read.

The host is installed by `nudger browser install`, the extension is the one in the package, and
the pages come from a local stand-in at the real sites' addresses (see browser_rig.py).
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from tests.desktop.browser_rig import (
    BROWSERS,
    EXTENSION_ID,
    ChromiumCompanion,
    CompanionBrowser,
    FirefoxCompanion,
    StandIn,
    address,
)
from tests.desktop.rig import Desktop, chromium_binary, wait_until
from tests.nudger_process import NudgerDaemon, isolated_env, run_cli

HOST = "www.instagram.com"
EX_PAGE = "/alexdoe/"
BLOCKLIST = """
[[blocklist]]
name = "Alex"
match = ["instagram.com/alexdoe"]
"""
# A page that matches nothing, with words to look for afterwards.
QUIET_HOST = "www.quiet-garden.org"
QUIET_PAGE = "/secret-trail-7731/"
QUIET_TITLE = "Seed swap notes 7731"
TITLES = {EX_PAGE: "Instagram", "/alexdoe/reels/": "Instagram", QUIET_PAGE: QUIET_TITLE}


@pytest.fixture(params=sorted(BROWSERS))
def browser_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def stand_in(tmp_path: Path) -> Iterator[StandIn]:
    site = StandIn(tmp_path, dict(TITLES)).start()
    yield site
    site.stop()


class Companion:
    """One test's world: a daemon, a browser with the companion, and the stand-in sites."""

    def __init__(self, tmp: Path, desktop: Desktop, stand_in: StandIn, browser_name: str) -> None:
        self.tmp, self.desktop, self.stand_in = tmp, desktop, stand_in
        self.env = isolated_env(tmp, desktop.env)
        self.daemons: list[NudgerDaemon] = []
        self.browser: CompanionBrowser = BROWSERS[browser_name](desktop, stand_in, self.env)

    def start_daemon(self, config: str, env: dict[str, str] | None = None) -> NudgerDaemon:
        daemon = NudgerDaemon(self.tmp, env or self.env, config).start()
        self.daemons.append(daemon)
        return daemon

    def start_browser(self, daemon: NudgerDaemon, holding: int, *, remote: bool = False) -> None:
        self.browser.install_host()
        self.browser.start(remote=remote)
        self.wait_connected(daemon, holding=holding)

    def wait_connected(self, daemon: NudgerDaemon, since: float = 0.0, holding: int = 0) -> None:
        """Until the browser spoke after `since`, and holds `holding` addresses back."""

        def spoke() -> bool:
            status = daemon.status() or {}
            return any(
                b["connected"] and b["last_seen"] > since and b["holding"] == holding
                for b in status.get("browsers", [])
            )

        wait_until(spoke, 60, f"{self.browser.name}'s extension to speak to the daemon")

    def open(self, host: str, path: str) -> None:
        self.browser.open(address(self.browser, host, path))

    def pauses(self, daemon: NudgerDaemon) -> list[tuple[object, ...]]:
        return daemon.query(
            "SELECT kind, target, action, heeded, channel, delivered FROM nudges "
            "WHERE reason = 'pause' ORDER BY id"
        )

    def stop(self) -> None:
        for daemon in self.daemons:
            daemon.stop()


@pytest.fixture
def companion(
    tmp_path: Path, desktop: Desktop, stand_in: StandIn, browser_name: str
) -> Iterator[Companion]:
    world = Companion(tmp_path, desktop, stand_in, browser_name)
    yield world
    world.stop()


def everything_written(daemon: NudgerDaemon) -> bytes:
    """Every byte nudger wrote: its data folder (database, WAL, logs, status) and its output."""
    blobs = [daemon.output.read_bytes()]
    for path in sorted(daemon.data_dir.rglob("*")):
        if path.is_file() and not path.is_socket():
            blobs.append(path.read_bytes())
    return b"\n".join(blobs)


def test_the_exact_page_counts_and_an_unmatched_address_goes_nowhere(
    companion: Companion,
) -> None:
    daemon = companion.start_daemon("[browser]\npause_seconds = 0\n" + BLOCKLIST)
    daemon.wait_watching()
    companion.start_browser(daemon, holding=0)
    browser = companion.browser

    opened = time.time()
    companion.open(QUIET_HOST, QUIET_PAGE)
    browser.wait_title(QUIET_TITLE)
    companion.wait_connected(daemon, since=opened)  # the daemon heard about that page
    time.sleep(2)

    # A direct-message page titled just "Instagram": only its address says whose it is.
    companion.open(HOST, EX_PAGE)
    browser.wait_title("Instagram")
    daemon.wait_for_visit("blocklist", "Alex", min_seconds=2, timeout=20)
    # (While it loads, the tab's title may be its address; once loaded, only the address tells.)
    signals = daemon.query("SELECT DISTINCT signal FROM visits WHERE kind = 'blocklist'")
    assert ("url",) in signals
    assert daemon.stop() == 0

    written = everything_written(daemon)
    for secret in (QUIET_HOST, QUIET_PAGE.strip("/"), QUIET_TITLE, "alexdoe"):
        assert secret.encode() not in written, f"{secret!r} was written somewhere"
    assert b"Alex" in written  # the entry's name is what a visit is recorded under


def test_stepping_away_the_moment_the_pause_shows_is_recorded_once(companion: Companion) -> None:
    """Escape as soon as the pause page shows, before the companion has even told nudger of the
    pause: the pause and its answer arrive in order, one pause, stepped away."""
    daemon = ready(companion)
    browser = companion.browser
    companion.open(HOST, EX_PAGE)
    browser.wait_title(PAUSE)
    browser.press_on_pause("away")  # no wait for the pause to be recorded
    wait_until(lambda: browser.title() != PAUSE, 30, "the pause to go")
    stepped_away = [("blocklist", "Alex", "away", 1, "browser", 1)]
    wait_until(
        lambda: companion.pauses(daemon) == stepped_away,
        30,
        lambda: f"one pause, stepped away (recorded: {companion.pauses(daemon)})",
    )
    time.sleep(1)  # nothing more arrives after it
    assert companion.pauses(daemon) == stepped_away
    assert companion.stand_in.fetched(EX_PAGE) == 0


def test_the_pause_holds_the_page_back_and_both_answers_work(companion: Companion) -> None:
    config = "[browser]\npause_seconds = 1\npause_again_minutes = 10\n" + BLOCKLIST
    daemon = companion.start_daemon(config)
    daemon.wait_watching()
    companion.start_browser(daemon, holding=1)
    browser = companion.browser
    stand_in = companion.stand_in

    # The pause comes instead of the page: the page is not even asked for.
    companion.open(HOST, EX_PAGE)
    browser.wait_title("A moment")
    assert stand_in.fetched(EX_PAGE) == 0
    step_away(companion, daemon, 0)  # once the pause stands (recorded), as a person sees it
    stepped_away = [("blocklist", "Alex", "away", 1, "browser", 1)]
    wait_until(lambda: companion.pauses(daemon) == stepped_away, 30, "the answer recorded")
    assert stand_in.fetched(EX_PAGE) == 0

    # Go on opens the page, after the breath.
    companion.open(HOST, EX_PAGE)
    browser.wait_title("A moment")
    _go_on(companion, daemon, 2)
    browser.wait_title("Instagram")
    assert stand_in.fetched(EX_PAGE) == 1
    went_on = ("blocklist", "Alex", "go_on", 0, "browser", 1)
    wait_until(lambda: companion.pauses(daemon)[1:] == [went_on], 30, "the second answer")

    # No second pause in that tab for pause_again_minutes: a reload, and another of its pages.
    browser.keys("F5")
    wait_until(lambda: stand_in.fetched(EX_PAGE) == 2, 30, "the reload")
    browser.go_to(address(browser, HOST, "/alexdoe/reels/"))
    wait_until(lambda: stand_in.fetched("/alexdoe/reels/") == 1, 30, "the reels page")
    browser.wait_title("Instagram")
    time.sleep(1)
    assert len(companion.pauses(daemon)) == 2

    summary = json.loads(run_cli(daemon.env, "summary", "--json").stdout)
    assert summary["nudges"]["pauses"] == 2
    assert summary["nudges"]["stepped_away"] == 1
    assert summary["nudges"]["sent"] == 0  # a pause is not a notification
    status = run_cli(daemon.env, "browser", "status")
    assert status.returncode == 0
    assert ": connected; the extension last spoke" in status.stdout
    assert "it pauses before 1 address" in status.stdout

    # `nudger pause` quiets the browser too, and `nudger resume` brings the pause back.
    assert run_cli(daemon.env, "pause", "1h").returncode == 0
    companion.wait_connected(daemon, holding=0)
    companion.open(HOST, EX_PAGE)
    browser.wait_title("Instagram")
    assert run_cli(daemon.env, "resume").returncode == 0
    companion.wait_connected(daemon, holding=1)


def test_the_companion_outlives_the_daemon_and_needs_no_window_sensor(
    companion: Companion,
) -> None:
    first = companion.start_daemon("[browser]\npause_seconds = 1\n" + BLOCKLIST)
    first.wait_watching()
    companion.start_browser(first, holding=1)
    browser = companion.browser
    assert first.stop() == 0

    # With nudger stopped, the browser holds nothing back: stopping nudger stops its pause.
    companion.open(HOST, EX_PAGE)
    browser.wait_title("Instagram")
    assert companion.stand_in.fetched(EX_PAGE) == 1

    # nudger again, on a desktop where it can read no window at all.
    blind = dict(companion.env)
    for key in ("DISPLAY", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE", "XDG_CURRENT_DESKTOP"):
        blind.pop(key, None)
    started = time.time()
    second = companion.start_daemon("[browser]\npause_seconds = 1\n" + BLOCKLIST, blind)
    companion.wait_connected(second, since=started, holding=1)
    assert not (second.status() or {}).get("sensor_connected")

    # The rules reach the browser again (a pause), and the browser alone says what is in front.
    companion.open(HOST, EX_PAGE)
    browser.wait_title("A moment")
    time.sleep(1.5)
    browser.press_on_pause("on")
    browser.wait_title("Instagram")
    second.wait_for_visit("blocklist", "Alex", min_seconds=2, timeout=20)
    signals = second.query("SELECT DISTINCT signal FROM visits WHERE kind = 'blocklist'")
    assert ("url",) in signals


@pytest.mark.parametrize(("language", "title"), [("de", "Ein Moment"), ("es", "Un momento")])
def test_the_pause_speaks_the_browsers_language(
    tmp_path: Path, desktop: Desktop, stand_in: StandIn, language: str, title: str
) -> None:
    """Chromium with a German or Spanish UI shows the pause in that language (_locales/)."""
    world = Companion(tmp_path, desktop, stand_in, "chromium")
    try:
        daemon = world.start_daemon("[browser]\npause_seconds = 1\n" + BLOCKLIST)
        daemon.wait_watching()
        world.browser.ui_language = {"LANGUAGE": language}
        world.start_browser(daemon, holding=1)
        world.open(HOST, EX_PAGE)
        world.browser.wait_title(title)
    finally:
        world.stop()


# -- every way a page opens (issue 23) ----------------------------------------------------------

PAUSE = "A moment"
PAUSED = "[browser]\npause_seconds = 1\npause_again_minutes = 10\n"


def ready(
    companion: Companion,
    config: str = PAUSED + BLOCKLIST,
    holding: int = 1,
    *,
    remote: bool = False,
) -> NudgerDaemon:
    daemon = companion.start_daemon(config)
    # Generous: 10,000 entries take the daemon a while on a loaded machine.
    daemon.wait_watching(timeout=60)
    companion.start_browser(daemon, holding=holding, remote=remote)
    return daemon


def pauses_recorded(companion: Companion, daemon: NudgerDaemon) -> int:
    return len(companion.pauses(daemon))


def companion_kept(companion: Companion) -> str:
    """What the companion keeps for its tabs (storage.session), read from the pause page, for a
    failure's message: whether it held the page back, and what waits for nudger."""
    if not companion.browser.remote:
        return "(started without remote=True: the companion's keeping is not read)"
    try:
        kept = companion.browser.in_pause_page(
            "(globalThis.browser ?? chrome).storage.session.get(null)"
        )
    except (AssertionError, NotImplementedError, OSError, KeyError) as error:
        return f"(the companion's keeping could not be read: {error!r})"
    return f"the companion keeps {kept!r}"


def wait_recorded(companion: Companion, daemon: NudgerDaemon, count: int) -> None:
    """Until `count` pauses are recorded. Generous: a starved Firefox takes its time to run the
    pause page's question, and the page itself waits up to 15 s for the navigation's listener."""
    wait_until(
        lambda: pauses_recorded(companion, daemon) == count,
        45,
        lambda: (
            f"{count} pause(s) recorded (recorded: {companion.pauses(daemon)}); "
            f"{companion_kept(companion)}; the daemon's log:\n{daemon.log()[-3000:]}"
        ),
    )


def step_away(companion: Companion, daemon: NudgerDaemon, recorded: int) -> None:
    """Escape on the pause, once it stands (recorded, as a person would see it first): the tab
    closes (or goes back), and the answer is recorded."""
    wait_until(
        lambda: pauses_recorded(companion, daemon) > recorded,
        30,
        lambda: (
            f"the pause recorded; {companion_kept(companion)}; "
            f"the daemon's log:\n{daemon.log()[-3000:]}"
        ),
    )
    companion.browser.press_on_pause("away")
    wait_until(lambda: companion.browser.title() != PAUSE, 30, "the pause to go")
    wait_until(
        lambda: [row[2] for row in companion.pauses(daemon)][recorded:] == ["away"],
        30,
        lambda: f"the answer recorded (recorded: {companion.pauses(daemon)})",
    )


# The ex's stories, m.instagram.com, a dot after the host, an empty segment, and a non-ASCII
# name, written out and escaped.
EVERY_ADDRESS_FORM = (
    ("www.instagram.com", "/stories/alexdoe/3456/"),
    ("www.instagram.com", "/stories/ALEXDOE/"),
    ("m.instagram.com", "/alexdoe"),
    ("instagram.com.", "/alexdoe/"),
    ("www.instagram.com", "//alexdoe"),
    ("www.instagram.com", "/%C3%A5lex/"),
    ("www.instagram.com", "/ålex/"),
)


def test_the_stories_the_mobile_host_and_every_address_form_are_held_back(
    companion: Companion,
) -> None:
    """Each form in turn, in its own tab of one browser: the browser's own rules hold it back
    before the page is asked for, and each pause is recorded and stepped away from."""
    config = PAUSED + BLOCKLIST.replace('alexdoe"]', 'alexdoe", "instagram.com/ålex"]')
    daemon = ready(companion, config, holding=2)
    browser = companion.browser
    for recorded, (host, path) in enumerate(EVERY_ADDRESS_FORM):
        browser.open(address(browser, host, path))
        wait_until(
            lambda: browser.title() == PAUSE,
            20,
            lambda h=host, p=path: f"the pause for {h}{p} (in front: {browser.title()!r})",
        )
        step_away(companion, daemon, recorded)
    assert companion.stand_in.requests == []  # not one of them asked for


@pytest.mark.parametrize("browser_name", ["chromium"])
def test_a_navigation_the_browser_never_reported_is_still_paused_and_recorded(
    companion: Companion,
) -> None:
    """Firefox does not always report the navigation of a tab that has only just opened
    (webNavigation.onBeforeNavigate); the pause page then found nothing held and nothing was
    recorded. The rule's own redirect to the pause says which page it holds back. Chromium
    stands in for that Firefox here: its report is taken away (the listener removed in the
    running service worker, as its DevTools can), and the pause must still stand."""
    daemon = ready(companion, remote=True)
    browser = companion.browser
    assert isinstance(browser, ChromiumCompanion)
    assert browser.in_background(
        "chrome.webNavigation.onBeforeNavigate.removeListener(navigationBegins),"
        " !chrome.webNavigation.onBeforeNavigate.hasListener(navigationBegins)"
    )
    companion.open(HOST, EX_PAGE)
    browser.wait_title(PAUSE)
    step_away(companion, daemon, 0)
    assert companion.pauses(daemon) == [("blocklist", "Alex", "away", 1, "browser", 1)]
    assert companion.stand_in.fetched(EX_PAGE) == 0


def test_an_escaped_letter_is_paused_right_after_it_shows(companion: Companion) -> None:
    """/%61lexdoe is /alexdoe to the site; the browsers keep the escape, so their rules do not
    see the name: the extension sees the page arrive and puts the pause in front."""
    daemon = ready(companion)
    companion.open(HOST, "/%61lexdoe/")
    companion.browser.wait_title(PAUSE)
    wait_recorded(companion, daemon, 1)
    # Stepping away does not go back onto the ex's page that showed a moment before the pause
    # (it is the tab's page before it), and that page does not come back as a second pause.
    step_away(companion, daemon, 0)
    companion.open(QUIET_HOST, "/later/")  # a later page: the daemon has heard everything
    companion.browser.wait_title("Page /later/")
    assert companion.stand_in.fetched("/%61lexdoe/") == 1
    assert [row[2] for row in companion.pauses(daemon)] == ["away"]


def test_an_in_page_navigation_to_the_ex_s_page_goes_to_the_pause(companion: Companion) -> None:
    """Instagram's own links change the address with history.pushState: no request at all."""
    companion.stand_in.titles["/explore/"] = "Explore"
    companion.stand_in.more = lambda path: (
        "<script>setTimeout(() => { history.pushState({}, '', '/alexdoe/'); "
        "document.title = 'Instagram'; }, 500);</script>"
        if path == "/explore/"
        else ""
    )
    daemon = ready(companion)
    companion.open(HOST, "/explore/")
    companion.browser.wait_title(PAUSE)
    assert companion.stand_in.fetched(EX_PAGE) == 0
    wait_recorded(companion, daemon, 1)
    # Go on, after the breath: the page opens and stays.
    _go_on(companion, daemon)
    companion.browser.wait_title("Instagram")
    assert companion.stand_in.fetched(EX_PAGE) == 1


def test_stepping_away_from_an_in_page_pause_goes_back_past_the_ex_s_page(
    companion: Companion,
) -> None:
    """The tab's page before the pause is the ex's address, pushed in-page by a click on a
    link: Step away passes it (no second pause for it) and lands on the page before it, where
    the person was."""
    companion.stand_in.titles["/explore/"] = "Explore (loading)"
    # A click moves in-page (as Instagram's links do; Chromium's Back skips entries pushed
    # without a click); the title says when the page listens, and that it is back on /explore/
    # (from the browser's cache or not).
    companion.stand_in.more = lambda path: (
        "<script>addEventListener('popstate', () => { document.title = 'Explore'; });"
        "addEventListener('click', () => { history.pushState({}, '', '/alexdoe/');"
        "document.title = 'Instagram'; }); document.title = 'Explore';</script>"
        if path == "/explore/"
        else ""
    )
    daemon = ready(companion)
    companion.open(HOST, "/explore/")
    browser = companion.browser
    browser.wait_title("Explore")

    def clicked() -> bool:
        # A click can go to the window rather than the page on a loaded desktop: again, then.
        if browser.title() == "Explore":
            browser.click_page()
        return browser.title() != "Explore"

    wait_until(clicked, 30, "the click to move in-page", step=2)
    browser.wait_title(PAUSE)
    wait_recorded(companion, daemon, 1)
    step_away(companion, daemon, 0)
    companion.browser.wait_title("Explore")
    companion.open(QUIET_HOST, "/later/")  # a later page: the daemon has heard everything
    companion.browser.wait_title("Page /later/")
    assert companion.stand_in.fetched(EX_PAGE) == 0
    assert [row[2] for row in companion.pauses(daemon)] == ["away"]


def _go_on(companion: Companion, daemon: NudgerDaemon, pauses: int = 1) -> None:
    """Press Go on once the pause stands (recorded) and its breath (1 s) is over."""
    wait_until(lambda: pauses_recorded(companion, daemon) >= pauses, 30, "the pause recorded")
    # The breath itself (1 s), and the page's answer on a loaded machine: Go on is disabled
    # until then by design, and pressed too early the keys land in the address bar.
    time.sleep(4)
    companion.browser.press_on_pause("on")


def test_a_server_redirect_into_the_blocklist_is_held_back(companion: Companion) -> None:
    """A 302 from /go/ to the ex's page. Firefox tells the extension about the redirect: the
    pause is recorded and Go on opens the page. Chromium holds the page back too, but the
    extension does not learn the address: the pause says the moment has passed (README)."""
    companion.stand_in.redirects["/go/"] = "/alexdoe/"
    daemon = ready(companion)
    companion.open(HOST, "/go/")
    companion.browser.wait_title(PAUSE)
    assert companion.stand_in.fetched(EX_PAGE) == 0
    if companion.browser.name == "chromium":
        companion.browser.press_on_pause("away")  # "Close this tab": it closes
        wait_until(lambda: companion.browser.title() != PAUSE, 20, "the pause to close")
        assert pauses_recorded(companion, daemon) == 0  # nothing recorded that was not shown
        assert companion.stand_in.fetched(EX_PAGE) == 0
        return
    _go_on(companion, daemon)
    companion.browser.wait_title("Instagram")
    assert companion.stand_in.fetched(EX_PAGE) == 1
    wait_until(
        lambda: [row[2] for row in companion.pauses(daemon)] == ["go_on"], 30, "go on recorded"
    )


def test_back_onto_an_old_pause_page_says_the_moment_has_passed(companion: Companion) -> None:
    daemon = ready(companion)
    browser = companion.browser
    companion.open(HOST, EX_PAGE)
    browser.wait_title(PAUSE)
    wait_recorded(companion, daemon, 1)
    _go_on(companion, daemon)
    browser.wait_title("Instagram")
    browser.go_to(address(browser, "www.quiet-garden.org", "/elsewhere/"))
    browser.wait_title("Page /elsewhere/")
    # Back twice: past the profile, onto the old pause page.
    browser.keys("alt+Left")
    browser.wait_title("Instagram")
    browser.keys("alt+Left")
    wait_until(lambda: browser.title() in (PAUSE, "Instagram"), 30, "going back")
    if browser.title() == PAUSE:
        # Nothing to hold: the page says so, and stepping away still steps away (closes).
        browser.press_on_pause("away")
        wait_until(lambda: browser.title() != PAUSE, 30, "stepping away from the old pause")
    assert pauses_recorded(companion, daemon) == 1  # recorded once, for the real redirect


def test_a_site_cannot_read_or_frame_the_pause_page(companion: Companion) -> None:
    """A page asks for the pause page by its fixed address and frames it: the browser does not
    give it out (use_dynamic_url), and no pause is ever recorded for it."""
    if companion.browser.name != "chromium":
        pytest.skip("Firefox gives each installation its own random extension address")
    pause_url = f"chrome-extension://{EXTENSION_ID}/pause.html"
    companion.stand_in.more = lambda path: (
        f"<iframe src='{pause_url}'></iframe><script>"
        f"fetch('{pause_url}').then(() => document.title = 'probe: readable',"
        " () => document.title = 'probe: refused');</script>"
        if path == "/probe/"
        else ""
    )
    daemon = ready(companion)
    companion.open("www.quiet-garden.org", "/probe/")
    companion.browser.wait_title("probe: refused")
    companion.open(HOST, "/go-nowhere/")  # a later page: the daemon has heard everything
    companion.browser.wait_title("Page /go-nowhere/")
    assert pauses_recorded(companion, daemon) == 0


@pytest.mark.parametrize("count", [1001, 10_000])
def test_a_long_blocklist_is_held_back_and_status_says_so(companion: Companion, count: int) -> None:
    """Chromium refuses more than 1,000 regex rules at once; packed, every entry fits."""
    names = ", ".join(f'"instagram.com/person{i:05d}"' for i in range(count - 1))
    config = PAUSED + BLOCKLIST.replace('alexdoe"]', f'alexdoe", {names}]')
    daemon = ready(companion, config, holding=count)
    companion.open(HOST, f"/person{count - 2:05d}/")
    companion.browser.wait_title(PAUSE)
    companion.open(HOST, "/stories/alexdoe/1/")
    companion.browser.wait_title(PAUSE)
    status = run_cli(daemon.env, "browser", "status")
    assert f"it pauses before {count} addresses" in status.stdout
    assert "only counted" not in status.stdout


PRIVATE_TITLE = "Sam Lee (@samlee) • Instagram photos and videos"


def test_a_private_window_is_counted_by_its_title(companion: Companion) -> None:
    """The extension does not run in private windows unless allowed; the window's title still
    counts the site, once the browser's private-window words are taken off its end
    ("— Mozilla Firefox Private Browsing" in Firefox)."""
    companion.stand_in.titles["/samlee/"] = PRIVATE_TITLE
    daemon = companion.start_daemon("[browser]\npause_seconds = 0\n" + BLOCKLIST)
    daemon.wait_watching()
    companion.start_browser(daemon, holding=0)
    browser = companion.browser
    url = address(browser, HOST, "/samlee/")
    if isinstance(browser, FirefoxCompanion):
        argv = ["firefox-esr", "--profile", str(browser.profile), "--private-window", url]
        env = {**companion.desktop.env, **browser._env()}
    else:
        assert isinstance(browser, ChromiumCompanion)
        argv = [chromium_binary(), *browser._flags(), "--incognito", url]
        env = {**companion.desktop.env, "HOME": str(browser.home)}
    subprocess.run(argv, env=env, check=True, capture_output=True, timeout=30)
    desktop = companion.desktop

    def in_front() -> bool:
        # The window manager may leave a new window of a running browser behind: bring it.
        if PRIVATE_TITLE in desktop._title_of(desktop.active_window()):
            return True
        wid = desktop._find_window(PRIVATE_TITLE)
        if wid:
            subprocess.run(["xdotool", "windowactivate", str(wid)], env=desktop.env, check=False)
        return False

    wait_until(in_front, 30, "the private window in front", step=1)
    daemon.wait_for_visit("site", "Instagram", min_seconds=2, timeout=30)
    signals = daemon.query("SELECT DISTINCT signal FROM visits WHERE target = 'Instagram'")
    assert ("title",) in signals


# -- the browser's own switches, and the background stopping (issue 23) ------------------------


def contact(daemon: NudgerDaemon) -> dict[str, object]:
    """What the daemon last heard from the one browser of the test."""
    browsers = (daemon.status() or {}).get("browsers", [])
    assert len(browsers) <= 1, browsers
    return dict(browsers[0]) if browsers else {}


def said(daemon: NudgerDaemon, *command: str) -> str:
    result = run_cli(daemon.env, *command)
    return result.stdout + result.stderr


def test_site_access_withdrawn_the_pause_comes_after_the_page_and_nudger_says_so(
    companion: Companion,
) -> None:
    """Firefox lists the companion's access to every site as a switch the person may turn off
    (about:addons, the extension, Permissions); Chromium offers "Site access: On click". The
    test turns it off as those switches do (Firefox: ExtensionPermissions.remove, through
    Marionette; Chromium: chrome.developerPrivate from chrome://extensions, through DevTools).
    Then the browser's rules cannot redirect: the page is asked for and shows, the extension sees
    it arrive and puts the pause in front, the page is still counted, and `browser status` and
    `doctor` say the pause is off and how to turn it on."""
    daemon = ready(companion, remote=True)
    browser, stand_in = companion.browser, companion.stand_in
    browser.withdraw_site_access()
    wait_until(lambda: contact(daemon).get("site_access") is False, 30, "the switch noticed")
    for command in (("browser", "status"), ("doctor",)):
        text = said(daemon, *command)
        assert "the pause is off: the extension may not access websites" in text, text
        assert "switch on access to all websites" in text, text
        assert "it pauses before" not in text, text

    companion.open(HOST, EX_PAGE)
    browser.wait_title(PAUSE, timeout=30)
    assert stand_in.fetched(EX_PAGE) == 1  # asked for and shown: the rules could not hold it
    _go_on(companion, daemon)
    browser.wait_title("Instagram")
    wait_until(lambda: [r[2] for r in companion.pauses(daemon)] == ["go_on"], 30, "go on")
    daemon.wait_for_visit("blocklist", "Alex", min_seconds=2, timeout=30)  # still counted
    signals = daemon.query("SELECT DISTINCT signal FROM visits WHERE kind = 'blocklist'")
    assert ("url",) in signals


SWITCHED_OFF_TITLE = "Alex Doe (@alexdoe) • Instagram photos and videos"


def test_the_extension_switched_off_the_page_is_counted_by_its_title_and_status_says_so(
    companion: Companion,
) -> None:
    """The person switches the companion off in the browser while it runs (Chromium: the switch
    in chrome://extensions, chrome.management.setEnabled; Firefox: about:addons' switch,
    AddonManager's disable). Nothing holds the ex's page back any more; the window's title still
    counts it; `browser status` and `doctor` say the extension is off, not that the browser
    closed."""
    companion.stand_in.titles[EX_PAGE] = SWITCHED_OFF_TITLE
    config = PAUSED + BLOCKLIST.replace('alexdoe"]', 'alexdoe", "Alex Doe"]')
    daemon = ready(companion, config, remote=True)
    browser, stand_in = companion.browser, companion.stand_in
    assert ": connected; the extension last spoke" in said(daemon, "browser", "status")

    browser.switch_off()
    wait_until(lambda: contact(daemon).get("connected") is False, 30, "the extension gone")
    for command in (("browser", "status"), ("doctor",)):
        text = said(daemon, *command)
        assert "and the browser is still open: the extension is off or removed" in text, text
        assert "the browser has closed" not in text, text

    companion.open(HOST, EX_PAGE)
    browser.wait_title(SWITCHED_OFF_TITLE, timeout=30)
    assert stand_in.fetched(EX_PAGE) == 1  # not held back
    daemon.wait_for_visit("blocklist", "Alex", min_seconds=2, timeout=30)
    signals = daemon.query("SELECT DISTINCT signal FROM visits WHERE kind = 'blocklist'")
    assert signals == [("title",)]
    assert companion.pauses(daemon) == []
    assert contact(daemon).get("connected") is False  # it stayed off


def host_pids(browser: CompanionBrowser) -> set[int]:
    """nudger's native-messaging hosts that this browser started (one per connected port)."""
    assert browser.process is not None
    found = set()
    for process in psutil.process_iter(["cmdline"]):
        try:
            if "host.py" in " ".join(process.info["cmdline"] or ()) and any(
                parent.pid == browser.process.pid for parent in process.parents()
            ):
                found.add(process.pid)
        except psutil.Error:
            continue
    return found


def stop_background_during_pause(companion: Companion, *, expect_pause: bool = True) -> None:
    """Stop the companion's background while its pause page stands (or, expect_pause=False,
    whatever page is in front), and wait until it (and the port to nudger's host it held) is
    gone."""
    browser = companion.browser
    before = host_pids(browser)
    assert before, "no host of this browser's is running"
    browser.stop_background()
    wait_until(lambda: not (before & host_pids(browser)), 30, "the background to stop")
    if expect_pause:
        assert browser.title() == PAUSE  # the pause page itself stays


def test_a_background_restart_during_a_pause_loses_nothing(companion: Companion) -> None:
    """The browser stops the background while the pause page stands, and the pause page's
    answer wakes it again: what it holds back is in storage.session, so Go on opens the page and
    Step away steps away, and each pause is recorded once.

    Chromium: the service worker is stopped as chrome://serviceworker-internals' Stop does
    (DevTools, Target.closeTarget on the worker). Firefox ESR: `runtime.reload()` would reload
    the whole extension (and close the pause page), and lowering
    `extensions.background.idle.timeout` does nothing here: Firefox never suspends an event page
    that has a native-messaging port open (nudger's host), and refuses about:debugging's
    "Terminate background script" for the same reason. So the test runs Firefox's own idle
    termination past that exemption (see FirefoxCompanion.stop_background); in use, it happens
    once the host's port has been closed a while."""
    # Two entries: Go on spares the first one in every tab for a while (issue 29), so the
    # second pause is for the other.
    sam = '[[blocklist]]\nname = "Sam"\nmatch = ["instagram.com/samrivers"]\n'
    daemon = ready(companion, PAUSED + BLOCKLIST + sam, holding=2, remote=True)
    browser, stand_in = companion.browser, companion.stand_in

    companion.open(HOST, EX_PAGE)
    browser.wait_title(PAUSE)
    wait_recorded(companion, daemon, 1)
    stop_background_during_pause(companion)
    _go_on(companion, daemon)
    browser.wait_title("Instagram", timeout=30)
    assert stand_in.fetched(EX_PAGE) == 1
    wait_until(lambda: [r[2] for r in companion.pauses(daemon)] == ["go_on"], 20, "go on")

    # Another tab, another entry, another pause: stopped again, and Step away.
    companion.open(HOST, "/samrivers/")
    browser.wait_title(PAUSE, timeout=30)
    wait_recorded(companion, daemon, 2)
    stop_background_during_pause(companion)
    time.sleep(2)  # the page's keyboard focus settles after the pause page's first answer
    step_away(companion, daemon, 1)
    assert stand_in.fetched("/samrivers/") == 0
    assert [r[2] for r in companion.pauses(daemon)] == ["go_on", "away"]


def test_a_pause_answered_while_the_host_is_away_reaches_nudger_once_it_is_back(
    companion: Companion,
) -> None:
    """The browser cannot start nudger's host for a while (its launcher gone), the pause comes
    from the rules the companion already has, and the person steps away. Without the host's
    port the browser stops the background; what it kept for nudger is in storage.session, so
    once the host can start again the pause reaches nudger, once, with its own time."""
    daemon = ready(companion, remote=True)
    browser = companion.browser
    launcher = Path(companion.env["NUDGER_DATA_DIR"]) / "browser" / "nudger-host"
    away = launcher.with_name("nudger-host.away")
    launcher.rename(away)
    for pid in host_pids(browser):
        psutil.Process(pid).terminate()
    wait_until(lambda: not host_pids(browser), 30, "the host to be gone")
    wait_until(
        lambda: not any(b["connected"] for b in (daemon.status() or {}).get("browsers", [])),
        30,
        "the daemon to see the browser gone",
    )

    companion.open(HOST, EX_PAGE)
    browser.wait_title(PAUSE)
    browser.press_on_pause("away")  # at once: the early step-away test shows the page takes it
    wait_until(lambda: browser.title() != PAUSE, 30, "the pause to go")
    answered = time.time()
    browser.stop_background()
    assert companion.pauses(daemon) == []

    away.rename(launcher)
    companion.open(QUIET_HOST, QUIET_PAGE)  # any page wakes the background again
    stepped_away = [("blocklist", "Alex", "away", 1, "browser", 1)]
    wait_until(
        lambda: companion.pauses(daemon) == stepped_away,
        60,
        lambda: f"the kept pause recorded (recorded: {companion.pauses(daemon)})",
    )
    [(at,)] = daemon.query("SELECT at FROM nudges WHERE reason = 'pause'")
    assert at < answered  # when it happened, not when nudger heard of it
    assert companion.stand_in.fetched(EX_PAGE) == 0


# -- the first-run page (issue 33) --------------------------------------------------------------


def test_the_first_run_page_comes_before_anything_is_sent(companion: Companion) -> None:
    """A new companion shows its first-run page on its own, and sends nothing before the person
    agrees there: the browser has not even started nudger's host, and the daemon has heard from
    no browser. Once the person agrees, the companion connects."""
    daemon = companion.start_daemon(PAUSED + BLOCKLIST)
    daemon.wait_watching()
    browser = companion.browser
    browser.install_host()
    browser.start(agree=False)
    browser.wait_title(browser.welcome_title(), timeout=60)  # it comes to the front by itself
    # The daemon is listening and reachable (it answers status), and has heard nothing.
    assert host_pids(browser) == set()
    assert (daemon.status() or {}).get("browsers", []) == []
    assert companion.stand_in.requests == []

    browser.agree()
    companion.wait_connected(daemon, holding=1)
    assert host_pids(browser)
