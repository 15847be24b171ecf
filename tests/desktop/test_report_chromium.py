"""The HTML report in real headless Chromium: it renders, and it loads nothing from anywhere."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import time
from pathlib import Path

import pytest
from PIL import Image

from nudger.core.types import Visit
from nudger.settings.models import Settings
from nudger.shell.history import FIRST_RUN_KEY
from nudger.shell.reporting import Reporting
from nudger.store import Store
from tests.desktop.rig import CHROMIUM_FLAGS, chromium_binary

pytestmark = pytest.mark.browser

NETWORK_SCHEMES = ("http://", "https://", "ws://", "wss://", "ftp://")


def load_in_chromium(page: Path, workdir: Path) -> tuple[Path, list[str]]:
    """Screenshot `page` in headless Chromium; return the PNG and the URLs the page asked for."""
    shot, netlog = workdir / "shot.png", workdir / "netlog.json"
    subprocess.run(
        [
            chromium_binary(),
            "--headless",
            *CHROMIUM_FLAGS,
            f"--user-data-dir={workdir / 'profile'}",
            f"--log-net-log={netlog}",
            f"--screenshot={shot}",
            "--window-size=1100,1800",
            page.resolve().as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=90,
    )
    log = json.loads(netlog.read_text())
    names = {number: name for name, number in log["constants"]["logEventTypes"].items()}
    requested = []
    for event in log["events"]:
        params = event.get("params", {})
        # Chromium's own background traffic has no origin; anything the page asks for has one
        # ("null" for a file:// page).
        if (
            names[event["type"]] == "URL_REQUEST_START_JOB"
            and params.get("initiator") != "not an origin"
        ):
            requested.append(str(params.get("url")))
    return shot, [url for url in requested if url.startswith(NETWORK_SCHEMES)]


def not_blank(shot: Path) -> bool:
    image = Image.open(shot).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20) or []
    background = max(colours)[1] if colours else (255, 255, 255)
    inked = sum(count for count, colour in colours if colour != background)
    return len(colours) > 50 and inked / (image.width * image.height) > 0.05


def test_a_page_that_loads_from_the_network_is_caught(tmp_path: Path) -> None:
    """The detector itself: a page with an external image and stylesheet is flagged."""
    canary = tmp_path / "canary.html"
    canary.write_text(
        '<!doctype html><link rel="stylesheet" href="https://fonts.example.invalid/x.css">'
        '<img src="http://203.0.113.9/pixel.png"><p>canary</p>'
    )
    _, requested = load_in_chromium(canary, tmp_path)
    assert sorted(requested) == [
        "http://203.0.113.9/pixel.png",
        "https://fonts.example.invalid/x.css",
    ]


def test_the_report_renders_in_chromium_and_loads_nothing(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "nudger.db")
    now = time.time()
    store.set_meta(FIRST_RUN_KEY, str(now - 40 * 86400))
    visits = []
    for day in range(30):
        start = now - day * 86400 - 3600
        visits.append(Visit("site", "Instagram", "title", "front", start, start + 300 + day * 40))
        visits.append(Visit("site", "Reddit", "title", "front", start + 1000, start + 1600))
        if day % 6 == 2:
            visits.append(Visit("blocklist", "Alex", "title", "front", start + 10, start + 70))
    store.save_visits(visits)
    reporting = Reporting.open(Settings(), store)
    page = reporting.write_html(reporting.days.day_of(now), tmp_path / "report.html")
    assert page.stat().st_mode & 0o777 == 0o600

    shot, requested = load_in_chromium(page, tmp_path)
    assert requested == []
    assert not_blank(shot)
    assert dt.date.today().isoformat()[:4] in page.read_text()
