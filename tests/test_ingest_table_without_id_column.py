"""``--id-column`` missing in a table inside an ingested folder failed late: the pre-check
that names every bad file before any work (the missing text column since stop 35) did not
look for the id column, so the run read the files before it and then stopped with a
traceback-free but late error, and ``--skip-bad-files`` did not skip it. The pre-check now
reads the id column too: a table without it is a bad file of its own kind (``no id
column``), named with its columns, the likely one, and the fix, before any output."""

from __future__ import annotations

import json
import logging
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


def _folder(tmp_path: Path) -> Path:
    root = tmp_path / "posts"
    (root / "z").mkdir(parents=True)
    (root / "a.csv").write_text(f"post_id,text\n7,{GOOD}", encoding="utf-8")
    (root / "b.csv").write_text(f"post_id,text\n8,{ROW}", encoding="utf-8")
    (root / "z" / "comments.csv").write_text(f"comment_id,text\n1,{GOOD}", encoding="utf-8")
    return root


def test_a_table_without_the_id_column_is_named_before_any_work(tmp_path: Path) -> None:
    out = tmp_path / "p.jsonl"
    with pytest.raises(InputError) as err:
        ingest([_folder(tmp_path)], out, id_column="post_id")
    what, fix = err.value.what, str(err.value.fix)
    assert "posts/z/comments.csv: missing column(s) 'post_id'" in what, what
    assert "found 'comment_id', 'text'" in what, what
    assert "--id-column 'comment_id'" in fix and "--skip-bad-files" in fix, fix
    assert "separate runs" in fix, fix  # --id-column names the id of every table
    assert not out.exists()


def test_it_is_skipped_with_the_others_and_listed(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    (root / "c.csv").write_text(f"postid,text\n9,{ROW}", encoding="utf-8")
    out = tmp_path / "p.jsonl"
    with pytest.raises(InputError) as err:
        ingest([root], out, id_column="post_id")
    said = str(err.value)
    assert said.startswith("2 input files cannot be ingested (2 no id column)"), said
    assert "tables with the id column (--id-column)" in said and "--id-column NAME" in said
    stats = ingest([root], out, id_column="post_id", skip_bad_files=True)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted({r["doc_id"] for r in rows}) == ["7", "8"]
    assert stats.bad_files_skipped == [
        f"{root}/c.csv (no id column)",
        f"{root}/z/comments.csv (no id column)",
    ]


def test_parquet_jsonl_and_the_close_name_are_read_as_the_readers_do(tmp_path: Path) -> None:
    root = tmp_path / "t"
    root.mkdir()
    pq.write_table(pa.table({"ID": ["1"], "text": [GOOD]}), root / "a.parquet")
    pq.write_table(pa.table({"post_id": ["1"], "text": [GOOD]}), root / "b.parquet")
    # a JSONL row has its own keys: the id in a later row is found, as the reader finds it
    (root / "c.jsonl").write_text('{"text": "x"}\n{"post_id": 2, "text": "y"}\n', encoding="utf-8")
    (root / "d.jsonl").write_text('{"pid": 1, "text": "x"}\n', encoding="utf-8")
    bad = find_bad_files([root], text_column="text", id_column="post_id")
    assert [(b.path.name, b.problem) for b in bad] == [
        ("a.parquet", "no id column"),
        ("d.jsonl", "no id column"),
    ]
    assert "with --id-column 'ID'" in str(bad[0].error.fix), bad[0].error  # named like an id
    # without --id-column the default id columns are looked for, and none is required
    assert find_bad_files([root], text_column="text") == []
    # a table without the text column is named for that, once
    (root / "e.csv").write_text("post_id,body\n1,x\n", encoding="utf-8")
    again = find_bad_files([root], text_column="text", id_column="post_id")
    assert [(b.path.name, b.problem) for b in again][-1] == ("e.csv", "no text column")


def test_the_cli_says_it_in_one_line_without_a_traceback(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    out = tmp_path / "p.jsonl"
    result = CliRunner().invoke(
        app, ["ingest", str(root), "--out", str(out), "--id-column", "post_id"]
    )
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "comments.csv: missing column(s) 'post_id'" in result.output
    assert "--id-column 'comment_id'" in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("posts.csv", "id,text\n1,{a}\n,{b}\n"),
        ("posts.jsonl", '{{"id": "1", "text": "{a}"}}\n{{"id": null, "text": "{b}"}}\n'),
        ("posts.jsonl", '{{"id": "1", "text": "{a}"}}\n{{"text": "{b}"}}\n'),
    ],
    ids=["csv-empty", "jsonl-null", "jsonl-missing"],
)
def test_a_row_without_an_id_in_a_table_with_ids_is_warned_of(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, name: str, body: str
) -> None:
    """A table with an id column and one row whose id is empty, null or missing: that row
    was named by position in silence (CSV, Parquet), or the JSONL file was said to have
    "no id column" at all; its passage id then changes when the rows come in another
    order. The row is named, with its positional id."""
    a = "I know where the councillor parks and he will regret this vote."
    b = "The museum covers the siege with letters and maps and ration cards."
    src = tmp_path / name
    src.write_text(body.format(a=a, b=b), encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        ingest([src], tmp_path / "p.jsonl")
    said = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert not any("has no id column" in m for m in said), said
    (line,) = [m for m in said if "no id in column 'id'" in m]
    assert f"named by position, {name}#1" in line, line
    docs = [json.loads(x)["doc_id"] for x in (tmp_path / "p.jsonl").read_text().splitlines()]
    assert docs == ["1", f"{name}#1"]
