"""Every directory nudger creates is private (0700); directories it finds keep their modes."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from nudger import paths


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_default_log_directory_is_private_all_the_way_down(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On Linux the default is $XDG_STATE_HOME/nudger/log: two directories nudger creates.
    assert sys.platform.startswith("linux")
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.delenv("NUDGER_DATA_DIR", raising=False)
    log_dir = paths.log_dir()
    assert log_dir == home / "state" / "nudger" / "log"

    before = os.umask(0o022)  # the usual umask: a plain mkdir would leave 0755
    try:
        paths.ensure_private_dir(log_dir)
    finally:
        os.umask(before)

    for created in (home / "state", home / "state" / "nudger", log_dir):
        assert mode(created) == 0o700, created
    assert mode(home) == 0o755  # not ours: left alone


def test_an_existing_loose_directory_is_tightened_and_its_parents_are_not(tmp_path: Path) -> None:
    loose = tmp_path / "data"
    loose.mkdir()
    loose.chmod(0o755)
    tmp_path.chmod(0o755)
    paths.ensure_private_dir(loose)
    assert mode(loose) == 0o700
    assert mode(tmp_path) == 0o755
