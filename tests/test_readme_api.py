"""The README's Python snippets call annotate's public API by its names: they called
`annotate.ingestion(...)` and `annotate.prelabeling(...)` (module names since a layout
change), which fail with AttributeError for a user who copies them."""

from __future__ import annotations

import re

import annotate
from tests.docs_text import python_blocks


def test_readme_python_snippets_call_public_names() -> None:
    blocks = [block for _, block in python_blocks()]  # README.md and docs/*.md
    assert blocks, "the README has no Python snippet any more: drop this test"
    called = {m for block in blocks for m in re.findall(r"\bannotate\.(\w+)\s*\(", block)}
    assert called, blocks
    unknown = sorted(name for name in called if name not in annotate.__all__)
    assert not unknown, f"README calls annotate.{unknown}, not in annotate.__all__"
    for name in called:
        assert callable(getattr(annotate, name)), name
