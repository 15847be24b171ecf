"""Bad input, generated: random configs never give a traceback, random titles never raise."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
import tomlkit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nudger.catalogue import all_rules
from nudger.cli import main
from nudger.matching import Matcher, Rule
from nudger.sensing.base import Window
from nudger.settings import Settings

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
