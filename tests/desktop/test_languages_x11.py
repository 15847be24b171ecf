"""A real nudge, through the real daemon and real dunst, in German (from LANG) and in Spanish
(from [ui] language): the text, the title and both buttons."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from nudger.settings.messages import builtin_book
from tests.desktop.rig import Desktop, wait_until
from tests.desktop.test_nudges_x11 import ALEX, PROFILE_TITLE, nudger_calls
from tests.nudger_process import NudgerDaemon

pytestmark = [pytest.mark.desktop, pytest.mark.browser]


@pytest.mark.parametrize(
    ("language", "config", "environment", "snooze", "away"),
    [
        ("de", "", {"LANG": "de_DE.UTF-8"}, "1 Std. schlummern", "Ich gehe kurz weg"),
        (
            "es",
            '[ui]\nlanguage = "es"\n',
            {"LANG": "en_GB.UTF-8"},
            "Posponer 1 h",
            "Me alejo un rato",
        ),
    ],
)
def test_a_real_nudge_in_the_persons_language(
    desktop: Desktop,
    daemon_factory: Callable[..., NudgerDaemon],
    language: str,
    config: str,
    environment: dict[str, str],
    snooze: str,
    away: str,
) -> None:
    daemon = daemon_factory(desktop, ALEX + config)
    daemon.env.update({**environment, "LC_ALL": "", "LC_MESSAGES": ""})
    daemon.start().wait_watching()
    desktop.activate(desktop.open_chromium(PROFILE_TITLE))
    wait_until(lambda: nudger_calls(desktop), 30, "a Notify call from nudger")
    [call] = nudger_calls(desktop)
    _app, _icon, title, _body, *rest = call
    book = builtin_book(language)
    assert title in {m.title for m in book.messages} | {h.title for h in book.heavy_day_titles}
    assert rest[:4] == ["snooze", snooze, "away", away]
    assert "alex" not in " ".join(call).lower()
    english = builtin_book("en")
    assert title not in {m.title for m in english.messages}
