"""Bad input, generated: random configs never give a traceback, random titles never raise."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
import tomlkit
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from nudger.cli import main
from nudger.core.matching import Matcher
from nudger.core.types import Rule
from nudger.errors import ConfigError
from nudger.sensing.base import Window
from nudger.settings.catalogue import all_rules
from nudger.settings.loader import load
from nudger.settings.models import Settings
from nudger.settings.values import LoadedConfig
from nudger.shell.daemon import Daemon
from tests.desktop.rig import wait_until
from tests.nudger_process import NudgerDaemon, headless_env

KNOWN = {
    "watch": ["poll_seconds", "idle_seconds", "flush_seconds", "process_scan_seconds", "browsers"],
    "summary": ["day_starts_at", "time", "timezone"],
    "privacy": ["store_titles", "redact_blocklist_titles", "alias_blocklist", "keep_days"],
    "nudges": [
        "enabled",
        "blocklist_after_seconds",
        "session_minutes",
        "min_gap_minutes",
        "quiet_hours",
    ],
    "catalogue": ["disabled"],
    "support": ["line"],
}

scalars = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(max_size=30),
    st.sampled_from(
        ["04:00", "25:99", "", "re:(", "Europe/Berlin", "Mars/Base", "23:00-07:00", "late", "1h"]
    ),
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 1, 1)),
    st.dates(),
    st.times(),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4), max_leaves=8)
names = st.one_of(
    st.sampled_from(sorted({k for keys in KNOWN.values() for k in keys})),
    st.from_regex(r"[a-z_]{1,12}", fullmatch=True),
)


@st.composite
def configs(draw: st.DrawFn) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    for section in draw(
        st.lists(st.one_of(st.sampled_from(sorted(KNOWN)), names), max_size=4, unique=True)
    ):
        doc[section] = draw(st.dictionaries(names, values, max_size=4))
    if draw(st.booleans()):
        entry = st.fixed_dictionaries(
            {},
            optional={
                "name": st.one_of(st.text(max_size=10), values),
                "match": st.one_of(
                    st.lists(
                        st.one_of(
                            st.text(max_size=12), st.text(max_size=8).map(lambda t: "re:" + t)
                        ),
                        max_size=3,
                    ),
                    values,
                ),
                "apps": st.one_of(st.lists(st.text(max_size=8), max_size=2), values),
            },
        )
        doc[draw(st.sampled_from(["blocklist", "sites"]))] = draw(
            st.lists(entry, min_size=1, max_size=3)
        )
    return doc


def check_file(text_or_bytes: str | bytes, capsys: pytest.CaptureFixture[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "config.toml"
        if isinstance(text_or_bytes, bytes):
            path.write_bytes(text_or_bytes)
        else:
            path.write_text(text_or_bytes, encoding="utf-8")
        code = main(["--config", str(path), "config", "check"])  # raises on any bug: the test fails
        captured = capsys.readouterr()
    assert code in (0, 2), captured
    if code == 2:
        [line] = captured.err.strip().splitlines()  # one line, no traceback
        assert line.startswith(f"nudger: {path}: "), line
        field = line.removeprefix(f"nudger: {path}: ").split(": ", 1)[0]
        assert field.strip(), "the message names a field (or a line of the file)"


@settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doc=configs())
def test_random_configs_get_a_verdict_never_a_traceback(
    doc: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        text = tomlkit.dumps(doc)
    except (ValueError, TypeError):
        return  # not representable in TOML at all (a mixed-type array, say): nothing to feed
    check_file(text, capsys)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=200) | st.text(max_size=200))
def test_random_bytes_get_a_verdict_never_a_traceback(
    data: bytes | str, capsys: pytest.CaptureFixture[str]
) -> None:
    check_file(data, capsys)


MATCHER = Matcher(
    [
        *all_rules(Settings()),
        Rule("blocklist", "Alex", ("Alex Doe", "@alexdoe", "re:(a+)+b$", r"re:(\w+\s?)*!$")),
    ],
    ["chromium", "firefox"],
)
titles = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=3000)


@settings(max_examples=500, deadline=None)
@given(
    title=titles, app=st.sampled_from(["chromium", "xterm", "", "firefox"]), url=st.none() | titles
)
def test_random_titles_never_raise(title: str, app: str, url: str | None) -> None:
    hits = MATCHER.match(Window(app, title, url=url))
    assert all(hit.target for hit in hits)


def test_enormous_and_pathological_titles() -> None:
    bomb = "a" * 100_000 + "!"
    for title in (
        bomb,
        "(" * 50_000,
        "\x00" * 10_000,
        "\udcff" * 1000 + " Alex Doe",
        "Alex Doe" + "\u0301" * 20_000,
    ):
        MATCHER.match(Window("xterm", title))
    # RE2 cannot backtrack: the classic catastrophic pattern over a long run returns at once.
    assert MATCHER.match(Window("xterm", bomb)) == ()
    assert re.search("Alex", "\udcff Alex Doe")


# -- whatever `config check` accepts, the daemon starts with ----------------------------------

# Mostly values that load, so that many examples reach the daemon; some that must not.
clock_texts = st.one_of(
    st.times().map(lambda t: f"{t:%H:%M}"),
    st.times().map(lambda t: f"{t:%H:%M:%S}"),
    st.sampled_from(["4:00", "00:00", "23:59:59", "23:00+05:00", "24:00", "9:5", ""]),
    st.integers(-5, 100000),
)
numbers = st.one_of(
    st.floats(0.2, 60),
    st.integers(1, 60),
    st.sampled_from([1e-300, 0.001, 0.2, 1, 60, 3600, 86400, 1e308, float("nan"), -1]),
)
pattern_texts = st.one_of(
    st.from_regex(r"[A-Za-z@][A-Za-z .@_-]{2,15}", fullmatch=True),
    st.text(max_size=20),
    st.sampled_from(
        ["Alex Doe", "@alexdoe", r"re:\pL{150}", r"re:\w{1000}", "re:(a|b)*c", "re:[[:alpha:]]+"]
    ),
    st.text(max_size=12).map(lambda t: "re:" + t),
)
message_texts = st.one_of(
    st.from_regex(r"[A-Za-z][A-Za-z ,.!?]{0,30}", fullmatch=True),
    st.text(max_size=50),
    st.sampled_from(["{site:>30000000}", "{site:d}", "{minutes:x}", "Hi {site}", "{site!r}"]),
)


@st.composite
def daemon_configs(draw: st.DrawFn) -> dict[str, Any]:
    """Configs that reach the corners the daemon uses: times, zones, intervals, patterns."""
    return {
        "watch": draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "poll_seconds": numbers,
                    "idle_seconds": numbers,
                    "flush_seconds": numbers,
                    "process_scan_seconds": numbers,
                },
            )
        ),
        "summary": draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "day_starts_at": clock_texts,
                    "time": clock_texts,
                    "timezone": st.sampled_from(
                        [
                            "",
                            "Europe/Berlin",
                            "Europe",
                            "UTC+14",
                            "../x",
                            "Asia/Kathmandu",
                            "A" * 300,
                        ]
                    ),
                },
            )
        ),
        "nudges": draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "quiet_hours": st.one_of(
                        st.tuples(clock_texts, clock_texts).map(lambda p: f"{p[0]}-{p[1]}"),
                        st.sampled_from(["23:00-07:00", "23:00+05:00-07:00", "x", ""]),
                    ),
                    "repeat_minutes": numbers,
                    "expire_seconds": numbers,
                },
            )
        ),
        "blocklist": draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "name": st.text(min_size=1, max_size=8),
                        "match": st.lists(pattern_texts, max_size=3),
                    }
                ),
                max_size=3,
            )
        ),
        "messages": draw(
            st.lists(
                st.fixed_dictionaries(
                    {"kind": st.just("move"), "title": message_texts, "body": message_texts}
                ),
                max_size=2,
            )
        ),
    }


def starts(loaded: LoadedConfig, data_dir: Path) -> None:
    """Build everything `nudger run` builds from these settings, as it does, and stop."""
    Daemon(loaded, data_dir, signals=InboxThatTakesNothing()).close()


class InboxThatTakesNothing:
    """The daemon's signal inbox, unused here: nothing in this test waits for a signal."""

    def next(self) -> int:
        raise AssertionError("the test never waits for signals")

    def request_reload(self) -> None:
        """Nothing to reload."""

    def post(self, command: str) -> None:
        raise AssertionError(f"nothing in this test clicks the status icon ({command})")

    def posted(self) -> list[str]:
        return []

    def close(self) -> None:
        """Nothing to release."""


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doc=daemon_configs())
def test_whatever_config_check_accepts_the_daemon_starts_with(
    doc: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        text = tomlkit.dumps(doc)
    except (ValueError, TypeError):
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "config.toml"
        path.write_text(text, encoding="utf-8")
        checked = main(["--config", str(path), "config", "check"])
        captured = capsys.readouterr()
        assert checked in (0, 2), captured
        try:
            loaded = load(path, env={})
        except ConfigError:
            assert checked == 2, "config check accepted what the loader refuses"
            return
        assert checked == 0, f"config check refused what the loader accepts: {captured.err}"
        event("accepted, and the daemon was built")
        starts(loaded, Path(tmp) / "data")  # raises on anything that would stop `nudger run`


EDGES = {
    "a zone with a 45-minute offset": '[summary]\ntimezone = "Asia/Kathmandu"\nday_starts_at = "0:30"\n',
    "quiet hours over midnight": '[nudges]\nquiet_hours = "22:30-06:15"\n',
    "the shortest intervals": "[watch]\npoll_seconds = 0.2\nflush_seconds = 1\nprocess_scan_seconds = 1\n",
    "no evening summary": '[summary]\ntime = ""\n',
    "five hundred entries": "".join(
        f'[[blocklist]]\nname = "P{i}"\nmatch = ["Person{i} Example", "@person{i}", "re:p{i}[._]?ex"]\n'
        for i in range(500)
    ),
}


@pytest.mark.parametrize("name", sorted(EDGES))
def test_the_real_daemon_starts_with_settings_at_the_edges(tmp_path: Path, name: str) -> None:
    env = headless_env(tmp_path)
    Path(env["NUDGER_CONFIG"]).write_text(EDGES[name], encoding="utf-8")
    assert main(["--config", env["NUDGER_CONFIG"], "config", "check"]) == 0
    daemon = NudgerDaemon(tmp_path, env).start()
    try:
        wait_until(lambda: "nudger started" in daemon.log(), 30, "the daemon to start")
        time.sleep(1.5)
        assert daemon.process is not None and daemon.process.poll() is None, daemon.log()
    finally:
        assert daemon.stop() == 0
