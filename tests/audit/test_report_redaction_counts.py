"""report.md said that `export --redact` ran and which kinds it masks, but not what it
masked: an auditor could not tell whether any e-mail address, phone number or handle was
found, nor in which field (passage text, a reviewer's comment, the lead's comment). The
manifest's `redaction.masked_at_export` counts the placeholders put in per field and
kind (recounted here from the exported rows), and report.md states them."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from annotate.audit.redact import PLACEHOLDERS, RedactionSettings
from annotate.corpus.export import export
from tests.audit.fakes import THREAT, StudioWithLead, lead_task, reviewed_tasks
from tests.integration.helpers import choices, comment


def test_report_says_what_export_redact_masked(tmp_path: Path) -> None:
    lead = [
        choices("category", ["incitement"]),
        comment("asked jane.doe@example.org and +44 20 7946 0958"),
    ]
    studio = StudioWithLead(reviewed_tasks(), [lead_task("doc-a-p1", THREAT, lead)])
    out = tmp_path / "corpus"
    export("p", out, client=studio, salt="s", redact=RedactionSettings())  # type: ignore[arg-type]
    frame = pd.concat(
        [pd.read_json(p, lines=True) for p in sorted((out / "jsonl").glob("*.jsonl"))],
        ignore_index=True,
    )
    fields = {
        "text": frame["text"],
        "title": frame["title"],
        "source": frame["source"],
        "comments": frame["annotations"].map(lambda a: " ".join(x["comment"] or "" for x in a)),
        "lead_comment": frame["adjudication"].map(lambda a: (a or {}).get("comment") or ""),
    }
    masked = json.loads((out / "manifest.json").read_text())["redaction"]["masked_at_export"]
    for name, column in fields.items():
        for kind, mark in PLACEHOLDERS.items():
            # numbered per document: [EMAIL-1], [EMAIL-2]
            numbered = mark.replace("[", r"\[").replace("]", r"-\d+\]")
            found = int(column.fillna("").str.count(numbered).sum())
            assert masked["placeholders"][name][kind] == found, (name, kind)
    assert masked["placeholders"]["lead_comment"] == {
        "email": 1,
        "phone": 1,
        "user_url": 0,
        "handle": 0,
    }
    assert masked["placeholders"]["text"]["email"] >= 1  # the PERSONAL passage
    any_mark = "|".join(m.replace("[", r"\[").replace("]", "-") for m in PLACEHOLDERS.values())
    rows_hit = sum(column.fillna("").str.contains(any_mark) for column in fields.values()) > 0
    assert masked["rows_with_a_placeholder"] == int(rows_hit.sum())
    md = " ".join((out / "report" / "report.md").read_text().split())
    assert f"It put placeholders into {masked['rows_with_a_placeholder']} row(s)" in md
    assert "lead comment: email 1, phone 1" in md
