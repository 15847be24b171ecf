"""Matching on real window titles: what must match, and the false positives that must not."""

from __future__ import annotations

import pytest

from nudger.core.matching import Matcher, as_tested, page_title
from nudger.core.types import Hit, Rule, Window
from nudger.settings.catalogue import all_rules, builtin_sites
from nudger.settings.models import RuleSettings, Settings

BROWSERS = ("chromium", "firefox-esr", "google-chrome", "msedge")
ALEX = RuleSettings(name="Alex", match=("Alex Doe", "@alexdoe", "instagram.com/alexdoe"))


def chromium(title: str, url: str | None = None) -> Window:
    return Window("chromium", f"{title} - Chromium", 100, ("chromium (Default)", "Chromium"), url)


def firefox(title: str) -> Window:
    return Window("firefox-esr", f"{title} — Mozilla Firefox", 101, ("Navigator", "firefox-esr"))


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    settings = Settings(blocklist=(ALEX,), watch={"browsers": BROWSERS})
    return Matcher(all_rules(settings), settings.watch.browsers)


def targets(hits: tuple[Hit, ...]) -> set[tuple[str, str]]:
    return {(hit.kind, hit.target) for hit in hits}


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        (chromium("(3) Facebook"), {("site", "Facebook")}),
        (chromium("Facebook"), {("site", "Facebook")}),
        (chromium("Sam Lee | Facebook"), {("site", "Facebook")}),
        (chromium("Messenger | Facebook"), {("site", "Messenger"), ("site", "Facebook")}),
        (chromium("(2) Messenger"), {("site", "Messenger")}),
        (chromium("Instagram"), {("site", "Instagram")}),
        (
            chromium("Alex Doe (@alexdoe) • Instagram photos and videos"),
            {("site", "Instagram"), ("blocklist", "Alex")},
        ),
        (firefox("Sam Lee (@samlee) • Instagram photos and videos"), {("site", "Instagram")}),
        (chromium('Sam on Instagram: "sunset"'), {("site", "Instagram")}),
        (chromium("Threads"), {("site", "Threads")}),
        (chromium("@samlee on Threads"), {("site", "Threads")}),
        (chromium("Sam Lee (@samlee) • Threads, Say more"), {("site", "Threads")}),
        (chromium("TikTok - Make Your Day"), {("site", "TikTok")}),
        (chromium("Sam (@sam) | TikTok"), {("site", "TikTok")}),
        (chromium("Home / X"), {("site", "X")}),
        (chromium("(5) Home / X"), {("site", "X")}),
        (chromium("Sam Lee (@samlee) / X"), {("site", "X")}),
        (chromium('Sam Lee on X: "hello" / X'), {("site", "X")}),
        (chromium("Home / Twitter"), {("site", "X")}),
        (chromium("Snapchat"), {("site", "Snapchat")}),
        (firefox("r/BreakUps"), {("site", "Reddit")}),
        (firefox("How do I stop checking? : r/BreakUps"), {("site", "Reddit")}),
        (firefox("Reddit - Dive into anything"), {("site", "Reddit")}),
        (chromium("(12) lofi beats - YouTube"), {("site", "YouTube")}),
        (chromium("YouTube"), {("site", "YouTube")}),
        (chromium("Feed | LinkedIn"), {("site", "LinkedIn")}),
        (chromium("(4) LinkedIn"), {("site", "LinkedIn")}),
        (chromium("Pinterest"), {("site", "Pinterest")}),
        (chromium("Dashboard | Tumblr"), {("site", "Tumblr")}),
        (chromium("@sam.bsky.social — Bluesky"), {("site", "Bluesky")}),
        (chromium("Home — Mastodon"), {("site", "Mastodon")}),
        (chromium("Sam (@sam@mastodon.social) - Mastodon"), {("site", "Mastodon")}),
        (chromium("Discord | #general | Friends"), {("site", "Discord")}),
        (chromium("(1) WhatsApp"), {("site", "WhatsApp")}),
        (chromium("Telegram Web"), {("site", "Telegram")}),
        (
            chromium("Login", url="https://www.instagram.com/alexdoe/"),
            {("site", "Instagram"), ("blocklist", "Alex")},
        ),
        # A name written with other gaps between its parts is still the name.
        (chromium("Alex  Doe - Photos"), {("blocklist", "Alex")}),
        (chromium("Alex.Doe | Facebook"), {("site", "Facebook"), ("blocklist", "Alex")}),
        (Window("signal-desktop", "alex_doe", 10, ("signal", "Signal")), {("blocklist", "Alex")}),
        # Real profile titles, one per site, with the person's name and handle.
        (
            chromium("Alex Doe (@alexdoe) on Threads"),
            {("site", "Threads"), ("blocklist", "Alex")},
        ),
        (chromium("Alex Doe | Facebook"), {("site", "Facebook"), ("blocklist", "Alex")}),
        (chromium("(2) Alex Doe | Messenger"), {("site", "Messenger"), ("blocklist", "Alex")}),
        (chromium("Alex Doe (@alexdoe) | TikTok"), {("site", "TikTok"), ("blocklist", "Alex")}),
        (chromium("Alex Doe (@alexdoe) / X"), {("site", "X"), ("blocklist", "Alex")}),
        (chromium("Alex Doe | LinkedIn"), {("site", "LinkedIn"), ("blocklist", "Alex")}),
        (
            chromium("Alex Doe (alexdoe) - Pinterest"),
            {("site", "Pinterest"), ("blocklist", "Alex")},
        ),
        (
            chromium("Alex Doe (@alexdoe.bsky.social) — Bluesky"),
            {("site", "Bluesky"), ("blocklist", "Alex")},
        ),
        (firefox("u/alexdoe (Alex Doe) - Reddit"), {("site", "Reddit"), ("blocklist", "Alex")}),
        # Native apps, by process name or window class.
        (
            Window("Discord", "#general | Friends - Discord", 7, ("discord", "discord")),
            {("site", "Discord")},
        ),
        (
            Window("telegram-desktop", "Telegram (2)", 8, ("telegram-desktop", "TelegramDesktop")),
            {("site", "Telegram")},
        ),
        (Window("WhatsApp.exe", "WhatsApp", 9), {("site", "WhatsApp")}),
        # The blocklist counts in any window, not only browsers.
        (Window("signal-desktop", "Alex Doe", 10, ("signal", "Signal")), {("blocklist", "Alex")}),
        (Window("eog", "@alexdoe_beach.jpg", 11), set()),  # handle inside a longer word
        (Window("eog", "photo from @alexdoe.jpg", 11), {("blocklist", "Alex")}),
    ],
)
def test_real_titles_match(
    matcher: Matcher, window: Window, expected: set[tuple[str, str]]
) -> None:
    assert targets(matcher.match(window)) == expected


@pytest.mark.parametrize(
    "window",
    [
        chromium("Xbox Series X review"),  # "X" must not match inside words, nor a stray X
        chromium("Unix and Linux: xargs explained"),
        chromium("The Facebook files - The Verge"),  # news about a site is not the site
        chromium("Instagram changed its logo again - BBC News"),
        chromium("Tech news - Instagram changed its logo"),
        chromium("Weekly roundup | TikTok bans and more"),
        chromium("Python threads tutorial"),
        chromium("Sewing thread types - Wikipedia"),
        chromium("How to download YouTube videos - Stack Overflow"),
        chromium("Reddit's IPO explained - Financial Times"),
        chromium("Alexander Doerr - Wikipedia"),  # "Alex Doe" is not "Alexander Doerr"
        chromium("alexdoe2 - GitHub"),
        chromium("AlexDoe_fan - GitHub"),  # the words, not any string that contains them
        chromium("Alex Doerr and friends"),
        chromium("Telegraph crossword"),
        chromium("Project board (r/w access)"),
        firefox("New Tab"),
        # Site words outside a browser are not the site: an editor, a terminal.
        Window("code", "reddit-scraper/main.py - Visual Studio Code", 3, ("code", "Code")),
        Window("xterm", "ssh facebook.com", 4, ("xterm", "XTerm")),
        Window("xterm", "notes.txt", 5, ("xterm", "XTerm")),
    ],
)
def test_false_positives_do_not_match(matcher: Matcher, window: Window) -> None:
    assert matcher.match(window) == ()


def test_site_x_needs_a_word_boundary() -> None:
    rules = [Rule("site", "X", ("X",))]
    matcher = Matcher(rules, ["chromium"])
    assert matcher.match(chromium("Follow us on X")) != ()
    assert matcher.match(chromium("Xylophone lessons")) == ()
    assert matcher.match(chromium("maximum")) == ()


def test_regex_patterns_are_case_insensitive() -> None:
    matcher = Matcher([Rule("blocklist", "Sam", ("re:sam(antha)? lee",))], [])
    assert matcher.match(Window("x", "SAMANTHA LEE on holiday")) != ()
    assert matcher.match(Window("x", "sam lee")) != ()
    assert matcher.match(Window("x", "samuel leeds")) == ()


def test_catalogue_entry_can_be_switched_off() -> None:
    settings = Settings(catalogue={"disabled": ("YouTube",)}, watch={"browsers": BROWSERS})
    matcher = Matcher(all_rules(settings), settings.watch.browsers)
    assert matcher.match(chromium("lofi beats - YouTube")) == ()
    assert targets(matcher.match(chromium("(3) Facebook"))) == {("site", "Facebook")}


def test_user_site_with_a_catalogue_name_replaces_it() -> None:
    own = RuleSettings(name="YouTube", match=("re:^only this$",))
    settings = Settings(sites=(own,), watch={"browsers": BROWSERS})
    matcher = Matcher(all_rules(settings), settings.watch.browsers)
    assert matcher.match(chromium("lofi beats - YouTube")) == ()
    assert targets(matcher.match(chromium("only this"))) == {("site", "YouTube")}


def test_catalogue_covers_the_promised_sites() -> None:
    names = {site.name for site in builtin_sites()}
    promised = {
        "Facebook",
        "Messenger",
        "Instagram",
        "Threads",
        "TikTok",
        "X",
        "Snapchat",
        "Reddit",
        "YouTube",
        "LinkedIn",
        "Pinterest",
        "Tumblr",
        "Bluesky",
        "Mastodon",
        "Discord",
        "WhatsApp",
        "Telegram",
    }
    assert promised <= names


@pytest.mark.parametrize(
    ("title", "page"),
    [
        ("r/BreakUps — Mozilla Firefox", "r/BreakUps"),
        ("Home / X - Chromium", "Home / X"),
        ("Home / X - Google Chrome", "Home / X"),
        ("Inbox - Microsoft\u200b Edge", "Inbox"),
        ("A - B - C", "A - B - C"),
        ("Chromium", "Chromium"),
        # Private windows: each browser adds its own words after its name.
        ("Home / X — Mozilla Firefox Private Browsing", "Home / X"),
        ("Home / X - Mozilla Firefox (Private Browsing)", "Home / X"),
        ("Home / X — Firefox Developer Edition Private Browsing", "Home / X"),
        ("Home / X — LibreWolf Private Browsing", "Home / X"),
        ("Home / X - Chromium (Incognito)", "Home / X"),
        ("Home / X - Google Chrome (Incognito)", "Home / X"),
        ("Home / X - [InPrivate] - Microsoft\u200b Edge", "Home / X"),
        ("Home / X - Brave (Private)", "Home / X"),
        ("Home / X - Vivaldi (Private)", "Home / X"),
        ("Home / X - Chromium (Guest)", "Home / X"),
        ("Incognito", "Incognito"),
    ],
)
def test_page_title_strips_only_the_browser_name(title: str, page: str) -> None:
    assert page_title(title) == page


def test_hostile_titles_never_raise(matcher: Matcher) -> None:
    hostile = [
        "",
        "\x00\x01\x02\x1b[31m" * 100,
        "a" * 1_000_000,
        "\ud800 lone surrogate \udfff",
        "(" * 10_000 + "Alex Doe",
        "\ufffd" * 5000,
    ]
    for title in hostile:
        matcher.match(chromium(title))
        matcher.match(Window("xterm", title))
    assert targets(matcher.match(Window("x", "\ud800 Alex Doe"))) == {("blocklist", "Alex")}


def test_storable_title_blanks_out_blocklist_words(matcher: Matcher) -> None:
    window = chromium("Alex Doe (@alexdoe) • Instagram photos and videos")
    stored = matcher.storable_title(window, redact_blocklist=True)
    assert "Alex Doe" not in stored and "alexdoe" not in stored
    assert stored.endswith("Instagram photos and videos")
    assert matcher.storable_title(window, redact_blocklist=False).startswith("Alex Doe")


def test_the_redaction_mark_is_stored_intact_beside_any_text() -> None:
    matcher = Matcher([Rule("blocklist", "Alex", ("Alex Doe", "@alexdoe"))], ("chromium",))
    window = Window("chromium", "Café ✨ Alex Doe (@alexdoe) • Instagram – 日本 - Chromium")
    stored = matcher.storable_title(window, redact_blocklist=True)
    assert stored == "Café ✨ ▒▒▒ (▒▒▒) • Instagram – 日本"
    assert "â" not in (stored or "")


def test_a_title_is_kept_only_when_asked_for_and_only_when_it_matched() -> None:
    matcher = Matcher([Rule("blocklist", "Alex", ("Alex Doe",))], ())
    window = Window(app="xterm", title="Alex Doe - chat")
    hits = matcher.match(window)
    kept = matcher.title_to_keep(window, hits, store_titles=True, redact_blocklist=False)
    assert kept == "Alex Doe - chat"
    assert matcher.title_to_keep(window, hits, store_titles=False, redact_blocklist=False) is None
    other = Window(app="xterm", title="notes.txt")
    assert matcher.title_to_keep(other, (), store_titles=True, redact_blocklist=False) is None


@pytest.mark.parametrize(
    "title",
    [
        "Alex Doe (@alexdoe) • Instagram photos and videos — Mozilla Firefox Private Browsing",
        "Alex Doe (@alexdoe) • Instagram photos and videos - Chromium (Incognito)",
    ],
)
def test_a_private_window_counts_the_site_and_the_person(matcher: Matcher, title: str) -> None:
    """The site's title patterns end in `$`: the private-window words must not hide them."""
    window = Window("firefox-esr", title, 101, ("Navigator", "firefox-esr"))
    assert targets(matcher.match(window)) == {("site", "Instagram"), ("blocklist", "Alex")}


@pytest.mark.parametrize(
    "url",
    [
        "https://www.instagram.com/stories/alexdoe/3456/",
        "https://m.instagram.com/alexdoe",
        "https://instagram.com./alexdoe",
        "https://instagram.com//alexdoe",
        "https://instagram.com/%61lexdoe/",
    ],
)
def test_the_ex_s_profile_pages_count_as_the_person(matcher: Matcher, url: str) -> None:
    """The README's own entry `instagram.com/alexdoe` covers the stories and the mobile host;
    the title here names no one, so only the address can tell."""
    assert ("blocklist", "Alex") in targets(matcher.match(chromium("Stories • Instagram", url)))
    explained = matcher.explain(chromium("Stories • Instagram", url))
    assert any(e.target == "Alex" and e.signal == "url" for e in explained)


def test_a_post_s_address_does_not_carry_the_name(matcher: Matcher) -> None:
    """A post at /p/… is counted by its title when the title names the person, not by address."""
    post = "https://www.instagram.com/p/C0abc/"
    assert ("blocklist", "Alex") not in targets(matcher.match(chromium("Instagram", post)))
    named = chromium('Alex Doe on Instagram: "sunset"', post)
    assert ("blocklist", "Alex") in targets(matcher.match(named))


def test_an_address_alone_is_tested_as_the_companion_reports_one() -> None:
    assert as_tested("instagram.com/alexdoe") == ("", "https://instagram.com/alexdoe")
    assert as_tested("https://x.com/alexdoe") == ("", "https://x.com/alexdoe")
    assert as_tested("Alex Doe (@alexdoe) • Instagram") == ("Alex Doe (@alexdoe) • Instagram", None)
