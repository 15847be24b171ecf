"""What a hostile probe (or an unlucky user) did to the files around nudger: folders it was told
to write into, links in place of its files, FIFOs in place of files it reads."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import time
import tomllib
from pathlib import Path

from tests.desktop.rig import wait_until
from tests.local_users import LocalUser
from tests.nudger_process import NUDGER, NudgerDaemon, headless_env, isolated_env, run_cli


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- 1. nudger sets modes only on what it created ---------------------------------------------


def test_a_report_into_a_shared_sticky_folder_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # like /tmp
    env = isolated_env(tmp_path)
    result = run_cli(env, "report", "--output", str(shared / "r.html"))
    assert result.returncode == 0, result.stderr
    assert mode(shared) == 0o1777, "the folder it was told to write into is not nudger's"
    assert mode(shared / "r.html") == 0o600

    home = Path(env["HOME"])
    home.chmod(0o755)
    result = subprocess.run(
        [NUDGER, "summary", "--html", "r.html"], cwd=home, env=env, capture_output=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert mode(home) == 0o755
    assert mode(home / "r.html") == 0o600


def test_a_report_into_a_folder_that_cannot_be_written_is_one_line(tmp_path: Path) -> None:
    env = isolated_env(tmp_path)
    result = run_cli(env, "report", "--output", "/proc/nudger-report.html")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("nudger: cannot write the report to /proc/nudger-report.html")


# -- 2. links ---------------------------------------------------------------------------------


def test_a_database_that_is_a_link_is_refused_and_its_target_left_alone(tmp_path: Path) -> None:
    other = tmp_path / "other-program.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    before = other.read_bytes()
    env = headless_env(tmp_path)
    data = Path(env["NUDGER_DATA_DIR"])
    data.mkdir(mode=0o700)
    (data / "nudger.db").symlink_to(other)

    started = subprocess.run(
        [NUDGER, "run"], env=env, capture_output=True, text=True, timeout=30, check=False
    )
    assert started.returncode == 1
    assert "symbolic link" in started.stderr and "Traceback" not in started.stderr
    assert other.read_bytes() == before, "no nudger tables, no WAL mode in another file"
    summary = run_cli(env, "summary")
    assert summary.returncode == 1 and "symbolic link" in summary.stderr
    assert other.read_bytes() == before


def test_a_log_file_that_is_a_link_is_not_written_through(tmp_path: Path) -> None:
    env = headless_env(tmp_path)
    target = tmp_path / "someone-elses.log"
    target.write_text("theirs\n", encoding="utf-8")
    logs = Path(env["NUDGER_DATA_DIR"]) / "logs"
    logs.mkdir(parents=True, mode=0o700)
    (logs / "nudger.log").symlink_to(target)
    daemon = NudgerDaemon(tmp_path, env).start()
    try:
        wait_until(lambda: "nudger started" in daemon.log(), 20, "the daemon")
        assert "cannot write a log file" in daemon.log() and "symbolic link" in daemon.log()
    finally:
        assert daemon.stop() == 0
    assert target.read_text(encoding="utf-8") == "theirs\n"


def test_a_settings_file_kept_by_a_dotfile_manager_is_edited_at_its_target(
    tmp_path: Path,
) -> None:
    env = isolated_env(tmp_path)
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    real = dotfiles / "nudger.toml"
    real.write_text("# kept in git\n", encoding="utf-8")
    link = Path(env["NUDGER_CONFIG"])
    link.symlink_to(real)

    assert run_cli(env, "block", "add", "Alex", "--match", "Alex Doe").returncode == 0
    assert link.is_symlink() and link.resolve() == real
    text = real.read_text(encoding="utf-8")
    assert text.startswith("# kept in git\n")
    assert tomllib.loads(text)["blocklist"][0]["name"] == "Alex"
    assert "Alex" in run_cli(env, "block", "list").stdout


# -- 3. another local user's links ---------------------------------------------------------------


def test_another_users_link_never_makes_a_report_overwrite_the_persons_file(
    tmp_path: Path, shared_tmp: Path, other_user: LocalUser
) -> None:
    env = isolated_env(tmp_path)
    bashrc = Path(env["HOME"]) / ".bashrc"
    bashrc.write_text("alias ll='ls -l'\n", encoding="utf-8")
    report = shared_tmp / "weekly-report.html"
    other_user.link(bashrc, report)  # ln -sfn ~victim/.bashrc /tmp/weekly-report.html

    result = run_cli(env, "report", "--output", str(report))
    assert bashrc.read_text(encoding="utf-8") == "alias ll='ls -l'\n"
    # Root may replace anyone's entry in /tmp: the report is a file of the person's own.
    assert result.returncode == 0, result.stderr
    info = report.lstat()
    assert stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid()
    assert stat.S_IMODE(info.st_mode) == 0o600
    assert "<html" in report.read_text(encoding="utf-8")


def test_where_the_link_cannot_be_replaced_one_line_says_so(
    private_tmp: Path, shared_tmp: Path, other_user: LocalUser, second_person: LocalUser
) -> None:
    # A person who is not root: the sticky /tmp keeps them from replacing the other's link.
    own = private_tmp / "person"
    (own / "home").mkdir(parents=True)
    bashrc = own / "home" / ".bashrc"
    bashrc.write_text("alias ll='ls -l'\n", encoding="utf-8")
    subprocess.run(
        ["chown", "-R", f"{second_person.uid}:{second_person.gid}", str(own)], check=True
    )
    own.chmod(0o700)
    report = shared_tmp / "weekly-report.html"
    other_user.link(bashrc, report)

    env = isolated_env(own)
    result = second_person.run(NUDGER, "report", "--output", str(report), env=env, cwd=own)
    assert bashrc.read_text(encoding="utf-8") == "alias ll='ls -l'\n"
    assert result.returncode == 1, result.stdout + result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"nudger: cannot write the report to {report}: another user's link")
    assert report.lstat().st_uid == other_user.uid  # left as it was: still their link
    # Into a folder of the person's own, the same report is written.
    ok = second_person.run(NUDGER, "report", "--output", str(own / "r.html"), env=env, cwd=own)
    assert ok.returncode == 0, ok.stderr


def test_a_planted_link_at_the_old_socket_place_changes_nothing(
    tmp_path: Path, shared_tmp: Path, other_user: LocalUser
) -> None:
    # No XDG_RUNTIME_DIR, and TMPDIR a shared folder where another user made
    # nudger-<uid> a link to a folder of the person's.
    env = headless_env(tmp_path)
    env.pop("XDG_RUNTIME_DIR", None)
    env["TMPDIR"] = str(shared_tmp)
    documents = Path(env["HOME"]) / "Documents"
    documents.mkdir()
    documents.chmod(0o755)
    other_user.link(documents, shared_tmp / f"nudger-{os.getuid()}")

    daemon = NudgerDaemon(tmp_path, env).start()
    try:
        wait_until(
            lambda: "listening for the browser companion at" in daemon.log(), 30, "the socket"
        )
        assert mode(documents) == 0o755, "the person's folder keeps its mode"
        assert list(documents.iterdir()) == []
        [place] = [
            line.split(" at ", 1)[1].strip()
            for line in daemon.log().splitlines()
            if "listening for the browser companion at" in line
        ]
        assert Path(place).parent == Path(env["NUDGER_DATA_DIR"]) / "run" or Path(
            place
        ).parent.parent == Path(env["HOME"])
        assert not place.startswith(str(shared_tmp))
    finally:
        assert daemon.stop() == 0


def test_a_data_folder_that_is_another_users_link_is_refused_in_one_line(
    tmp_path: Path, shared_tmp: Path, other_user: LocalUser
) -> None:
    env = headless_env(tmp_path)
    documents = Path(env["HOME"]) / "Documents"
    documents.mkdir()
    documents.chmod(0o755)
    other_user.link(documents, shared_tmp / "nudger-data")
    env["NUDGER_DATA_DIR"] = str(shared_tmp / "nudger-data")
    started = subprocess.run(
        [NUDGER, "run"], env=env, capture_output=True, text=True, timeout=30, check=False
    )
    assert started.returncode == 1
    # The log says it cannot write there, then nudger stops with one line: no traceback.
    assert "Traceback" not in started.stderr
    planted = shared_tmp / "nudger-data"
    last = started.stderr.strip().splitlines()[-1]
    assert last == f"nudger: {planted} is another user's link; nudger does not follow it"
    assert mode(documents) == 0o755 and list(documents.iterdir()) == []


# -- 6. FIFOs never hang anything --------------------------------------------------------------


def test_a_fifo_as_the_settings_file_is_refused_at_once(tmp_path: Path) -> None:
    env = headless_env(tmp_path)
    os.mkfifo(env["NUDGER_CONFIG"])
    began = time.monotonic()
    result = subprocess.run(
        [NUDGER, "run"], env=env, capture_output=True, text=True, timeout=20, check=False
    )
    assert time.monotonic() - began < 10
    assert result.returncode == 2
    assert "not a regular file" in result.stderr and "Traceback" not in result.stderr
    status = run_cli(env, "status", timeout=20)
    assert status.returncode == 3 and "nudger is not running" in status.stdout


def test_a_fifo_as_the_pause_file_does_not_hang_status(tmp_path: Path) -> None:
    env = headless_env(tmp_path)
    data = Path(env["NUDGER_DATA_DIR"])
    data.mkdir(mode=0o700)
    os.mkfifo(data / "pause.json")
    began = time.monotonic()
    status = run_cli(env, "status", timeout=20)
    assert time.monotonic() - began < 10
    assert status.returncode == 3 and "Traceback" not in status.stderr
    assert "paused" not in status.stdout


def test_a_fifo_swapped_in_for_the_settings_file_keeps_the_daemon_going(tmp_path: Path) -> None:
    env = headless_env(tmp_path)
    daemon = NudgerDaemon(tmp_path, env, "[watch]\nprocess_scan_seconds = 1\n").start()
    try:
        wait_until(lambda: "nudger started" in daemon.log(), 20, "the daemon")
        daemon.config_path.unlink()
        os.mkfifo(daemon.config_path)
        wait_until(lambda: "not a regular file" in daemon.log(), 10, "the FIFO to be refused")
        daemon.send(signal.SIGHUP)
        time.sleep(1)
        status = run_cli(env, "status", timeout=20)
        assert status.returncode == 0, status.stdout + status.stderr
        assert "nudger is running" in status.stdout
    finally:
        assert daemon.stop(timeout=10) == 0
