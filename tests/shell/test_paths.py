"""Every directory nudger creates is private (0700); directories it finds keep their modes."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from nudger import paths
from tests.local_users import LocalUser


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


def test_another_users_link_is_never_followed_to_change_a_folder(
    tmp_path: Path, shared_tmp: Path, other_user: LocalUser
) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    mine.chmod(0o755)
    planted = shared_tmp / "nudger-data"
    other_user.link(mine, planted)
    with pytest.raises(paths.NotOurs, match="another user's link"):
        paths.ensure_private_dir(planted)
    assert mode(mine) == 0o755
    # Nor is another user's folder made "private" (root could change it).
    theirs = shared_tmp / "theirs"
    assert other_user.run("mkdir", "-m", "755", str(theirs)).returncode == 0
    with pytest.raises(paths.NotOurs, match="belongs to another user"):
        paths.ensure_private_dir(theirs)
    assert mode(theirs) == 0o755


def test_the_persons_own_link_to_their_own_folder_is_followed(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "nudger"
    real.mkdir(parents=True)
    real.chmod(0o755)
    link = tmp_path / "data"
    link.symlink_to(real)
    paths.ensure_private_dir(link)
    assert mode(real) == 0o700 and link.is_symlink()


def test_a_file_is_never_written_through_another_users_link_on_the_way(
    tmp_path: Path, shared_tmp: Path, other_user: LocalUser
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    bashrc = home / ".bashrc"
    bashrc.write_text("mine\n", encoding="utf-8")
    other_user.link(home, shared_tmp / "reports")  # a folder on the way is their link
    with pytest.raises(paths.NotOurs, match="another user's link"):
        paths.write_private_atomic(shared_tmp / "reports" / ".bashrc", "report")
    assert bashrc.read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in home.iterdir()) == [".bashrc"]

    # Their link as the file's own name: replaced by a file of the person's (root may).
    other_user.link(bashrc, shared_tmp / "report.html")
    paths.write_private_atomic(shared_tmp / "report.html", "report")
    assert bashrc.read_text(encoding="utf-8") == "mine\n"
    assert not (shared_tmp / "report.html").is_symlink()
    assert (shared_tmp / "report.html").read_text(encoding="utf-8") == "report"
    # The person's own link is written through, as a dotfile manager expects.
    (tmp_path / "settings.toml").symlink_to(bashrc)
    paths.write_private_atomic(tmp_path / "settings.toml", "edited\n")
    assert bashrc.read_text(encoding="utf-8") == "edited\n"
    assert (tmp_path / "settings.toml").is_symlink()
