"""The companion's own pages (Today, Blocklist, Someone to talk to) in real Chromium and real
Firefox ESR, with the real daemon and host: Today says what `nudger summary --json` says, an entry
added on the Blocklist page is in the settings file with its comments kept, a bad pattern is
refused on the page, and with nudger stopped the pages say so and the help list still shows.

The pages are opened by their address (pages/today.html ...), which is what the toolbar button
opens; the button itself is pressed in Firefox, through Firefox's own handler for it (Chromium
keeps it in its extensions menu, out of reach of these tests).
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from tests.desktop import test_browser_companion as companion_tests
from tests.desktop.rig import wait_until
from tests.desktop.test_browser_companion import (
    EX_PAGE,
    HOST,
    Companion,
)
from tests.nudger_process import run_cli

CONFIG = """\
# My own settings. Keep this comment.
[browser]
pause_seconds = 0  # no pause: the page opens at once

# The person I am stepping back from.
[[blocklist]]
name = "Alex"
match = ["instagram.com/alexdoe"]
"""


# The companion's own fixtures: a daemon, a real browser with the companion, the stand-in sites.
browser_name = companion_tests.browser_name
stand_in = companion_tests.stand_in
companion = companion_tests.companion


def summary(env: dict[str, str], *extra: str) -> dict[str, Any]:
    result = run_cli(env, "summary", "--json", *extra)
    assert result.returncode == 0, result.stderr
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


TODAY_ON_PAGE = """({
  site: Number(document.getElementById("site-time").dataset.value),
  blocklist: Number(document.getElementById("blocklist-time").dataset.value),
  glances: Number(document.getElementById("glances").dataset.value),
  pauses: Number(document.getElementById("pauses").dataset.value),
  clear: Number(document.getElementById("clear-days").dataset.value),
  plans: [...document.querySelectorAll("#plans li")].map((li) => li.textContent),
  week: [...document.querySelectorAll("#week li")].map((li) => [li.dataset.date,
         Number(li.dataset.seconds)]),
  shown: document.getElementById("blocklist-time").textContent,
})"""


def test_the_pages_show_today_change_the_blocklist_and_list_help(companion: Companion) -> None:
    config = companion.tmp / "config.toml"
    daemon = companion.start_daemon(CONFIG)
    daemon.wait_watching()
    assert (
        run_cli(
            companion.env, "plan", "add", "If", "I", "miss", "them,", "I", "call", "Sam"
        ).returncode
        == 0
    )
    companion.start_browser(daemon, holding=0, remote=True)
    browser = companion.browser

    # Something to show: a look at the ex's page, which counts on the blocklist.
    companion.open(HOST, EX_PAGE)
    browser.wait_title("Instagram")
    daemon.wait_for_visit("blocklist", "Alex", min_seconds=2, timeout=30)

    # -- Today: the toolbar's page, with the ex's page no longer in front.
    browser.open_own_page("pages/today.html")
    browser.wait_own_page("ready")

    def settled() -> bool:
        """The look has ended and been written: the summary no longer changes."""
        first = summary(companion.env)["blocklist_seconds"]
        time.sleep(2)
        return first == summary(companion.env)["blocklist_seconds"] > 0

    wait_until(settled, 60, "the visit to the ex's page to be closed and written")
    # The old page is marked stale first: "ready" then comes only from the reloaded one.
    browser.in_own_page(
        "(document.body.dataset.state = 'stale', setTimeout(() => location.reload(), 0), true)"
    )
    browser.wait_own_page("ready")
    shown = browser.in_own_page(TODAY_ON_PAGE)
    day, week = summary(companion.env), summary(companion.env, "--week")
    assert shown["site"] == day["site_seconds"]
    assert shown["blocklist"] == day["blocklist_seconds"] > 0
    assert shown["glances"] == day["blocklist_visits"] >= 1
    assert shown["pauses"] == day["nudges"]["pauses"]
    assert shown["clear"] == day["streak"]["days_without_blocklist"]
    assert shown["plans"] == day["plans"] == ["If I miss them, I call Sam"]
    assert shown["week"] == [
        [d["date"], d["site_seconds"] + d["blocklist_seconds"]] for d in week["days"]
    ]
    assert "minute" in shown["shown"]  # in words, not seconds

    # -- Blocklist: the tester as you type, an entry added, a bad pattern refused.
    browser.open_own_page("pages/blocklist.html")
    browser.wait_own_page("ready")
    assert browser.in_own_page('document.querySelector("#entries li").dataset.name') == "Alex"
    browser.in_own_page(
        """(() => {
          const test = document.getElementById("test");
          test.value = "https://www.instagram.com/alexdoe/";
          test.dispatchEvent(new Event("input"));
        })()"""
    )
    wait_until(
        lambda: (
            "Alex"
            in (browser.own_page_says('document.getElementById("test-result").textContent') or "")
        ),
        30,
        "the tester to name Alex",
    )

    def fill_and_save(name: str, patterns: str) -> None:
        browser.in_own_page(
            f"""(() => {{
              document.getElementById("name").value = {json.dumps(name)};
              document.getElementById("match").value = {json.dumps(patterns)};
              document.body.dataset.state = "saving";
              document.getElementById("entry").requestSubmit();
            }})()"""
        )

    before = config.read_text()
    fill_and_save("Bad", "re:(unclosed")
    browser.wait_own_page("refused")
    error = browser.in_own_page('document.getElementById("form-error").textContent')
    assert "match" in error and "Bad" not in config.read_text()
    # What was typed stays, to be put right.
    assert browser.in_own_page('document.getElementById("match").value') == "re:(unclosed"
    assert config.read_text() == before

    fill_and_save("Sam", "samdoe\ninstagram.com/samdoe")
    browser.wait_own_page("saved")
    after = config.read_text()
    assert after.startswith(CONFIG)  # every comment and line of the person's, as it was
    assert 'name = "Sam"' in after and '"instagram.com/samdoe"' in after
    listed = run_cli(companion.env, "block", "list")
    assert "Sam" in listed.stdout and "instagram.com/samdoe" in listed.stdout
    names = browser.in_own_page(
        '[...document.querySelectorAll("#entries li")].map(li => li.dataset.name)'
    )
    assert names == ["Alex", "Sam"]

    # -- Someone to talk to: the list for the country, with links that call or text.
    browser.open_own_page("pages/talk.html")
    browser.wait_own_page("ready")
    links = browser.in_own_page('[...document.querySelectorAll("#resources a")].map(a => a.href)')
    assert any(link.startswith("tel:") for link in links), links

    # -- Pause and Resume, from the bar at the top of every page.
    pause_file = daemon.data_dir / "pause.json"
    where_buttons = (
        '["pause", "resume"].map((id) => { const box = document.getElementById(id)'
        ".getBoundingClientRect(); return [Math.round(box.left), Math.round(box.top)]; })"
    )
    before = browser.in_own_page(where_buttons)
    browser.in_own_page('document.getElementById("pause").click()')
    wait_until(pause_file.exists, 30, "the pause written")
    wait_until(
        lambda: (
            "paused"
            in (browser.own_page_says('document.getElementById("pause-state").textContent') or "")
        ),
        30,
        "the page to say the nudges are paused",
    )
    assert "paused until" in run_cli(companion.env, "status").stdout.lower()
    # The line that says so does not push the buttons aside (a second press lands where the
    # first did).
    assert browser.in_own_page(where_buttons) == before
    browser.in_own_page('document.getElementById("resume").click()')
    wait_until(lambda: not pause_file.exists(), 30, "the pause ended")


def test_with_nudger_stopped_the_pages_say_so_and_the_help_list_still_shows(
    companion: Companion,
) -> None:
    companion.browser.install_host()
    companion.browser.start(remote=True)
    browser = companion.browser

    browser.open_own_page("pages/today.html")
    browser.wait_own_page("stopped")
    notice = browser.in_own_page('document.getElementById("notice").textContent')
    assert "nudger is not running" in notice and "Someone to talk to still works" in notice

    browser.open_own_page("pages/blocklist.html")
    browser.wait_own_page("stopped")
    assert browser.in_own_page('document.getElementById("entry").hidden') is True

    browser.open_own_page("pages/talk.html")
    browser.wait_own_page("stopped")
    links = browser.in_own_page('[...document.querySelectorAll("#resources a")].map(a => a.href)')
    # From the host's own copy of the table: the country's list, or what works anywhere.
    assert any(link.startswith("tel:") for link in links), links
    notice = browser.in_own_page('document.getElementById("notice").textContent')
    assert "nudger is not running" in notice


@pytest.mark.parametrize("browser_name", ["firefox"])
def test_the_toolbar_button_opens_today(companion: Companion) -> None:
    """Firefox only: its toolbar button can be pressed through its own handler. Chromium keeps
    the button in its extensions menu, out of reach of these tests; there the page is opened by
    the address the button opens (see the tests above)."""
    companion.browser.install_host()
    companion.browser.start(remote=True)
    companion.browser.press_toolbar_button()
    companion.browser.wait_title("Today · nudger", timeout=60)
