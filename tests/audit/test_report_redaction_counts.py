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
from tests.audit.fakes import THREAT, FakeStudio, StudioWithLead, lead_task, reviewed_tasks
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
        "home_user": 0,
        "name": 0,
        "address": 0,
    }
    assert masked["placeholders"]["text"]["email"] >= 1  # the PERSONAL passage
    any_mark = "|".join(m.replace("[", r"\[").replace("]", "-") for m in PLACEHOLDERS.values())
    rows_hit = sum(column.fillna("").str.contains(any_mark) for column in fields.values()) > 0
    assert masked["rows_with_a_placeholder"] == int(rows_hit.sum())
    md = " ".join((out / "report" / "report.md").read_text().split())
    assert f"It put placeholders into {masked['rows_with_a_placeholder']} row(s)" in md
    assert "lead comment: email 1, phone 1" in md


def test_the_redaction_record_names_meta_and_doc_id(tmp_path: Path) -> None:
    """Stop 48 F23: a row's meta (``{"author": "alice@example.net"}``) was masked, and a
    document id holding an address became a ``pd_`` pseudonym, but the manifest's
    placeholder counts and report.md's Redaction section named neither field."""
    tasks = reviewed_tasks()
    for t in tasks:
        if t["data"]["doc_id"] == "doc-c":
            t["data"]["doc_id"] = "mail/bob@example.org.txt"
    nothing = next(t for t in tasks if t["data"]["passage_id"] == "doc-c-p1")
    nothing["data"]["meta"] = json.dumps({"author": "alice@example.net"})
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(tasks), salt="s", redact=RedactionSettings())  # type: ignore[arg-type]
    frame = pd.concat(
        [pd.read_json(p, lines=True) for p in sorted((out / "jsonl").glob("*.jsonl"))],
        ignore_index=True,
    )
    assert frame["meta"].fillna("").str.contains(r"\[EMAIL-\d+\]").sum() == 1
    assert frame["doc_id"].fillna("").str.startswith("pd_").sum() == 2
    masked = json.loads((out / "manifest.json").read_text())["redaction"]["masked_at_export"]
    assert masked["placeholders"]["meta"]["email"] == 1
    assert masked["placeholders"]["doc_id"]["email"] == 2  # the document's two rows
    md = " ".join((out / "report" / "report.md").read_text().split())
    assert "meta: email 1" in md and "doc id: email 2" in md, md
    assert "`pd_…` pseudonym" in md
