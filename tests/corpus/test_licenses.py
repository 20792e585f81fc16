"""Under which licence or terms each document was obtained: ``ingest --license`` (or a
table's ``license``/``licence`` column, which wins) records it per passage, prelabel and
push carry it, export keeps it per row and sums it in the manifest's ``licenses``, and the
audit report counts documents per licence with those without one flagged. Passage ids do
not depend on it; a passages file or export from before it reads as unknown."""

from __future__ import annotations

import copy
import json
import logging
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from annotate.audit.licenses import license_lines, license_numbers
from annotate.audit.verify import content_sha256, verify
from annotate.cli import app
from annotate.corpus.export import export
from annotate.corpus.schema import corpus_features
from annotate.errors import InputError
from annotate.ingestion import ingest
from annotate.prelabeling import prelabel
from annotate.studio.label_config import parse_label_config, render_label_config
from annotate.studio.tasks import row_to_task
from annotate.tables import iter_rows
from annotate.taxonomy import load_taxonomy
from tests.audit.fakes import FakeStudio, reviewed_tasks
from tests.fakes import KeywordClassifier

TEXT = (
    "The council met on Tuesday to discuss the new bus routes for the northern district. "
    "Residents asked for a later last bus on weekdays, and the council agreed to study it."
)


def _rows(path: Path) -> list[dict]:
    return list(iter_rows(path))


def _table(tmp_path: Path, rows: list[dict]) -> Path:
    src = tmp_path / "docs.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return src


def test_license_is_recorded_per_passage_and_leaves_ids_alone(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(TEXT)
    plain = tmp_path / "plain.parquet"
    licensed = tmp_path / "licensed.parquet"
    stats = ingest([docs], plain, min_chars=20)
    assert (stats.license_unknown, stats.license_from_option) == (1, 0)
    stats = ingest([docs], licensed, min_chars=20, license="  CC-BY-4.0 ")
    assert (stats.license_unknown, stats.license_from_option) == (0, 1)
    assert {r["license"] for r in _rows(plain)} == {None}  # unknown, never assumed
    assert {r["license"] for r in _rows(licensed)} == {"CC-BY-4.0"}
    assert [r["id"] for r in _rows(plain)] == [r["id"] for r in _rows(licensed)]
    assert pq.ParquetFile(licensed).schema_arrow.field("license").type == "string"


def test_a_tables_license_column_wins_and_leaves_meta(tmp_path: Path) -> None:
    src = _table(
        tmp_path,
        [
            {"doc_id": "a", "text": TEXT, "license": "CC0-1.0", "lang": "en"},
            {"doc_id": "b", "text": TEXT + " B.", "license": "  "},  # blank: the option
            {"doc_id": "c", "text": TEXT + " C."},  # no field at all: the option
        ],
    )
    out = tmp_path / "passages.jsonl"
    stats = ingest([src], out, min_chars=20, license="vendor contract 2026-07")
    got = {r["doc_id"]: r for r in _rows(out)}
    assert got["a"]["license"] == "CC0-1.0"
    assert got["b"]["license"] == got["c"]["license"] == "vendor contract 2026-07"
    assert json.loads(got["a"]["meta"]) == {"lang": "en"}  # a column of its own, not meta
    assert (stats.license_from_column, stats.license_from_option) == (1, 2)
    # the British spelling is read too; without --license the rest is unknown
    src.write_text(json.dumps({"doc_id": "d", "text": TEXT, "Licence": "MIT"}) + "\n")
    stats = ingest([src], tmp_path / "again.jsonl", min_chars=20)
    assert [r["license"] for r in _rows(tmp_path / "again.jsonl")] == ["MIT"]


def test_bad_licences_are_clear_errors(tmp_path: Path) -> None:
    src = _table(tmp_path, [{"doc_id": "a", "text": TEXT}])
    for bad in ("", "   ", "CC-BY-4.0\nsee contract", "x" * 301):
        with pytest.raises(InputError, match="expected the licence"):
            ingest([src], tmp_path / "out.jsonl", license=bad)
    src.write_text(json.dumps({"doc_id": "a", "text": TEXT, "license": 4}) + "\n")
    with pytest.raises(InputError, match=r"docs.jsonl line 1: column 'license' holds int"):
        ingest([src], tmp_path / "out.jsonl")
    assert not (tmp_path / "out.jsonl").exists()


def _task_data(tmp_path: Path, rows_file: Path) -> dict:
    tmp_path.mkdir(exist_ok=True)
    tax = load_taxonomy()
    out = tmp_path / "prelabels.jsonl"
    prelabel(rows_file, out, classifier=KeywordClassifier(tax.category_names), taxonomy=tax)
    (row,) = _rows(out)
    config = parse_label_config(render_label_config(tax))
    return row_to_task(row, tax, config, where="row 1")["data"]


def test_prelabel_and_push_carry_it_and_an_old_passages_file_still_pushes(
    tmp_path: Path,
) -> None:
    src = _table(tmp_path, [{"doc_id": "a", "text": TEXT}])
    passages = tmp_path / "passages.parquet"
    ingest([src], passages, min_chars=20, license="CC-BY-SA-4.0")
    assert _task_data(tmp_path / "new", passages)["license"] == "CC-BY-SA-4.0"
    # a passages file from before the column (JSONL, as a spreadsheet round trip gives
    # it): pushed as before, without the field, so its licence exports as unknown
    old = tmp_path / "old.jsonl"
    rows = _rows(passages)
    for r in rows:
        del r["license"]
    old.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert "license" not in _task_data(tmp_path / "old-run", old)


def _exported(corpus: Path) -> dict[str, dict]:
    return {
        r["id"]: r
        for f in sorted((corpus / "jsonl").glob("*.jsonl"))
        for r in (json.loads(line) for line in f.read_text().splitlines())
    }


def test_export_keeps_it_per_row_and_the_report_flags_documents_without_one(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert "license" in corpus_features(load_taxonomy())
    tasks = reviewed_tasks()  # pushed before the column: no license
    licensed = copy.deepcopy(tasks)
    for t in licensed[:3]:  # doc-a (2 passages) and doc-b
        t["data"]["license"] = "CC-BY-4.0" if t["data"]["doc_id"] == "doc-a" else "MIT"
    with caplog.at_level(logging.INFO, logger="annotate.corpus.licenses"):
        export("p", tmp_path / "c", client=FakeStudio(licensed), salt="s")  # type: ignore[arg-type]
    rows = _exported(tmp_path / "c")
    assert rows["doc-a-p1"]["license"] == "CC-BY-4.0"
    assert rows["doc-b-p0"]["license"] == "MIT"
    assert rows["doc-c-p0"]["license"] is None  # null, never a crash
    manifest = json.loads((tmp_path / "c" / "manifest.json").read_text())
    assert manifest["licenses"] == {
        "by_license": {
            "CC-BY-4.0": {"documents": 1, "rows": 2, "spdx": "CC-BY-4.0"},
            "MIT": {"documents": 1, "rows": 1, "spdx": "MIT"},
        },
        "unknown": {"documents": 1, "rows": 2, "documents_examples": ["doc-c"]},
        "documents": 3,
        "documents_with_several": 0,
        "documents_with_several_examples": [],
        "passages_with_several": {
            "passages": 0,
            "rule": "the licence of the passage's most recently pushed task that records one",
            "examples": [],
        },
        "changed_since_previous_export": None,
    }
    said = [r.getMessage() for r in caplog.records if "licence" in r.getMessage()]
    assert len(said) == 1 and said[0].startswith("2 of 5 row(s) (1 document(s)) have no"), said
    verify(tmp_path / "c")  # Parquet and HF hold the column like the JSONL

    report = json.loads((tmp_path / "c" / "report" / "report.json").read_text())
    assert report["licenses"]["by_license"] == [
        {"license": "CC-BY-4.0", "spdx": "CC-BY-4.0", "documents": 1, "rows": 2},
        {"license": "MIT", "spdx": "MIT", "documents": 1, "rows": 1},
    ]
    assert report["licenses"]["unknown"] == {"documents": 1, "rows": 2, "document_ids": ["doc-c"]}
    text = (tmp_path / "c" / "report" / "report.md").read_text()
    assert "| CC-BY-4.0 | CC-BY-4.0 | 1 | 2 |" in text
    assert "| UNKNOWN (none recorded) |  | 1 | 2 |" in text
    assert "**1 of 3 document(s) have no licence recorded** (2 passage(s)): doc-c." in text

    # the content digest covers it: the same answers under another licence are other content
    changed = copy.deepcopy(licensed)
    changed[2]["data"]["license"] = "proprietary"
    export("p", tmp_path / "d", client=FakeStudio(changed), salt="s")  # type: ignore[arg-type]
    assert content_sha256(tmp_path / "c") != content_sha256(tmp_path / "d")


def test_the_report_of_an_export_before_the_column_says_not_recorded() -> None:
    n = license_numbers([{"id": "p1", "doc_id": "a", "text": "x"}])
    assert n == {"recorded": False}
    assert "Not recorded: an export made before" in "\n".join(license_lines(n))


def test_ingest_cli_says_how_many_documents_have_no_licence(tmp_path: Path) -> None:
    src = _table(
        tmp_path,
        [{"doc_id": "a", "text": TEXT, "license": "MIT"}, {"doc_id": "b", "text": TEXT + " B"}],
    )
    runner = CliRunner()
    out = tmp_path / "p.jsonl"
    result = runner.invoke(app, ["ingest", str(src), "--out", str(out), "--min-chars", "20"])
    assert result.exit_code == 0, result.output
    assert "note: no licence recorded for 1 document of 2" in result.output
    result = runner.invoke(
        app,
        [
            "ingest",
            str(src),
            "--out",
            str(out),
            "--min-chars",
            "20",
            "--license",
            "CC0-1.0",
            "--overwrite",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "no licence recorded" not in result.output
    assert {r["doc_id"]: r["license"] for r in _rows(out)} == {"a": "MIT", "b": "CC0-1.0"}
    result = runner.invoke(
        app, ["ingest", str(src), "--out", str(out), "--license", "MIT\nx", "--overwrite"]
    )
    assert result.exit_code != 0 and "expected the licence" in result.output


def test_a_licence_that_is_not_text_is_refused_by_prelabel_and_push(tmp_path: Path) -> None:
    """A passages file whose licence a user filled in by hand with a number or a list:
    prelabel to Parquet failed with a pyarrow traceback (``Expected bytes, got a 'int'
    object``), and push recorded ``str(value)`` ("4", "['MIT']") as the licence."""
    from annotate.errors import PredictionError

    src = _table(tmp_path, [{"doc_id": "a", "text": TEXT}])
    passages = tmp_path / "passages.jsonl"
    ingest([src], passages, min_chars=20, license="MIT")
    (row,) = _rows(passages)
    edited = tmp_path / "edited.jsonl"
    edited.write_text(json.dumps({**row, "license": 4}) + "\n")
    tax = load_taxonomy()
    with pytest.raises(InputError, match=r"has an int in 'license' \('4'\); expected the licence"):
        prelabel(
            edited,
            tmp_path / "prelabels.parquet",
            classifier=KeywordClassifier(tax.category_names),
            taxonomy=tax,
        )
    prelabelled = tmp_path / "prelabels.jsonl"
    prelabel(passages, prelabelled, classifier=KeywordClassifier(tax.category_names), taxonomy=tax)
    (pre,) = _rows(prelabelled)
    config = parse_label_config(render_label_config(tax))
    with pytest.raises(PredictionError, match=r"'license' holds list \(\"\['MIT'\]\"\)"):
        row_to_task({**pre, "license": ["MIT"]}, tax, config, where="row 1")
    assert (
        row_to_task({**pre, "license": None}, tax, config, where="row 1")["data"].get("license")
        is None
    )


def test_a_tables_licence_kept_in_meta_by_an_older_ingest_is_exported(tmp_path: Path) -> None:
    """Before the column, ingest kept a table's ``license`` (``License``, ``licence``)
    column in the passage's ``meta``: a passages file ingested then, or tasks pushed from
    one, exported the licence as unknown although the task named it. Read from meta when
    the task has no ``license`` of its own; a task's own field (even null) wins."""
    from annotate.corpus.licenses import task_license

    tasks = reviewed_tasks()
    # doc-a's two tasks, as an older ingest of a table and a push from before the column
    for t in tasks[:2]:
        t["data"]["meta"] = json.dumps({"License": " CC-BY-4.0 ", "lang": "en"})
    tasks[2]["data"]["meta"] = json.dumps({"licence": "MIT"})
    tasks[2]["data"]["license"] = "CC0-1.0"  # pushed with the column: it wins
    tasks[3]["data"]["meta"] = json.dumps({"license": "MIT\nsee the contract"})  # not a licence
    export("p", tmp_path / "c", client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    rows = _exported(tmp_path / "c")
    assert rows["doc-a-p0"]["license"] == rows["doc-a-p1"]["license"] == "CC-BY-4.0"
    assert rows["doc-b-p0"]["license"] == "CC0-1.0"
    assert rows[tasks[3]["data"]["passage_id"]]["license"] is None
    manifest = json.loads((tmp_path / "c" / "manifest.json").read_text())
    assert manifest["licenses"]["by_license"]["CC-BY-4.0"] == {
        "documents": 1,
        "rows": 2,
        "spdx": "CC-BY-4.0",
    }
    verify(tmp_path / "c")
    # a task pushed with the column and no licence (unknown) stays unknown
    assert task_license({"license": None, "meta": json.dumps({"license": "MIT"})}) is None
    assert task_license({"meta": "not json"}) is None
    assert task_license({"meta": json.dumps({"license": 4})}) is None
