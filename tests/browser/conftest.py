"""What the browser tests share: a private runtime folder, and the daemon's relay listening in
it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from nudger.browser.relay import BrowserRelay


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    return {"XDG_RUNTIME_DIR": str(runtime), "NUDGER_DATA_DIR": str(tmp_path / "data")}


@pytest.fixture
def relay(env: dict[str, str]) -> Iterator[BrowserRelay]:
    started = BrowserRelay.start(env)
    yield started
    started.close()
