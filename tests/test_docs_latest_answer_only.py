"""The audit docs say plainly that Label Studio keeps only a reviewer's latest answer and
that `updated_at` is the only trace of a change (audit61: a reviewer's change of her own
answer before adjudication left only `updated_at` > `created_at`, and the docs said only
"the server keeps only the last writer")."""

from __future__ import annotations

from tests.docs_text import ROOT


def test_the_audit_docs_say_only_the_latest_answer_is_kept() -> None:
    text = " ".join((ROOT / "docs" / "export-and-audit.md").read_text(encoding="utf-8").split())
    said = text[text.index("What no export can show") :][:900]
    assert "leaves only her latest answer" in said
    assert "`updated_at` later than `created_at` is the only trace that it changed" in said
    assert "neither in the export nor in Label Studio" in said
