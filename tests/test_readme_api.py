"""The README's Python snippets call annotate's public API by its names: they called
`annotate.ingestion(...)` and `annotate.prelabeling(...)` (module names since a layout
change), which fail with AttributeError for a user who copies them."""

from __future__ import annotations

import re
from pathlib import Path

import annotate

ROOT = Path(__file__).resolve().parent.parent


def _python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_readme_python_snippets_call_public_names() -> None:
    blocks = _python_blocks((ROOT / "README.md").read_text(encoding="utf-8"))
    assert blocks, "the README has no Python snippet any more: drop this test"
    called = {m for block in blocks for m in re.findall(r"\bannotate\.(\w+)\s*\(", block)}
    assert called, blocks
    unknown = sorted(name for name in called if name not in annotate.__all__)
    assert not unknown, f"README calls annotate.{unknown}, not in annotate.__all__"
    for name in called:
        assert callable(getattr(annotate, name)), name
