"""newuser59: a model trained on an `export --redact` hand-out (text with [NAME-1],
[EMAIL-1] placeholders) said nothing of it: no warning, and its model card's review
caveats dropped "personal data" (there is none) without saying the text was masked, so an
ML engineer given the hand-out could not tell that the model learnt placeholders it never
sees in the raw text it pre-labels."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotate.training.sources.exports import caveats_sentence, export_caveats


def _manifest(masked: dict[str, int] | None) -> dict[str, Any]:
    redaction: dict[str, Any] = {"ran": True}
    if masked is not None:
        redaction["masked_at_export"] = {
            "placeholders": {"text": masked, "title": {"email": 0, "name": 0}}
        }
    return {"redaction": redaction, "review": {}}


def test_a_redacted_exports_masked_text_is_a_caveat(tmp_path: Path) -> None:
    caveats = export_caveats(tmp_path, _manifest({"email": 1, "phone": 1, "name": 6}))
    assert caveats["masked_text"] == {"email": 1, "name": 6, "phone": 1}
    said = caveats_sentence(caveats)
    assert "text masked by export --redact (placeholders in text: email 1, name 6, phone 1)" in said
    assert "use the in-house export (made without --redact)" in said


def test_nothing_masked_is_no_caveat(tmp_path: Path) -> None:
    assert "masked_text" not in export_caveats(tmp_path, _manifest({"email": 0, "name": 0}))
    assert "masked_text" not in export_caveats(tmp_path, _manifest(None))
