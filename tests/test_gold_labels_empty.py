"""A gold row whose gold_labels names no category: the error said "found []" (a Python
list, whatever the cell held); it says in words what the cell holds and how to fix it."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from annotate.errors import InputError
from annotate.review.gold import check_gold_answers
from annotate.taxonomy import load_taxonomy
from tests.test_cli import _error_line, run

SHEET = "id,text,gold_labels,gold_severity\n"


def _jsonl(path: Path, value: object) -> Path:
    row = {"id": "g1", "text": "We know where you live.", "gold_labels": value}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda d: _jsonl(d / "g.jsonl", []), "(an empty list)"),
        (lambda d: _jsonl(d / "g.jsonl", ""), "(the cell is empty)"),
        (lambda d: _jsonl(d / "g.jsonl", None), "(the cell is empty)"),
        (lambda d: _jsonl(d / "g.jsonl", " ; "), "(only separators (' ; '))"),
        (lambda d: _csv(d, 'g1,"We know where you live.",,high\n'), "(the cell is empty)"),
        (lambda d: _parquet(d, []), "(an empty list)"),
        (lambda d: _parquet(d, None), "(the cell is empty)"),
    ],
)
def test_no_gold_label_is_said_in_words_with_the_fix(tmp_path: Path, make, said: str) -> None:
    tax = load_taxonomy()
    with pytest.raises(InputError) as err:
        check_gold_answers(make(tmp_path), tax)
    assert f"(id 'g1'): gold_labels names no category {said}" in err.value.what
    assert "[]" not in err.value.what
    fix = err.value.fix or ""
    assert ", ".join(tax.category_names) in fix, fix
    assert f"{tax.none_label} for a passage in none of the others" in fix, fix


def _csv(d: Path, row: str) -> Path:
    path = d / "gold.csv"
    path.write_text(SHEET + row, encoding="utf-8")
    return path


def _parquet(d: Path, value: object) -> Path:
    path = d / "gold.parquet"
    frame = pd.DataFrame({"id": ["g1"], "text": ["a"], "gold_labels": [value]})
    if value is None:
        frame["gold_labels"] = frame["gold_labels"].astype(object)
    frame.to_parquet(path)
    return path


def test_prelabel_says_it_in_one_line(tmp_path: Path) -> None:
    src = _csv(tmp_path, 'g1,"We know where you live.",,high\n')
    line = _error_line(run("prelabel", str(src), "--out", str(tmp_path / "gold.parquet")))
    assert "gold_labels names no category (the cell is empty)" in line, line
    assert "found []" not in line, line
