"""Text masked by `annotate ingest --redact` says so all the way down: each passage records
the settings and what was masked in it (``redaction``), prelabel carries the column, push
puts it in the task, export keeps it per row (``ingest_redaction``) and sums it in the
manifest's ``redaction.at_ingest``, and the report says it."""

from __future__ import annotations

import json
from pathlib import Path

from annotate.audit.redact import RedactionSettings
from annotate.audit.report import write_report
from annotate.corpus.export import export
from annotate.ingestion import ingest
from annotate.prelabeling import prelabel
from annotate.studio.label_config import parse_label_config, render_label_config
from annotate.studio.tasks import row_to_task
from annotate.tables import iter_rows
from annotate.taxonomy import load_taxonomy
from tests.fakes import KeywordClassifier

from .fakes import FakeStudio, reviewed_tasks

DOC = (
    "Mail me at jane.roe@example.com or call +44 20 7946 0958 tonight.\n\n"
    "Nothing personal in this second paragraph, which is long enough to stand alone "
    "as its own passage of the document."
)


def ingested(tmp_path: Path, suffix: str, redact: bool) -> list[dict]:
    src = tmp_path / "docs.jsonl"
    src.write_text(json.dumps({"doc_id": "d1", "text": DOC}) + "\n")
    out = tmp_path / f"passages{'-r' if redact else ''}{suffix}"
    ingest([src], out, min_chars=20, redact=RedactionSettings() if redact else None)
    return list(iter_rows(out))


def test_ingest_redact_records_what_was_masked_per_passage(tmp_path: Path) -> None:
    for suffix in (".jsonl", ".parquet"):
        rows = ingested(tmp_path, suffix, redact=True)
        first = json.loads(rows[0]["redaction"])
        assert "[EMAIL-1]" in rows[0]["text"] and "[PHONE-1]" in rows[0]["text"]
        assert first["at"] == "ingest" and first["masked_in_text"]["email"] == 1
        assert first["masked_in_text"]["phone"] == 1 and "scrubadub" in first["library"]
        if len(rows) > 1:
            assert sum(json.loads(rows[1]["redaction"])["masked_in_text"].values()) == 0
    plain = ingested(tmp_path, ".jsonl", redact=False)
    assert "redaction" not in plain[0]  # the passage table without --redact is unchanged


def test_the_record_reaches_the_task_and_the_export_manifest(tmp_path: Path) -> None:
    tax = load_taxonomy()
    src = tmp_path / "passages.parquet"
    ingest([_doc(tmp_path)], src, min_chars=20, redact=RedactionSettings())
    out = tmp_path / "prelabels.parquet"
    prelabel(src, out, classifier=KeywordClassifier(tax.category_names), taxonomy=tax)
    row = next(iter(iter_rows(out)))
    assert json.loads(row["redaction"])["masked_in_text"]["email"] == 1
    config = parse_label_config(render_label_config(tax))
    task = row_to_task(row, tax, config, where="row 1")
    assert task["data"]["redaction"] == row["redaction"]

    tasks = reviewed_tasks()
    tasks[3]["data"]["redaction"] = task["data"]["redaction"]  # the one pushed from ingest
    corpus = tmp_path / "corpus"
    export("p", corpus, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    manifest = json.loads((corpus / "manifest.json").read_text())
    at_ingest = manifest["redaction"]["at_ingest"]
    assert manifest["redaction"]["ran"] is False  # no --redact at export
    assert at_ingest["ran"] is True and at_ingest["rows"] == 1
    assert at_ingest["rows_not_redacted_at_ingest"] == 4
    assert at_ingest["masked_in_text"]["email"] == 1 and at_ingest["settings"][0]["at"] == "ingest"
    exported = [
        json.loads(line)
        for f in (corpus / "jsonl").glob("*.jsonl")
        for line in f.read_text().splitlines()
    ]
    assert sum(r["ingest_redaction"] is not None for r in exported) == 1
    report = write_report(corpus, tmp_path / "report")
    text = report.markdown.read_text()
    assert "1 row(s) went through masking at ingest; 1 of them had personal data" in text
    assert "4 row(s) did not" in text


def test_rows_that_went_through_masking_are_told_from_rows_masked(tmp_path: Path) -> None:
    """Every row of an ``ingest --redact`` run goes through masking; the CLI note and the
    report said "N rows were masked at ingest" of them all, where only the rows holding a
    placeholder had anything masked (passH53 H5: "11 of 11" for 3)."""
    from annotate.audit.redact import ingest_masking_said

    src = tmp_path / "passages.parquet"
    ingest([_doc(tmp_path)], src, min_chars=20, redact=RedactionSettings())
    rows = list(iter_rows(src))
    assert len(rows) == 2  # the first holds an e-mail and a phone number, the second nothing
    tasks = reviewed_tasks()
    tasks[2]["data"]["redaction"] = rows[0]["redaction"]
    tasks[3]["data"]["redaction"] = rows[1]["redaction"]
    corpus = tmp_path / "corpus"
    export("p", corpus, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    at_ingest = json.loads((corpus / "manifest.json").read_text())["redaction"]["at_ingest"]
    assert at_ingest["rows"] == 2 and at_ingest["rows_with_a_placeholder"] == 1
    said = ingest_masking_said(at_ingest, 5)  # as export's note gives it
    assert said.startswith("2 of 5 passage(s) went through masking at ingest; 1 of them had")
    assert "(placeholders: email 1, phone 1)" in said and "handle" not in said
    text = write_report(corpus, tmp_path / "report").markdown.read_text()
    assert "were masked at ingest" not in text
    assert "2 row(s) went through masking at ingest; 1 of them had personal data masked" in text
    nothing = {**at_ingest, "rows_with_a_placeholder": 0, "masked_in_text": {"email": 0}}
    assert ingest_masking_said(nothing).endswith("none of them had anything to mask")
    older = {k: v for k, v in at_ingest.items() if k != "rows_with_a_placeholder"}
    assert ingest_masking_said(older).endswith("placeholders in their text: email 1, phone 1")


def _doc(tmp_path: Path) -> Path:
    src = tmp_path / "docs.jsonl"
    src.write_text(json.dumps({"doc_id": "d1", "text": DOC}) + "\n")
    return src


def test_each_passage_counts_its_own_placeholders_after_control_characters(
    tmp_path: Path,
) -> None:
    """Ingest removes control characters, then masks: each passage's ``masked_in_text``
    counts the placeholders in its own text. (Masking first put each placeholder's mark
    as many characters late as control characters came before it: here the e-mail of the
    second paragraph was counted in the third.) And an address split by a NUL is masked
    whole once the NUL is gone (it was ``jane[HANDLE]``)."""
    doc = (
        "\x00" * 20
        + "First paragraph, long enough here.\n\nMail me at jane@example.org\n\n"
        + "Third paragraph, long enough to stand alone. Or write to bob\x00@example.net"
    )
    src = tmp_path / "docs.jsonl"
    src.write_text(json.dumps({"doc_id": "d1", "text": doc}) + "\n")
    ingest([src], tmp_path / "out.jsonl", min_chars=1, redact=RedactionSettings())
    rows = list(iter_rows(tmp_path / "out.jsonl"))
    assert [r["text"] for r in rows] == [
        "First paragraph, long enough here.",
        "Mail me at [EMAIL-1]",
        "Third paragraph, long enough to stand alone. Or write to [EMAIL-2]",
    ]
    for r in rows:
        masked = json.loads(r["redaction"])["masked_in_text"]
        assert masked["email"] == r["text"].count("[EMAIL-")
        assert masked["handle"] == 0
