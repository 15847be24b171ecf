"""The body of scripts/release: see there. Needs the test extra (build, argparse-manpage)."""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXTENSION = ROOT / "nudger" / "browser" / "extension"
MANIFEST = EXTENSION / "manifest.json"
# The completion files under the names each shell looks for.
COMPLETIONS = {"bash": "nudger.bash", "zsh": "_nudger", "fish": "nudger.fish"}


def version() -> str:
    """nudger.__version__, read without importing nudger (it may not be installed)."""
    tree = ast.parse((ROOT / "nudger" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and [
            t.id for t in node.targets if isinstance(t, ast.Name)
        ] == ["__version__"]:
            return str(ast.literal_eval(node.value))
    raise SystemExit("scripts/release: no __version__ in nudger/__init__.py")


def stamp_manifest(number: str) -> None:
    """The manifest's "version" line set to the package's, the rest of the file as it is."""
    text = MANIFEST.read_text(encoding="utf-8")
    stamped = re.sub(r'("version":\s*)"[^"]*"', rf'\g<1>"{number}"', text, count=1)
    if stamped != text:
        MANIFEST.write_text(stamped, encoding="utf-8")
    assert json.loads(stamped)["version"] == number


def python_packages(out: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def companion(out: Path, number: str) -> list[Path]:
    """The extension's files, manifest.json at the top, as the stores and browsers take them:
    a zip for Chromium, the same files as an .xpi for Firefox. Fixed dates and order, so
    the same source gives the same bytes."""
    files = sorted(p for p in EXTENSION.rglob("*") if p.is_file() and p.name != ".DS_Store")
    packed = []
    for name in (
        f"nudger-companion-{number}-chromium.zip",
        f"nudger-companion-{number}-firefox.xpi",
    ):
        target = out / name
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in files:
                info = zipfile.ZipInfo(
                    path.relative_to(EXTENSION).as_posix(), (2020, 1, 1, 0, 0, 0)
                )
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, path.read_bytes())
        packed.append(target)
    return packed


def _english_parser() -> argparse.ArgumentParser:
    sys.path.insert(0, str(ROOT))
    from nudger.cli import build_parser  # noqa: PLC0415 - after the path is set
    from nudger.core.translate import ENGLISH  # noqa: PLC0415

    return build_parser(ENGLISH)


def completions(out: Path) -> list[Path]:
    from nudger.cli.completion_cmd import script_for  # noqa: PLC0415

    parser = _english_parser()
    folder = out / "completions"
    folder.mkdir()
    written = []
    for shell, name in COMPLETIONS.items():
        path = folder / name
        path.write_text(script_for(parser, shell), encoding="utf-8")
        written.append(path)
    return written


def man_page(out: Path, number: str) -> Path:
    """nudger.1, written by argparse-manpage from the parser the command uses."""
    from argparse_manpage.manpage import Manpage  # noqa: PLC0415

    parser = _english_parser()
    page = Manpage(
        parser,
        _data={
            "project_name": "nudger",
            "version": number,
            "manual_section": "1",
            "manual_title": "nudger manual",
            "description": "a small, private companion for stepping back from social media",
            "authors": ["the nudger authors"],
            "url": "https://example.invalid/nudger",
        },
    )
    path = out / "nudger.1"
    path.write_text(str(page), encoding="utf-8")
    return path


def checksums(out: Path) -> Path:
    lines = []
    for path in sorted(p for p in out.rglob("*") if p.is_file() and p.name != "SHA256SUMS"):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        lines.append(f"{digest}  {path.relative_to(out).as_posix()}\n")
    target = out / "SHA256SUMS"
    target.write_text("".join(lines), encoding="utf-8")
    return target


def main() -> int:
    options = argparse.ArgumentParser(description="Build nudger's release artefacts.")
    options.add_argument("--out", type=Path, default=ROOT / "dist")
    out: Path = options.parse_args().out.resolve()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    number = version()
    stamp_manifest(number)
    python_packages(out)
    companion(out, number)
    completions(out)
    man_page(out, number)
    checksums(out)
    for path in sorted(out.rglob("*")):
        if path.is_file():
            print(path.relative_to(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
