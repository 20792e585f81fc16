"""`export --redact` leaves out `document_sha256` because, beside the masked text, a hash
of the unmasked document confirms a guessed e-mail address. The passage `id` is such a
hash too (SHA-256 of the document id and the passage text ingest read), and export kept
it without a word: an auditor's recipient could confirm `jane.doe@example.org` by
recomputing the id. The manifest now counts and names those rows, export warns and
report.md says it, with the remedy (mask at ingest)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from annotate._util.passage_ids import passage_id
from annotate.audit.redact import RedactionSettings
from annotate.corpus.export import export
from tests.audit.fakes import StudioWithLead, reviewed_tasks


def test_rows_whose_id_confirms_a_masked_value_are_counted_and_said(tmp_path: Path) -> None:
    tasks = reviewed_tasks()
    for t in tasks:  # ids as ingest makes them: a hash of the document id and the text
        t["data"]["passage_id"] = passage_id(t["data"]["doc_id"], t["data"]["text"])
    out = tmp_path / "corpus"
    export("p", out, client=StudioWithLead(tasks, []), salt="s", redact=RedactionSettings())  # type: ignore[arg-type]
    frame = pd.concat(
        [pd.read_json(p, lines=True) for p in sorted((out / "jsonl").glob("*.jsonl"))],
        ignore_index=True,
    )
    masked_rows = frame[frame["text"].str.contains(r"\[EMAIL\]|\[PHONE\]|\[HANDLE\]")]
    assert len(masked_rows)  # the fixture has a passage with personal data
    record = json.loads((out / "manifest.json").read_text())["redaction"]["masked_at_export"]
    ids = record["ids_of_unmasked_text"]
    assert ids["rows"] == len(masked_rows)
    assert ids["examples"] == sorted(masked_rows["id"])[:5]
    assert "ingest --redact" in ids["why"]
    md = " ".join((out / "report" / "report.md").read_text().split())
    assert f"{ids['rows']} of them keep a passage id made from their unmasked text" in md


def test_an_export_without_personal_data_in_text_counts_none(tmp_path: Path) -> None:
    tasks = [
        t
        for t in reviewed_tasks()
        if not any(c in t["data"]["text"] for c in "@+")  # no e-mail, phone or handle
    ]
    out = tmp_path / "corpus"
    export("p", out, client=StudioWithLead(tasks, []), salt="s", redact=RedactionSettings())  # type: ignore[arg-type]
    record = json.loads((out / "manifest.json").read_text())["redaction"]["masked_at_export"]
    assert record["ids_of_unmasked_text"]["rows"] == 0
    md = (out / "report" / "report.md").read_text()
    assert "passage id made from their unmasked text" not in md


def test_ids_that_hash_no_text_are_not_counted(tmp_path: Path) -> None:
    """Ids of another form than ingest's (a table's own, as the fixture's ``doc-c-p0``, or
    ``ls-task-N``) are no hash of the text: they confirm nothing, and are not said to."""
    out = tmp_path / "corpus"
    export(
        "p", out, client=StudioWithLead(reviewed_tasks(), []), salt="s", redact=RedactionSettings()
    )  # type: ignore[arg-type]
    record = json.loads((out / "manifest.json").read_text())["redaction"]["masked_at_export"]
    assert record["rows_with_a_placeholder"] > 0  # text was masked
    assert record["ids_of_unmasked_text"]["rows"] == 0
