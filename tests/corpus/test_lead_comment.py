"""A lead's comment on an adjudication (the reason for the decision, typed in the comment
box of `NAME · adjudication`) was dropped by export: the row kept the lead's labels,
pseudonym, times and Label Studio ids, but an auditor asking why a dispute was decided
that way had to open Label Studio. It is now the row's `adjudication.comment`, masked by
`export --redact` and counted among the comments holding e-mail addresses without it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import datasets

from annotate.audit.redact import RedactionSettings
from annotate.corpus.export import export
from tests.audit.fakes import THREAT, lead_task
from tests.corpus.test_provenance import BlindReviewStudio
from tests.integration.helpers import choices, comment
from tests.test_export_pseudonymous_projects import NAME

REASON = "quotes the call but endorses it; asked jane.doe@example.org"


class CommentingLead(BlindReviewStudio):
    def __init__(self) -> None:
        super().__init__()
        result = [choices("category", ["incitement"]), comment(REASON)]
        self.lead = [lead_task("doc-a-p1", THREAT, result)]


def _row(out: Path, pid: str) -> dict[str, Any]:
    rows = [json.loads(line) for f in (out / "jsonl").glob("*.jsonl") for line in f.open()]
    return {r["id"]: r for r in rows}[pid]


def test_the_leads_comment_is_exported_with_the_decision(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    export(NAME, out, client=CommentingLead(), salt="s")  # type: ignore[arg-type]
    row = _row(out, "doc-a-p1")
    assert row["resolution"] == "adjudicated" and row["labels"] == ["incitement"]
    assert row["adjudication"]["comment"] == REASON
    # the HF dataset carries it as a feature (Parquet too: verify compares the three)
    hf = datasets.load_from_disk(str(out / "hf"))
    decided = [r for split in hf.values() for r in split if r["id"] == "doc-a-p1"]
    assert decided[0]["adjudication"]["comment"] == REASON
    # counted among the rows whose comments hold an e-mail address (the fixture's
    # reviewers wrote one on another row)
    plain = tmp_path / "plain"
    export(NAME, plain, client=BlindReviewStudio(), salt="s")  # type: ignore[arg-type]

    def emails(corpus: Path) -> int:
        manifest = json.loads((corpus / "manifest.json").read_text())
        return manifest["redaction"]["rows_with_email_addresses"]["comments"]

    assert emails(out) == emails(plain) + 1


def test_export_redact_masks_the_leads_comment(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    export(NAME, out, client=CommentingLead(), salt="s", redact=RedactionSettings())  # type: ignore[arg-type]
    text = _row(out, "doc-a-p1")["adjudication"]["comment"]
    assert "jane.doe@example.org" not in text and "[EMAIL-1]" in text
    assert not any("jane.doe" in p.read_text(errors="ignore") for p in out.rglob("*.jsonl"))
