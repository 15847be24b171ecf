"""The daemon's file watch: a saved settings file (or its link's target) wakes it, without it
looking every few seconds (issue 34)."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import pytest

from nudger.shell.file_watch import FileWatch

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")


def _watch(paths: list[Path], due: float | None = None) -> tuple[FileWatch, threading.Event]:
    """A watch, past its first look (see the test of it below): `called` is set again only
    by what comes after."""
    called = threading.Event()
    watch = FileWatch(paths, called.set, due=lambda: due)
    assert called.wait(30), "the watch did not take its first look"
    called.clear()
    return watch, called


def test_the_watch_looks_once_when_it_starts(tmp_path: Path) -> None:
    """A file saved while the daemon was starting (after it read the file, before the watch
    began) wakes no event: the watch's first look finds it."""
    settings = tmp_path / "config.toml"
    settings.write_text("[watch]\n", encoding="utf-8")
    looks: list[float] = []
    looked = threading.Event()

    def look() -> None:
        looks.append(time.monotonic())
        looked.set()

    watch = FileWatch([settings], look)
    try:
        assert looked.wait(30), "the watch took no first look"
        assert len(looks) == 1
    finally:
        watch.close()


@linux_only
def test_saving_the_file_wakes_the_watch_at_once(tmp_path: Path) -> None:
    settings = tmp_path / "config.toml"
    settings.write_text("[watch]\n", encoding="utf-8")
    watch, called = _watch([settings])
    try:
        assert watch.follows_kernel
        settings.write_text("[watch]\nidle_seconds = 60\n", encoding="utf-8")
        assert called.wait(30), "a saved file was not noticed"
    finally:
        watch.close()


@linux_only
def test_an_editor_writing_a_new_file_and_renaming_it_is_noticed(tmp_path: Path) -> None:
    settings = tmp_path / "config.toml"
    settings.write_text("[watch]\n", encoding="utf-8")
    watch, called = _watch([settings])
    try:
        fresh = tmp_path / ".config.toml.swp"
        fresh.write_text("[watch]\nidle_seconds = 60\n", encoding="utf-8")
        fresh.replace(settings)
        assert called.wait(30), "a file renamed over the settings was not noticed"
    finally:
        watch.close()


@linux_only
def test_an_edit_of_a_linked_files_target_is_noticed(tmp_path: Path) -> None:
    (tmp_path / "dotfiles").mkdir()
    (tmp_path / "config").mkdir()
    target = tmp_path / "dotfiles" / "nudger.toml"
    target.write_text("[watch]\n", encoding="utf-8")
    link = tmp_path / "config" / "config.toml"
    link.symlink_to(target)
    watch, called = _watch([link])
    try:
        target.write_text("[watch]\nidle_seconds = 60\n", encoding="utf-8")
        assert called.wait(30), "an edit of the link's target was not noticed"
    finally:
        watch.close()


def test_something_falling_due_wakes_it(tmp_path: Path) -> None:
    settings = tmp_path / "config.toml"
    settings.write_text("", encoding="utf-8")
    watch, called = _watch([settings], due=time.time() + 3)
    try:
        assert called.wait(30), "a promise falling due did not wake the watch"
    finally:
        watch.close()
