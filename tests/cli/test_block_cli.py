"""`nudger block` and `nudger sites` through the real command, on a file full of comments."""

from __future__ import annotations

import difflib
import stat
from pathlib import Path

import pytest

from nudger.core.matching import Matcher
from nudger.core.patterns import breadth_warning
from nudger.core.translate import ENGLISH
from nudger.core.types import Rule
from nudger.sensing.base import Window
from nudger.settings.loader import load
from tests.nudger_process import isolated_env, run_cli

COMMENTED = """\
# My nudger settings. I wrote this by hand.
[watch]
poll_seconds = 2.0   # slower, to save battery

# The people I am stepping back from
[[blocklist]]
name = "Alex"   # my ex
match = ["Alex Doe", "@alexdoe"]   # her handle too
apps = []

[summary]
time = "20:30"   # after dinner
"""


def ops(before: str, after: str) -> set[str]:
    """The kinds of line changes between two texts."""
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines())
    return {tag for tag, *_ in matcher.get_opcodes() if tag != "equal"}


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    environment = isolated_env(tmp_path)
    Path(environment["NUDGER_CONFIG"]).write_text(COMMENTED, encoding="utf-8")
    return environment


def config_text(env: dict[str, str]) -> str:
    return Path(env["NUDGER_CONFIG"]).read_text(encoding="utf-8")


def test_round_trip_keeps_every_comment_and_untouched_key(env: dict[str, str]) -> None:
    added = run_cli(
        env,
        "block",
        "add",
        "Sam Lee",
        "--match",
        "Sam Lee",
        "--match",
        "@samlee",
        "--app",
        "signal",
    )
    assert added.returncode == 0, added.stderr
    after_add = config_text(env)
    assert ops(COMMENTED, after_add) == {"insert"}, "adding only inserts lines"
    assert 'name = "Sam Lee"' in after_add

    listed = run_cli(env, "block", "list")
    assert listed.stdout.splitlines() == [
        "Alex",
        "  match  Alex Doe",
        "  match  @alexdoe",
        "Sam Lee",
        "  match  Sam Lee",
        "  match  @samlee",
        "  app    signal",
    ]

    edited = run_cli(env, "block", "edit", "alex", "--add-match", "instagram.com/alexdoe")
    assert edited.returncode == 0, edited.stderr
    after_edit = config_text(env)
    changed = [
        line
        for line in difflib.ndiff(after_add.splitlines(), after_edit.splitlines())
        if line[:1] in "+-"
    ]
    assert changed == [
        '- match = ["Alex Doe", "@alexdoe"]   # her handle too',
        '+ match = ["Alex Doe", "@alexdoe", "instagram.com/alexdoe"]   # her handle too',
    ]

    tested = run_cli(
        env, "block", "test", "Login • Instagram", "--url", "https://www.instagram.com/alexdoe/"
    )
    assert tested.returncode == 0
    assert (
        "Alex" in tested.stdout and "the address matches 'instagram.com/alexdoe'" in tested.stdout
    )
    assert "Instagram" in tested.stdout

    removed = run_cli(env, "block", "remove", "Sam Lee")
    assert removed.returncode == 0, removed.stderr
    final = config_text(env)
    assert ops(after_edit, final) == {"delete"}
    assert final.replace(', "instagram.com/alexdoe"', "") == COMMENTED
    assert stat.S_IMODE(Path(env["NUDGER_CONFIG"]).stat().st_mode) == 0o600


def test_block_test_explains_and_says_when_nothing_matches(env: dict[str, str]) -> None:
    matched = run_cli(env, "block", "test", "Alex Doe (@alexdoe) • Instagram photos and videos")
    assert matched.returncode == 0
    assert "Tested as a browser tab" in matched.stdout
    assert (
        "the title matches 'Alex Doe'" in matched.stdout
        and "the title matches '@alexdoe'" in matched.stdout
    )
    assert "site       Instagram" in matched.stdout
    not_browser = run_cli(env, "block", "test", "r/BreakUps", "--app", "xterm")
    assert not_browser.returncode == 1 and "Nothing matches." in not_browser.stdout
    in_chat = run_cli(env, "block", "test", "Alex Doe", "--app", "signal-desktop")
    assert in_chat.returncode == 0 and "blocklist  Alex" in in_chat.stdout


def test_block_test_takes_a_page_address(env: dict[str, str]) -> None:
    added = run_cli(env, "block", "edit", "Alex", "--add-match", "instagram.com/alexdoe")
    assert added.returncode == 0, added.stderr
    page = run_cli(env, "block", "test", "https://www.instagram.com/alexdoe/reels/")
    assert page.returncode == 0
    assert "Tested as a page address" in page.stdout
    assert "blocklist  Alex       the address matches 'instagram.com/alexdoe'" in page.stdout
    assert "waits for a breath before it opens" in page.stdout
    # Whole path segments: another account that merely starts the same is not Alex's page.
    other = run_cli(env, "block", "test", "instagram.com/alexdoe2")
    assert "Alex" not in other.stdout and "site       Instagram" in other.stdout
    assert "waits for a breath" not in other.stdout  # sites are not paused by default


@pytest.mark.parametrize(
    ("args", "field", "reason"),
    [
        (
            ["block", "add", "Sam", "--match", "re:(sam"],
            'blocklist[1] ("Sam").match',
            "not a valid RE2 regex",
        ),
        (
            ["block", "add", "Sam", "--match", "re:(?<!x)sam"],
            'blocklist[1] ("Sam").match',
            "look-around",
        ),
        (["block", "add", "Sam", "--match", "   "], 'blocklist[1] ("Sam").match', "empty"),
        (["block", "add", "Sam", "--match", "re:"], 'blocklist[1] ("Sam").match', "empty"),
        (["block", "add", "Sam", "--match", "re:.*"], 'blocklist[1] ("Sam").match', "every window"),
        (["block", "add", "ALEX", "--match", "x y"], "blocklist", "already exists"),
        (["block", "edit", "Alex", "--rename", "  "], "blocklist[0]", "name is empty"),
        (["block", "edit", "Nobody", "--add-match", "x"], "blocklist", "no entry named"),
        (["block", "edit", "Alex", "--add-match", "re:[z"], 'blocklist[0] ("Alex").match', "RE2"),
        (["block", "remove", "Nobody"], "blocklist", "no entry named"),
        (["sites", "add", "Mastodon", "--match", "re:("], 'sites[0] ("Mastodon").match', "RE2"),
        (["sites", "remove", "Facebook"], "sites", "is built in"),
        (["sites", "disable", "Friendster"], "catalogue.disabled", "no site named"),
    ],
)
def test_bad_input_exits_2_names_the_field_and_leaves_the_file_alone(
    env: dict[str, str], args: list[str], field: str, reason: str
) -> None:
    before = Path(env["NUDGER_CONFIG"]).read_bytes()
    result = run_cli(env, *args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert field in result.stderr and reason in result.stderr, result.stderr
    assert env["NUDGER_CONFIG"] in result.stderr
    assert "Traceback" not in result.stderr
    assert Path(env["NUDGER_CONFIG"]).read_bytes() == before


def test_a_very_broad_pattern_is_allowed_with_a_warning_and_an_example(env: dict[str, str]) -> None:
    first_name = run_cli(env, "block", "add", "Sam", "--match", "Sam")
    assert first_name.returncode == 0
    assert 'warning: "Sam" is broad' in first_name.stderr
    assert "Sam Smith - Unholy (Lyrics)" in first_name.stderr
    short = run_cli(env, "block", "add", "Jo", "--match", "Jo")
    assert (
        short.returncode == 0
        and 'warning: "Jo" is broad' in short.stderr
        and '"Jo Malone London | Candles"' in short.stderr
    )
    tiny = run_cli(env, "block", "add", "Q", "--match", "qz")
    assert 'warning: "qz" is broad' in tiny.stderr and '"Happy birthday, Qz!"' in tiny.stderr
    careful = run_cli(env, "block", "add", "Dana", "--match", "Dana Whitfield")
    assert careful.returncode == 0 and careful.stderr == ""


@pytest.mark.parametrize("name", ["Alex", "Jordan", "Taylor", "Emma", "Doe", "Chris", "Max"])
def test_any_first_name_or_surname_alone_gets_the_warning(name: str) -> None:
    warning = breadth_warning(ENGLISH, name)
    assert warning is not None and f'"{name}" is broad' in warning
    # The example it shows is one the pattern really matches.
    example = warning.split("such as ", 1)[1].split('"')[1]
    assert Matcher([Rule("blocklist", "X", (name,))], ()).match(Window("xterm", example))


@pytest.mark.parametrize(
    "pattern", ["Alex Doe", "@alexdoe", "instagram.com/alexdoe", "alexdoe99", "re:alex\\s?doe"]
)
def test_handles_addresses_and_full_names_are_not_called_broad(pattern: str) -> None:
    assert breadth_warning(ENGLISH, pattern) is None


def test_sites_add_list_disable_enable_remove(env: dict[str, str]) -> None:
    assert (
        run_cli(
            env, "sites", "add", "Lemmy", "--match", "lemmy.world", "--match", "re:- Lemmy$"
        ).returncode
        == 0
    )
    assert run_cli(env, "sites", "disable", "youtube").stdout.strip() == "YouTube is off."
    listed = run_cli(env, "sites", "list").stdout
    assert "off  YouTube" in listed and "on   Lemmy" in listed and "yours" in listed
    tested = run_cli(env, "block", "test", "lofi beats - YouTube")
    assert tested.returncode == 1
    assert run_cli(env, "sites", "enable", "YouTube").stdout.strip() == "YouTube is on."
    assert run_cli(env, "block", "test", "lofi beats - YouTube").returncode == 0
    assert run_cli(env, "sites", "remove", "lemmy").returncode == 0
    assert "Lemmy" not in run_cli(env, "sites", "list").stdout
    assert "# My nudger settings. I wrote this by hand." in config_text(env)


def test_config_init_path_show(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    target = Path(env["NUDGER_CONFIG"])
    created = run_cli(env, "config", "init")
    assert created.returncode == 0, created.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    text = target.read_text()
    assert "# poll_seconds = 1.0" in text and "How often the window in front is sampled" in text
    assert run_cli(env, "config", "check").returncode == 0
    again = run_cli(env, "config", "init")
    assert again.returncode == 0 and "already lists every setting" in again.stdout
    assert target.read_text() == text

    # An edit on top of the generated file, then the effective settings and their sources.
    target.write_text(text.replace("# poll_seconds = 1.0", "poll_seconds = 3.0"))
    assert run_cli(env, "block", "add", "Alex", "--match", "Alex Doe").returncode == 0
    shown = run_cli(
        env,
        "config",
        "show",
    ).stdout
    assert f"poll_seconds = 3 # {target}" in shown
    assert "idle_seconds = 120 # built-in default" in shown
    assert f"# blocklist: from {target}\n\n[[blocklist]]" in shown
    env_shown = run_cli({**env, "NUDGER_WATCH__IDLE_SECONDS": "60"}, "config", "show").stdout
    assert "idle_seconds = 60 # environment variable NUDGER_WATCH__IDLE_SECONDS" in env_shown

    where = run_cli(env, "config", "path").stdout
    assert f"settings:  {target}" in where and env["NUDGER_DATA_DIR"] in where


def test_config_show_can_be_pasted_into_the_settings_file(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    target = Path(env["NUDGER_CONFIG"])
    target.write_text(
        '[summary]\nday_starts_at = "05:30"\ntime = ""\ntimezone = "Europe/Berlin"\n'
        '[nudges]\nquiet_hours = "23:00-07:15"\nsession_minutes = 12.5\n'
        '[[blocklist]]\nname = "Alex"\nmatch = ["Alex Doe", "re:\\\\balexd\\\\b"]\n'
        '[[messages]]\nkind = "move"\ntitle = "A walk?"\nbody = "Round the block."\n',
        encoding="utf-8",
    )
    shown = run_cli(env, "config", "show")
    assert shown.returncode == 0, shown.stderr
    assert "null" not in shown.stdout
    pasted = tmp_path / "pasted.toml"
    pasted.write_text(shown.stdout, encoding="utf-8")
    assert load(pasted, env={}).settings == load(target, env={}).settings


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("C", "never show it"),
        ("de_DE.UTF-8", "zeigen ihn nie"),
        ("es_ES.UTF-8", "nunca lo muestran"),
    ],
)
def test_block_add_help_says_the_name_never_shows_in_notifications(
    tmp_path: Path, lang: str, words: str
) -> None:
    """Someone about to type the ex's name deserves to know where it will (never) appear."""
    env = {**isolated_env(tmp_path), "LANG": lang, "LC_ALL": lang}
    result = run_cli(env, "block", "add", "--help")
    assert result.returncode == 0, result.stderr
    assert words in " ".join(result.stdout.split())
