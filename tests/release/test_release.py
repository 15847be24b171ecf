"""scripts/release: the wheel, the sdist, the companion for Chromium and Firefox, the
completions and the man page, all of one version, with checksums that hold."""

from __future__ import annotations

import hashlib
import json
import shlex
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import nudger

ROOT = Path(__file__).resolve().parents[2]
VERSION = nudger.__version__


def test_the_release_holds_every_artefact_and_checksums_that_hold(released: Path) -> None:
    names = {p.relative_to(released).as_posix() for p in released.rglob("*") if p.is_file()}
    assert names == {
        f"nudger-{VERSION}-py3-none-any.whl",
        f"nudger-{VERSION}.tar.gz",
        f"nudger-companion-{VERSION}-chromium.zip",
        f"nudger-companion-{VERSION}-firefox.xpi",
        "completions/nudger.bash",
        "completions/_nudger",
        "completions/nudger.fish",
        "nudger.1",
        "SHA256SUMS",
    }
    sums = {}
    for line in (released / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        sums[name] = digest
    assert set(sums) == names - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256((released / name).read_bytes()).hexdigest() == digest, name
    # The tool people check with agrees.
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=released, check=False)
    assert check.returncode == 0


def test_the_wheel_ships_the_companion_the_catalogues_and_every_table(released: Path) -> None:
    wheel = zipfile.ZipFile(released / f"nudger-{VERSION}-py3-none-any.whl")
    names = set(wheel.namelist())
    extension = ROOT / "nudger" / "browser" / "extension"
    for path in extension.rglob("*"):
        if path.is_file():
            assert f"nudger/browser/extension/{path.relative_to(extension).as_posix()}" in names
    for toml in (ROOT / "config").glob("*.toml"):
        assert f"nudger/config/{toml.name}" in names, toml
    for language in ("de", "es"):
        assert f"nudger/locale/{language}/LC_MESSAGES/nudger.mo" in names
    assert "nudger/py.typed" in names
    assert f"nudger-{VERSION}.dist-info/licenses/LICENSE" in names
    shipped = json.loads(wheel.read("nudger/browser/extension/manifest.json"))
    assert shipped["version"] == VERSION
    metadata = wheel.read(f"nudger-{VERSION}.dist-info/METADATA").decode()
    assert f"Version: {VERSION}" in metadata
    assert "License-Expression: MIT" in metadata
    assert "Project-URL: Changelog" in metadata
    assert "Requires-Dist: shtab" in metadata


def test_the_sdist_holds_what_builds_the_wheel_again(released: Path) -> None:
    with tarfile.open(released / f"nudger-{VERSION}.tar.gz") as sdist:
        names = {name.partition("/")[2] for name in sdist.getnames()}
    for needed in ("pyproject.toml", "README.md", "LICENSE", "config/support.toml"):
        assert needed in names, needed
    assert "nudger/browser/extension/manifest.json" in names


@pytest.mark.parametrize("ending", ["chromium.zip", "firefox.xpi"])
def test_the_companion_is_packed_with_the_manifest_at_the_top(released: Path, ending: str) -> None:
    packed = zipfile.ZipFile(released / f"nudger-companion-{VERSION}-{ending}")
    names = set(packed.namelist())
    extension = ROOT / "nudger" / "browser" / "extension"
    expected = {p.relative_to(extension).as_posix() for p in extension.rglob("*") if p.is_file()}
    assert names == expected
    assert json.loads(packed.read("manifest.json"))["version"] == VERSION
    assert packed.testzip() is None


def test_the_completions_know_every_command_and_bash_reads_them(released: Path) -> None:
    bash = (released / "completions" / "nudger.bash").read_text(encoding="utf-8")
    zsh = (released / "completions" / "_nudger").read_text(encoding="utf-8")
    fish = (released / "completions" / "nudger.fish").read_text(encoding="utf-8")
    for command in ("run", "status", "summary", "block", "browser", "doctor", "completion"):
        assert command in bash
        assert command in zsh
        assert f"-a {command} " in fish
    assert "--config" in bash and "--config" in zsh and "-l config" in fish
    assert zsh.startswith("#compdef nudger")
    # bash parses the script and registers the completion for nudger.
    registered = subprocess.run(
        ["bash", "-c", f"source {released / 'completions' / 'nudger.bash'} && complete -p nudger"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert registered.returncode == 0, registered.stderr
    assert "nudger" in registered.stdout


def _bash_completes(script: Path, line: str) -> list[str]:
    """What bash offers for `line` (Tab at its end), through the function the script registers
    for nudger (`complete -F FUNCTION nudger`)."""
    registered = subprocess.run(
        ["bash", "-c", f"source {script} && complete -p nudger"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    function = registered[registered.index("-F") + 1]
    words = line.split(" ")
    program = (
        f"source {script}; COMP_WORDS=({' '.join(shlex.quote(w) for w in words)}); "
        f"COMP_CWORD={len(words) - 1}; COMP_LINE={shlex.quote(line)}; "
        f'COMP_POINT=${{#COMP_LINE}}; {function}; printf "%s\\n" "${{COMPREPLY[@]}}"'
    )
    done = subprocess.run(["bash", "-c", program], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_bash_completes_commands_and_their_subcommands(released: Path) -> None:
    script = released / "completions" / "nudger.bash"
    assert _bash_completes(script, "nudger bro") == ["browser"]
    assert set(_bash_completes(script, "nudger browser ")) >= {"install", "status", "uninstall"}
    assert set(_bash_completes(script, "nudger completion ")) == {"bash", "zsh", "fish"}


def test_the_man_page_documents_every_command(released: Path) -> None:
    page = (released / "nudger.1").read_text(encoding="utf-8")
    assert page.startswith(".TH NUDGER")
    assert f"nudger {VERSION}" in page
    for command in ("run", "status", "summary", "block", "browser", "doctor", "completion"):
        assert f"\\fBnudger\\fR \\fI\\,{command}\\/\\fR" in page, command
    if shutil.which("man"):
        shown = subprocess.run(
            ["man", "-l", str(released / "nudger.1")],
            capture_output=True,
            text=True,
            env={"MANPAGER": "cat", "PAGER": "cat", "MANWIDTH": "100", "PATH": "/usr/bin:/bin"},
            check=False,
        )
        assert shown.returncode == 0, shown.stderr
        assert "print the completion script for your shell" in shown.stdout


def test_nudger_completion_prints_the_script_for_each_shell() -> None:
    for shell, sign in (
        ("bash", "complete -o"),
        ("zsh", "#compdef nudger"),
        ("fish", "complete -c"),
    ):
        printed = subprocess.run(
            [str(Path(sys.executable).parent / "nudger"), "completion", shell],
            capture_output=True,
            text=True,
            check=False,
            env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/nonexistent"},
        )
        assert printed.returncode == 0, printed.stderr
        assert sign in printed.stdout, shell
