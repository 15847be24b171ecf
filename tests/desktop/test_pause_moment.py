"""The pause page's evidence-based half in real Chromium and real Firefox ESR, with the real
daemon: Step away comes first, the exercise changes from one pause to the next (and says why
once), a tap on "How are you right now?" is kept (the answer and the time only) and shows in
the summary, the person's plan shows on the page, and the companion switched off while its
browser is in front is noted and said once in the summary."""

from __future__ import annotations

import json
import time

from tests.desktop import test_browser_companion as companion_tests
from tests.desktop.browser_rig import ChromiumCompanion, FirefoxCompanion
from tests.desktop.rig import wait_until
from tests.desktop.test_browser_companion import (
    BLOCKLIST,
    EX_PAGE,
    HOST,
    PAUSE,
    PAUSED,
    QUIET_HOST,
    Companion,
    contact,
    pauses_recorded,
    ready,
    step_away,
)
from tests.nudger_process import NudgerDaemon, run_cli

# The companion's own fixtures: a daemon, a real browser with the companion, the stand-in sites.
browser_name = companion_tests.browser_name
stand_in = companion_tests.stand_in
companion = companion_tests.companion

PLAN = "If it's late and I feel lonely, then I write in my notebook."
# What the page shows, read as a person sees it (visible only).
SHOWN = """(() => {
  const visible = (id) => { const e = document.getElementById(id); return e && !e.hidden; };
  return {
    buttons: [...document.querySelectorAll("button")].filter((b) => !b.closest("[hidden]"))
      .map((b) => b.id || b.dataset.feeling),
    exercise: document.body.dataset.exercise || null,
    guide: document.getElementById("guide").textContent,
    why: visible("why") ? document.getElementById("why").textContent : null,
    plans: visible("plans")
      ? [...document.querySelectorAll("#planList li")].map((li) => li.textContent) : [],
  };
})()"""


def shown(companion: Companion) -> dict[str, object]:
    found: dict[str, object] = companion.browser.in_pause_page(SHOWN)
    return found


def tap(companion: Companion, feeling: str) -> None:
    """Tap a feeling as a person does: the keyboard on its button (a trusted press)."""
    companion.browser.in_pause_page(
        f'(document.querySelector("[data-feeling={feeling}]").focus(), true)'
    )
    companion.browser.keys("Return")


def feelings(daemon: NudgerDaemon) -> list[tuple[object, ...]]:
    return daemon.query("SELECT * FROM feelings ORDER BY id")


def test_step_away_first_the_exercise_changes_a_tap_is_kept_and_the_plan_shows(
    companion: Companion,
) -> None:
    env = companion.env
    assert run_cli(env, "plan", "add", PLAN).returncode == 0
    daemon = ready(companion, remote=True)
    browser = companion.browser
    seen: list[dict[str, object]] = []
    for number in range(3):
        companion.open(HOST, EX_PAGE)
        browser.wait_title(PAUSE, timeout=30)
        wait_until(lambda n=number: pauses_recorded(companion, daemon) > n, 30, "the pause")
        # The plan arrives from nudger through the host; the exercise once the page chose it.
        wait_until(lambda: shown(companion)["plans"] == [PLAN], 30, "the plan on the page")
        page = shown(companion)
        seen.append(page)
        buttons = page["buttons"]
        assert isinstance(buttons, list)
        assert buttons[:2] == ["away", "on"], buttons  # Step away first, Go on beside it
        assert buttons[2:] == [
            "lonely",
            "sad",
            "bored",
            "angry",
            "curious",
            "cant_sleep",
            "fine",
            "skip",
        ]
        if number < 2:
            tap(companion, "lonely")
            wait_until(lambda n=number: len(feelings(daemon)) == n + 1, 30, "the tap kept")
            wait_until(lambda: "lonely" not in shown(companion)["buttons"], 30, "thanked")
        step_away(companion, daemon, number)

    assert len({page["exercise"] for page in seen}) == 3, seen  # a different one each time
    assert len({page["guide"] for page in seen}) == 3, seen
    # Why it changes: said once, the first time it changed, and not again.
    assert [page["why"] is not None for page in seen] == [False, True, False], seen
    assert companion.stand_in.fetched(EX_PAGE) == 0  # the tap never needed to go on

    # Only the answer and the time, nothing of the page, the entry or the site.
    rows = feelings(daemon)
    assert [row[2] for row in rows] == ["lonely", "lonely"]
    assert all(len(row) == 3 and abs(float(row[1]) - time.time()) < 600 for row in rows)
    columns = daemon.query("SELECT name FROM pragma_table_info('feelings')")
    assert columns == [("id",), ("at",), ("feeling",)]

    day = json.loads(run_cli(daemon.env, "summary", "--json").stdout)
    assert day["tendency"]["feeling"] == "lonely"
    assert day["tendency"]["offers_plan"] is True
    text = run_cli(daemon.env, "summary").stdout
    assert "when you felt lonely" in text
    assert 'nudger plan add "If I feel lonely, then I …"' in text


def test_the_companion_switched_off_while_its_browser_is_in_front_is_said_once(
    companion: Companion,
) -> None:
    daemon = ready(companion, PAUSED + BLOCKLIST, remote=True)
    browser = companion.browser
    browser.switch_off()
    wait_until(lambda: contact(daemon).get("connected") is False, 30, "the extension gone")
    companion.open(QUIET_HOST, "/calm/")
    browser.wait_title("Page /calm/", timeout=30)

    def noted() -> bool:
        browser.keys("shift")  # someone at the computer, using the browser in front
        return bool(daemon.query("SELECT * FROM guard WHERE kind = 'companion_off'"))

    wait_until(noted, 120, "the companion off noted")
    assert daemon.stop() == 0
    rows = daemon.query("SELECT kind, detail, ended_at - started_at FROM guard")
    assert len(rows) == 1 and rows[0][0] == "companion_off", rows
    assert float(rows[0][2]) >= 30
    label = "Chromium" if browser.name == "chromium" else "Firefox"
    text = run_cli(daemon.env, "summary").stdout
    assert text.count(f"The companion in {label} was off from ") == 1, text
    guard = json.loads(run_cli(daemon.env, "summary", "--json").stdout)["guard"]
    assert [note["kind"] for note in guard] == ["companion_off"]


def test_after_go_on_the_entry_opens_in_another_tab_without_a_pause_across_a_restart(
    companion: Companion,
) -> None:
    """Go on spares the entry, not only its tab, for pause_again_minutes; the browser stopping
    the companion's background in between forgets none of it (storage.session, the browser's
    own session rules)."""
    daemon = ready(companion, remote=True)
    browser, stand_in = companion.browser, companion.stand_in
    companion.open(HOST, EX_PAGE)
    browser.wait_title(PAUSE, timeout=30)
    companion_tests._go_on(companion, daemon)
    browser.wait_title("Instagram", timeout=30)
    wait_until(lambda: [r[2] for r in companion.pauses(daemon)] == ["go_on"], 30, "go on")

    companion_tests.stop_background_during_pause(companion, expect_pause=False)
    companion.open(HOST, "/alexdoe/reels/")  # a new tab, another page of the same entry
    wait_until(lambda: stand_in.fetched("/alexdoe/reels/") == 1, 30, "the page, not a pause")
    browser.wait_title("Instagram", timeout=30)
    time.sleep(2)  # a pause would have come by now: it must not
    assert browser.title() == "Instagram"
    assert len(companion.pauses(daemon)) == 1


def ask_for_less_motion(companion: Companion) -> None:
    """The desktop's "reduce motion", as each browser takes it: Chromium's media emulation on the
    pause page (DevTools), Firefox's own setting (ui.prefersReducedMotion)."""
    browser = companion.browser
    if isinstance(browser, ChromiumCompanion):
        with browser._devtools() as devtools:
            pages = [
                target["targetId"]
                for target in devtools.call("Target.getTargets")["targetInfos"]
                if target["type"] == "page" and target["url"].endswith("/pause.html")
            ]
            session = devtools.call("Target.attachToTarget", targetId=pages[-1], flatten=True)
            devtools.call(
                "Emulation.setEmulatedMedia",
                session["sessionId"],
                features=[{"name": "prefers-reduced-motion", "value": "reduce"}],
            )
            # The emulation lasts while this session does: read the page within it.
            found = devtools.evaluate(session["sessionId"], MOTION)
            assert found == "none", found
        return
    assert isinstance(browser, FirefoxCompanion)
    browser._in_browser('Services.prefs.setIntPref("ui.prefersReducedMotion", 1); return 1;')
    wait_until(lambda: browser.in_pause_page(MOTION) == "none", 30, "the circle still")


MOTION = 'getComputedStyle(document.getElementById("breath")).animationName'


def exercise_after_reload(companion: Companion) -> object:
    """The exercise shown, or None while the page is still reloading (no page to read yet)."""
    try:
        return shown(companion)["exercise"]
    except (AssertionError, OSError):
        return None


def test_less_motion_asked_for_the_circle_stays_still(companion: Companion) -> None:
    """prefers-reduced-motion: neither the breath nor the slow circle moves."""
    daemon = ready(companion, remote=True)
    browser = companion.browser
    companion.open(HOST, EX_PAGE)
    browser.wait_title(PAUSE, timeout=30)
    wait_until(lambda: pauses_recorded(companion, daemon) == 1, 30, "the pause")
    wait_until(lambda: shown(companion)["exercise"] == "breath", 30, "the first exercise")
    assert browser.in_pause_page(MOTION) == "breathe"  # it moves, as asked by default
    # The slow circle's turn next (the fourth), shown again in the same page.
    browser.in_pause_page(
        "(globalThis.browser ?? chrome).storage.local.set({exerciseTurn: 3})"
        ".then(() => { setTimeout(() => location.reload(), 200); return true; })"
    )
    wait_until(lambda: exercise_after_reload(companion) == "circle", 30, "the slow circle")
    assert browser.in_pause_page(MOTION) == "turn"
    ask_for_less_motion(companion)
