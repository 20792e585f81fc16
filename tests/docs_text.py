"""The project's documentation, as tests read it: README.md, then every docs/*.md page.

README.md is the entry page; the reference it once held lives in docs/ (ingest.md,
review.md, ...). A test that checks what the documentation says reads :func:`docs_text`,
so a paragraph moved between pages does not fail it; a test that runs a snippet takes it
from :func:`python_blocks`, which says which file holds it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def doc_files() -> list[Path]:
    """README.md first, then docs/*.md sorted by name."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def docs_text() -> str:
    """Every documentation file's text, joined by a blank line, README.md first."""
    return "\n\n".join(path.read_text(encoding="utf-8") for path in doc_files())


def python_blocks() -> list[tuple[Path, str]]:
    """Each ```python block of the documentation, with the file it is in, in file order."""
    return [
        (path, block)
        for path in doc_files()
        for block in re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), re.S)
    ]
