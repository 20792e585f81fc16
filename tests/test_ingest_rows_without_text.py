"""Table rows skipped for having no text (null, empty or blank, or a JSONL row without
the text field) were said on the console only: the run record had no count and no row,
and the export's ``input_files`` listed only files with no row at all, so an auditor could
not tell that a row was dropped (passG52 G5). The run record now counts them and names
the first few (``rows_without_text``: input_file, input_row, why), the export manifest's
``input_files.rows_without_text`` carries them, and the audit report says so."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from annotate.ingestion import ingest
from annotate.tables import iter_rows
from tests.test_ingest_html import _export

THREAT = "If you show your face at the depot again I will break your legs, I swear it."
NOTES = "Depot notes from Monday: the loading bay was closed for repairs all afternoon."


def test_rows_without_text_are_recorded_and_reach_the_export(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    pq.write_table(
        pa.table({"id": ["a", "b", "c"], "text": [THREAT, None, "   "]}), root / "data.parquet"
    )
    (root / "posts.jsonl").write_text(
        json.dumps({"id": "p1", "text": NOTES})
        + "\n"
        + json.dumps({"id": "p2", "body": "x"})
        + "\n",
        encoding="utf-8",
    )
    passages = tmp_path / "p.jsonl"
    ingest([root / "data.parquet", root / "posts.jsonl"], passages, near_dup_threshold=None)
    rows = list(iter_rows(passages))
    first, *others = [json.loads(r["ingest_run"]) for r in rows]
    import hashlib

    sha = {
        f: hashlib.sha256((root / f).read_bytes()).hexdigest()
        for f in ("data.parquet", "posts.jsonl")
    }
    listed = first["rows_without_text"]["first"]
    assert [r.pop("input_sha256") for r in listed] == [sha["data.parquet"]] * 2 + [
        sha["posts.jsonl"]
    ]
    assert first["rows_without_text"] == {
        "count": 3,
        "first": [
            {
                "input_file": "data.parquet",
                "input_row": "row 2",
                "why": "null text in column 'text'",
            },
            {
                "input_file": "data.parquet",
                "input_row": "row 3",
                "why": "empty or blank text in column 'text'",
            },
            {"input_file": "posts.jsonl", "input_row": "line 2", "why": "no 'text' field"},
        ],
    }
    assert [r["rows_without_text"] for r in others] == [{"count": 3}]
    corpus = tmp_path / "corpus"
    _export(tmp_path, passages, corpus)
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    skipped = manifest["input_files"]["rows_without_text"]
    assert skipped["count"] == 3 and skipped["not_listed"] == 0
    assert [(r["input_file"], r["input_row"], r["run"]) for r in skipped["rows"]] == [
        ("data.parquet", "row 2", first["run"]),
        ("data.parquet", "row 3", first["run"]),
        ("posts.jsonl", "line 2", first["run"]),
    ]
    from annotate.audit.provenance import input_file_lines, input_file_numbers

    said = " ".join(input_file_lines(input_file_numbers(rows, manifest)))
    assert (
        "3 table row(s) were skipped at ingest for having no text (`data.parquet row 2`, "
        "`data.parquet row 3`, `posts.jsonl line 2`)"
    ) in said, said


def test_the_summary_says_where_the_rows_are_listed(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from annotate.cli import app

    pq.write_table(pa.table({"id": ["a", "b"], "text": [THREAT, None]}), tmp_path / "d.parquet")
    out = (
        CliRunner()
        .invoke(app, ["ingest", str(tmp_path / "d.parquet"), "--out", str(tmp_path / "p.jsonl")])
        .output
    )
    assert (
        "1 empty document skipped (the table rows without text are listed in "
        "ingest_run.rows_without_text)"
    ) in " ".join(out.split()), out


def test_a_row_two_runs_skipped_in_the_same_file_is_counted_once(tmp_path: Path) -> None:
    """A JSONL row without text, read by a first run and again by a --previous run given
    the same (unchanged) file, was counted and named twice in the manifest and the report
    ("3 table row(s) ... `posts.jsonl line 2`, `posts.jsonl line 2`", passI53 I4); a row of
    a changed file of the same name stays apart (another SHA-256)."""
    root = tmp_path / "in"
    root.mkdir()
    posts = root / "posts.jsonl"
    posts.write_text(
        json.dumps({"id": "p1", "text": NOTES})
        + "\n"
        + json.dumps({"id": "p2", "body": "x"})
        + "\n",
        encoding="utf-8",
    )
    (root / "late.txt").write_text(THREAT, encoding="utf-8")
    first, second = tmp_path / "p1.jsonl", tmp_path / "p2.jsonl"
    ingest([posts], first, near_dup_threshold=None)
    ingest([posts, root / "late.txt"], second, near_dup_threshold=None, previous=[first])
    both = tmp_path / "both.jsonl"
    both.write_text(first.read_text() + second.read_text(), encoding="utf-8")
    runs = [json.loads(r["ingest_run"])["run"] for r in iter_rows(both)]
    assert len(set(runs)) == 2
    corpus = tmp_path / "corpus"
    _export(tmp_path, both, corpus)
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    skipped = manifest["input_files"]["rows_without_text"]
    assert skipped["count"] == 1, skipped
    (row,) = skipped["rows"]
    assert (row["input_file"], row["input_row"]) == ("posts.jsonl", "line 2")
    assert sorted(row["runs"]) == sorted(set(runs))
    from annotate.audit.provenance import input_file_lines, input_file_numbers

    said = " ".join(input_file_lines(input_file_numbers(list(iter_rows(both)), manifest)))
    assert "1 table row(s) were skipped at ingest for having no text (`posts.jsonl line 2`)" in said

    # the file changed between the runs: its line 2 is another row
    posts.write_text(posts.read_text() + json.dumps({"id": "p3", "text": THREAT}) + "\n")
    third = tmp_path / "p3.jsonl"
    ingest([posts], third, near_dup_threshold=None)
    both.write_text(first.read_text() + third.read_text(), encoding="utf-8")
    _export(tmp_path, both, tmp_path / "corpus2")
    manifest = json.loads((tmp_path / "corpus2" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["input_files"]["rows_without_text"]["count"] == 2
