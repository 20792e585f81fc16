"""A table without the text column inside a folder was not found by the pre-check that
names every bad file before any work (a new user's run): ``--skip-bad-files`` did not
skip it, and it failed when reached, after the files before it were read. Its columns
(CSV/TSV header, Parquet schema, JSONL keys) are now read up front: it is a bad file of
its own kind (``no text column``), named with its reader's error and fix, and skippable."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.errors import InputError
from annotate.ingestion import ingest
from annotate.ingestion.bad_files import find_bad_files

GOOD = "The council condemned the attack on the market and promised a full inquiry.\n"
ROW = "Police said two men were arrested after the threats against the mosque.\n"
CP1252 = "Caf\u00e9 \u201cnaive\u201d \u2014 the owner said the threats began in May.\n"


def _folder(tmp_path: Path) -> Path:
    root = tmp_path / "posts"
    (root / "z").mkdir(parents=True)
    (root / "a.txt").write_text(GOOD, encoding="utf-8")
    (root / "b.csv").write_text(f"id,text\n1,{ROW}", encoding="utf-8")
    (root / "z" / "comments.csv").write_text(f"id,message\n1,{GOOD}", encoding="utf-8")
    return root


def test_a_table_without_the_text_column_is_named_before_any_work(tmp_path: Path) -> None:
    out = tmp_path / "p.jsonl"
    with pytest.raises(InputError) as err:
        ingest([_folder(tmp_path)], out)
    what, fix = err.value.what, str(err.value.fix)
    assert "posts/z/comments.csv: missing column(s) 'text'" in what, what
    assert "found 'id', 'message'" in what
    assert "--text-column 'message'" in fix and "--skip-bad-files" in fix, fix
    assert not out.exists()


def test_it_is_skipped_with_the_others_and_listed(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    (root / "c.txt").write_bytes(CP1252.encode("cp1252"))
    out = tmp_path / "p.jsonl"
    with pytest.raises(InputError) as err:
        ingest([root], out)
    said = str(err.value)
    assert said.startswith("2 input files cannot be ingested (1 cp1252, 1 no text column)")
    assert "z/comments.csv (no text column)" in said and "--text-column" in said
    stats = ingest([root], out, skip_bad_files=True)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted({r["doc_id"] for r in rows}) == ["1", "posts/a.txt"]
    assert stats.bad_files_skipped == [
        f"{root}/c.txt (cp1252)",
        f"{root}/z/comments.csv (no text column)",
    ]


def test_parquet_schema_jsonl_keys_and_the_delimiter_are_read_as_the_readers_do(
    tmp_path: Path,
) -> None:
    root = tmp_path / "t"
    root.mkdir()
    pq.write_table(pa.table({"id": ["1"], "body": [GOOD]}), root / "a.parquet")
    pq.write_table(pa.table({"id": ["1"], "text": [GOOD]}), root / "b.parquet")
    # a JSONL row has its own keys: the text in a later row is found, as the reader finds it
    (root / "c.jsonl").write_text('{"id": 1}\n{"id": 2, "text": "x"}\n', encoding="utf-8")
    (root / "d.jsonl").write_text('{"id": 1, "body": "x"}\n', encoding="utf-8")
    (root / "e.csv").write_text(f"id;text\n1;{GOOD}", encoding="utf-8")
    bad = find_bad_files([root], text_column="text")
    assert [(b.path.name, b.problem) for b in bad] == [
        ("a.parquet", "no text column"),
        ("d.jsonl", "no text column"),
        ("e.csv", "no text column"),
    ]
    assert "--delimiter ';'" in str(bad[2].error.fix)
    assert [b.path.name for b in find_bad_files([root], text_column="text", delimiter=";")] == [
        "a.parquet",
        "d.jsonl",
    ]
    assert [b.path.name for b in find_bad_files([root], text_column="body")] == [
        "b.parquet",
        "c.jsonl",
        "e.csv",
    ]
    assert find_bad_files([root]) == []  # no text column given: not looked at


def test_the_cli_skips_it(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    out = tmp_path / "p.parquet"
    failed = CliRunner().invoke(app, ["ingest", "-q", str(root), "--out", str(out)])
    assert failed.exit_code == 1 and "Traceback" not in failed.output and not out.exists()
    assert "comments.csv: missing column(s) 'text'" in failed.output, failed.output
    ran = CliRunner().invoke(
        app, ["ingest", "-q", str(root), "--out", str(out), "--skip-bad-files"]
    )
    assert ran.exit_code == 0, ran.output
    assert pq.read_table(out).num_rows == 2
