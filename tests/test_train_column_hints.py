"""A user's labeled table with its columns under other names: the error names the table's
columns and the one to rename (stop 49 audit A8, A16), never a row-level message that
reads as if the first row were empty."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.errors import TrainingError
from annotate.taxonomy import load_taxonomy
from annotate.training.sources import read_native


def _error(tmp_path: Path, header: str, row: str) -> TrainingError:
    path = tmp_path / "own.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    with pytest.raises(TrainingError) as err:
        read_native(path, load_taxonomy(), 13)
    return err.value


def test_a_category_column_is_named_to_rename(tmp_path: Path) -> None:
    """A single-label `label` column is read as it is (tests/test_train_single_label_column.py)."""
    err = _error(tmp_path, "id,text,category", "1,They will burn the mosque tonight,violent_threat")
    assert "has no 'labels' column" in str(err)
    assert "rename the column 'category' to 'labels'" in (err.fix or "")


def test_one_column_per_category_is_recognised(tmp_path: Path) -> None:
    err = _error(tmp_path, "text,violent_threat,none", "They will burn it tonight,1,0")
    assert "one column per category (violent_threat, none)" in str(err)
    assert "'labels' column listing each row's categories" in (err.fix or "")


def test_a_text_column_under_another_name_is_said_of_the_table(tmp_path: Path) -> None:
    err = _error(tmp_path, "id,content,labels", "1,They will burn it tonight,violent_threat")
    assert "has no 'text' column (found 'id', 'content', 'labels')" in str(err)
    assert "row 1" not in str(err)
    assert "rename the column 'content' to 'text'" in (err.fix or "")


def test_columns_nothing_like_them_get_the_general_fix(tmp_path: Path) -> None:
    err = _error(tmp_path, "id,doc_id,passage_index,text", "1,d,0,Plain text")
    assert "has no 'labels' column" in str(err) and "rename" not in (err.fix or "")


def test_both_renames_are_named_in_one_error(tmp_path: Path) -> None:
    """break3 B5: a table with 'content' and 'label' was fixed one column per run (now
    'category': a `label` column is read)."""
    err = _error(tmp_path, "id,content,category", "1,They will burn it tonight,violent_threat")
    assert "rename the column 'category' to 'labels'" in (err.fix or "")
    assert "and the column 'content' to 'text'" in (err.fix or "")


def test_the_one_hot_example_pairs_no_none(tmp_path: Path) -> None:
    err = _error(tmp_path, "text,none,violent_threat,incitement", "They will burn it,0,1,1")
    assert "'violent_threat,incitement'" in (err.fix or ""), err.fix
