"""The README is short enough to read to the end, keeps the two set-up lines, and leads to the
reference in docs/, every link of which (README and docs alike) reaches a file and a heading
that exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _anchors(path: Path) -> set[str]:
    """GitHub's anchors for the headings of a Markdown file."""
    found = set()
    fenced = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and re.match(r"#{1,6} ", line):
            title = line.lstrip("#").strip().lower()
            found.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return found


def test_the_readme_is_about_300_lines_and_keeps_the_two_set_up_lines() -> None:
    text = README.read_text(encoding="utf-8")
    assert 200 <= len(text.splitlines()) <= 330
    assert "```sh\n./scripts/install && ~/.local/bin/nudger run\n```" in text
    assert "```sh\n./scripts/test\n```" in text
    for section in ("## Your blocklist", "## Browser companion", "## Read the summary"):
        assert section in text
    for section in ("## Privacy", "## Troubleshooting", "## Reference"):
        assert section in text


def test_the_readme_links_every_reference_page() -> None:
    text = README.read_text(encoding="utf-8")
    assert DOCS, "no docs/*.md"
    for page in DOCS:
        assert f"](docs/{page.name})" in text, page.name
        assert "](../README.md)" in page.read_text(encoding="utf-8"), page.name


def test_every_local_link_reaches_a_file_and_a_heading() -> None:
    for page in [README, *DOCS]:
        for target in _LINK.findall(page.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            path_part, _, anchor = target.partition("#")
            linked = (page.parent / path_part).resolve() if path_part else page
            assert linked.exists(), f"{page.name}: {target}"
            if anchor and linked.suffix == ".md":
                assert anchor in _anchors(linked), f"{page.name}: {target}"
