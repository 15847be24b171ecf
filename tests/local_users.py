"""Other people on the same computer, for the attacks one local user can try on another.

The tests run as root here, so they can create real accounts (system users without a home) and
run an attacker's (or a victim's) steps as that account with setpriv: the kernel then checks
owners and the sticky bit exactly as it would between two people."""

from __future__ import annotations

import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class LocalUser:
    name: str
    uid: int
    gid: int

    def run(
        self, *command: str, env: dict[str, str] | None = None, cwd: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run `command` as this user, with no group of root's."""
        return subprocess.run(
            ["setpriv", f"--reuid={self.uid}", f"--regid={self.gid}", "--clear-groups", *command],
            env=env,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def link(self, target: Path, link: Path) -> None:
        """`ln -sfn target link`, as this user."""
        made = self.run("ln", "-sfn", str(target), str(link))
        assert made.returncode == 0, made.stderr
        assert link.lstat().st_uid == self.uid


def local_user(name: str) -> LocalUser:
    if os.geteuid() != 0:
        pytest.fail("these tests create a second local user and need root", pytrace=False)
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
            capture_output=True,
            check=False,  # another test run may have made it a moment ago
        )
        entry = pwd.getpwnam(name)
    return LocalUser(name, entry.pw_uid, entry.pw_gid)


@pytest.fixture(scope="session")
def other_user() -> LocalUser:
    """Someone else with an account on this computer: the one planting links."""
    return local_user("nudger-probe")


@pytest.fixture(scope="session")
def second_person() -> Iterator[LocalUser]:
    """A person using nudger who is not root (the kernel lets root replace anyone's link).

    They run this checkout's nudger: a clone made in a private folder (`mktemp -d` is 0700)
    gets the right to pass through (o+x, not to list) for the tests, and loses it after."""
    opened = []
    for folder in (Path(sys.prefix).resolve(), *Path(sys.prefix).resolve().parents):
        mode = folder.stat().st_mode
        if not mode & stat.S_IXOTH:
            folder.chmod(stat.S_IMODE(mode) | stat.S_IXOTH)
            opened.append((folder, stat.S_IMODE(mode)))
    try:
        yield local_user("nudger-person")
    finally:
        for folder, mode in opened:
            folder.chmod(mode)


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder like /tmp: everyone may create in it, no one may remove another's entries.
    Outside pytest's own folder, which other users cannot enter."""
    folder = Path(tempfile.mkdtemp(prefix="nudger-shared-"))
    folder.chmod(0o1777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def private_tmp() -> Iterator[Path]:
    """A folder others may pass through (0711) for files the tests give to a second person."""
    folder = Path(tempfile.mkdtemp(prefix="nudger-people-"))
    folder.chmod(0o711)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)
