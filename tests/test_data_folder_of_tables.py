"""`annotate evaluate --data data/project` (a folder of tables, not an export) was
refused with "pass the export directory, or a table file", no hint that each of its
tables can be passed (passJ54 M4). The error now names the folder's tables and gives the
options to pass them one by one."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.errors import TrainingError
from annotate.training.sources import DataSource, load_examples
from tests.conftest import project_taxonomy


def test_a_folder_of_tables_is_refused_with_one_data_option_per_table(tmp_path: Path) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    for name in ("a.jsonl", "b.jsonl", "c.csv", "d.parquet"):
        (folder / name).write_text("", encoding="utf-8")
    (folder / "README.md").write_text("notes", encoding="utf-8")
    with pytest.raises(TrainingError) as err:
        load_examples([DataSource(str(folder))], project_taxonomy(), 13)
    said, fix = str(err.value), err.value.fix or ""
    assert "a folder of tables is not read as one source (it holds 4 table files)" in said
    assert fix.startswith(
        f"pass each table with its own --data: --data {folder / 'a.jsonl'} "
        f"--data {folder / 'b.jsonl'} --data {folder / 'c.csv'} ... (4 in all)"
    ), fix
    assert "README.md" not in fix


def test_a_folder_without_tables_keeps_the_plain_fix(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    with pytest.raises(TrainingError) as err:
        load_examples([DataSource(str(tmp_path / "notes"))], project_taxonomy(), 13)
    assert "holds no table file" in str(err.value)
    assert err.value.fix == "pass the export directory, or a table file."
