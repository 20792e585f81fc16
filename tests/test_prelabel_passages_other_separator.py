"""Ingest's passages saved again from a spreadsheet whose region writes ';' between
fields (Excel where the decimal mark is a comma), given to `annotate prelabel` or
`annotate push`: the error's fix said "split them first: `annotate ingest FILE --delimiter
';' --out passages.parquet`", and that command is refused (ingest refuses a table of
passages, which goes to prelabel as it is). The fix now says it is a table of passages
saved with another separator, and what to save or pass instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.errors import InputError
from annotate.ingestion import ingest
from annotate.prelabeling import check_paths
from annotate.tables import documents_table_fix, table_columns

HEADER = "id;doc_id;passage_index;start;end;text;title"
ROW = "p_1;d1;0;0;44;The council met on Tuesday, as every week.;Notes"


@pytest.fixture
def semicolons(tmp_path: Path) -> Path:
    path = tmp_path / "passages.csv"
    path.write_text(f"\ufeff{HEADER}\r\n{ROW}\r\n", encoding="utf-8")
    return path


def test_prelabel_names_passages_saved_with_semicolons(semicolons: Path) -> None:
    with pytest.raises(InputError) as err:
        check_paths(semicolons, semicolons.with_name("prelabels.parquet"))
    fix = err.value.fix or ""
    assert "annotate ingest" not in fix.replace("`annotate ingest` refuses one", "")
    assert "separated by ';'" in fix and "table of passages" in fix
    assert "comma-separated CSV" in fix and "Parquet or JSONL" in fix
    # the fix it gave before is refused indeed
    with pytest.raises(InputError, match="passages"):
        ingest([semicolons], semicolons.with_suffix(".parquet"), delimiter=";")


def test_a_documents_table_with_semicolons_still_gets_ingest(tmp_path: Path) -> None:
    path = tmp_path / "comments.csv"
    path.write_text("id;text;author\nc1;hello there;ana\n", encoding="utf-8")
    fix = documents_table_fix(path, table_columns(path), "then") or ""
    assert f"annotate ingest {path} --delimiter ';'" in fix


def test_a_gold_sheet_with_semicolons_is_not_sent_to_ingest(tmp_path: Path) -> None:
    """A gold sheet (`id;text;gold_labels`) saved with ';': the fix sent it to `annotate
    ingest --delimiter ';'`, which reads it as documents and keeps gold_labels only in
    meta, so the gold answers never reach `prelabel`'s gold table."""
    path = tmp_path / "gold.csv"
    path.write_text("id;text;gold_labels\ng1;They will pay tonight.;violent_threat\n")
    with pytest.raises(InputError) as err:
        check_paths(path, tmp_path / "gold.parquet")
    fix = err.value.fix or ""
    assert "annotate ingest" not in fix.replace("`annotate ingest` would", "")
    assert "gold sheet" in fix and "comma-separated CSV" in fix
