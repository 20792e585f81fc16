"""Every Markdown link in the documentation resolves: its file exists and its #anchor is a heading.

Checks README.md, docs/*.md and benchmarks/README.md. A relative path is resolved from the
linking page's own folder; an anchor must equal the GitHub slug of a heading on the target
page (lower-case, punctuation dropped, spaces to '-', '-1', '-2' ... for repeats). Links inside
code (fenced blocks, `inline code`) and to other hosts (http:, https:, mailto:) are not checked.

Run it as a script to list the broken links: ``python -m tests.test_docs_links``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

_FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t#]*$", re.M)
_HTML_ANCHOR = re.compile(r"<a\s+(?:name|id)=\"([^\"]+)\"", re.I)


def pages() -> list[Path]:
    """The pages whose links are checked: README.md, docs/*.md, benchmarks/README.md."""
    return [
        ROOT / "README.md",
        *sorted((ROOT / "docs").glob("*.md")),
        ROOT / "benchmarks" / "README.md",
    ]


def _without_code(text: str) -> str:
    """The text with fenced blocks and code spans blanked (line numbers kept)."""
    text = _FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    return _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), text)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading's text: `The "default" model` -> `the-default-model`."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link keeps its text
    text = re.sub(r"<[^>]+>", "", text)  # inline HTML
    text = text.replace("`", "").replace("*", "")
    text = re.sub(r"[^\w\- ]", "", text.lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every anchor a link into the Markdown file ``path`` may name."""
    text = path.read_text(encoding="utf-8")
    seen: dict[str, int] = {}
    found: set[str] = set(_HTML_ANCHOR.findall(text))
    for match in _HEADING.finditer(re.sub(_FENCE, lambda m: "\n" * m.group(0).count("\n"), text)):
        base = slug(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def broken_links(page: Path, root: Path = ROOT) -> list[str]:
    """``page:line: target (why)`` for each link of ``page`` that does not resolve.

    Paths in the messages are relative to ``root``."""
    text = _without_code(page.read_text(encoding="utf-8"))
    problems = []
    for match in _LINK.finditer(text):
        target = match.group(1)
        if not target or re.match(r"[a-z][a-z0-9+.-]*:", target, re.I):
            continue  # an empty link, or another host (http:, mailto:)
        file_part, _, anchor = target.partition("#")
        dest = (page.parent / file_part).resolve() if file_part else page
        line = text.count("\n", 0, match.start()) + 1
        where = f"{page.relative_to(root)}:{line}: {target}"
        if not dest.exists():
            problems.append(f"{where} (no such file: {dest.relative_to(root)})")
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            problems.append(f"{where} (no heading #{anchor} on {dest.relative_to(root)})")
    return problems


@pytest.mark.parametrize("page", pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_resolves(page: Path) -> None:
    assert page.exists(), page
    problems = broken_links(page)
    assert not problems, "broken links:\n" + "\n".join(problems)


def test_the_checker_finds_a_broken_file_and_a_broken_anchor(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text("# Other page\n\n## The `push` order, honestly\n")
    page = tmp_path.resolve() / "page.md"
    page.write_text(
        "# Page\n\n"
        "[ok](other.md#the-push-order-honestly) [ok](#page) `[code](missing.md)`\n"
        "[file](missing.md) [anchor](other.md#the-push-order)\n"
        "```\n[fenced](missing.md)\n```\n"
    )
    problems = broken_links(page, root=tmp_path.resolve())
    assert problems == [
        "page.md:4: missing.md (no such file: missing.md)",
        "page.md:4: other.md#the-push-order (no heading #the-push-order on other.md)",
    ]


if __name__ == "__main__":
    found = [problem for page in pages() for problem in broken_links(page)]
    print("\n".join(found) or "every link resolves")
    raise SystemExit(1 if found else 0)


_CODE_REFERENCE = re.compile(r"\bdocs/([a-z0-9-]+\.md)#([a-z0-9_-]+)")


def test_messages_that_name_a_docs_section_name_a_heading() -> None:
    """A message or help text that names a docs section (``docs/review.md#gold-tasks``)
    names a heading there: sections users are sent to are headings, so they can be
    linked (stop 58's note: many were bold paragraphs, cited as ``docs/ingest.md,
    Licences``)."""
    found, problems = 0, []
    for path in sorted((ROOT / "annotate").rglob("*.py")):
        for match in _CODE_REFERENCE.finditer(path.read_text(encoding="utf-8")):
            found += 1
            page, anchor = ROOT / "docs" / match.group(1), match.group(2)
            if not page.exists() or anchor not in anchors(page):
                problems.append(f"{path.relative_to(ROOT)}: docs/{match.group(1)}#{anchor}")
    assert found, "no message names a docs section by its anchor"
    assert not problems, "sections named that are no heading:\n" + "\n".join(problems)
