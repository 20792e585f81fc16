"""Two tables with different text columns in one run: the fix for the one without the
run's column said only "pass --text-column 'text'", and following it made the other table
fail the same way; the README's rule (one text column a run) was not said (passG52 G7).
The fix now says to ingest that table in a separate run when another table of the run
has the column."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.errors import InputError
from annotate.ingestion import ingest


def test_the_fix_says_to_ingest_a_table_with_another_text_column_separately(
    tmp_path: Path,
) -> None:
    excel = tmp_path / "excel2.csv"
    excel.write_text('id;Text \r\n1;"Hello there, the depot is closed."\r\n', encoding="utf-8")
    posts = tmp_path / "posts_ok.jsonl"
    posts.write_text(json.dumps({"id": "a", "text": "Another post, the depot."}) + "\n")
    with pytest.raises(InputError) as err:
        ingest([excel, posts], tmp_path / "p.jsonl", delimiter=";", text_column="Text ")
    fix = err.value.fix or ""
    assert "missing column(s) 'Text '" in err.value.what
    assert (
        "the tables of one run share one text column, and 1 other table(s) of this run have "
        "'Text ' (excel2.csv): ingest posts_ok.jsonl in a separate run, and for it pass "
        "--text-column 'text'"
    ) in fix, fix


def test_a_lone_table_without_the_column_keeps_its_own_fix(tmp_path: Path) -> None:
    posts = tmp_path / "posts_ok.jsonl"
    posts.write_text(json.dumps({"id": "a", "text": "Another post, the depot."}) + "\n")
    with pytest.raises(InputError) as err:
        ingest([posts], tmp_path / "p.jsonl", text_column="body")
    assert "share one text column" not in (err.value.fix or "")
