"""A gold sheet whose answer column is spelt otherwise (``gold_label``, ``Gold Labels``)
was pre-labelled without a word, the column carried through as any other, and only
``push --gold`` then refused the output for lacking gold_labels, with a fix that told to
add a column the sheet seemed to have. Prelabel now refuses such a sheet before the
model loads, naming the column and the name expected, and push's error names it too."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from annotate.errors import InputError
from annotate.review.gold import check_gold_answers, misspelt_gold_columns, read_gold
from annotate.studio.label_config import parse_label_config
from annotate.taxonomy import load_taxonomy
from tests.test_cli import _error_line, run


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (["id", "text", "gold_label"], {"gold_label": "gold_labels"}),
        (["id", "text", "Gold Labels"], {"Gold Labels": "gold_labels"}),
        (
            ["id", "text", "gold_lables", "gold severity"],
            {
                "gold_lables": "gold_labels",
                "gold severity": "gold_severity",
            },
        ),
        (["id", "text", "gold_labels", "gold_label_note"], {}),  # the real one is there
        (["id", "text", "goldfish", "labels"], {}),
    ],
)
def test_misspelt_gold_columns(columns: list[str], expected: dict[str, str]) -> None:
    assert misspelt_gold_columns(columns) == expected


def test_prelabel_refuses_a_sheet_with_a_misspelt_gold_column(tmp_path: Path) -> None:
    sheet = tmp_path / "gold.csv"
    sheet.write_text('id,text,gold_label\ng1,"I will find you.",violent_threat\n')
    with pytest.raises(InputError, match="'gold_label' \\(expected 'gold_labels'\\)"):
        check_gold_answers(sheet, load_taxonomy())
    out = tmp_path / "gold.parquet"
    line = _error_line(run("prelabel", str(sheet), "--out", str(out)))
    assert "'gold_label' (expected 'gold_labels')" in line and "rename the column" in line
    assert not out.exists()


def test_push_gold_names_the_misspelt_column(tmp_path: Path) -> None:
    tax = load_taxonomy()
    row = {
        "id": "g1",
        "text": "I will find you.",
        "gold_label": "violent_threat",
        "scores": json.dumps({c: 0.1 for c in tax.category_names}),
        "labels": "[]",
        "spans": "[]",
        "model_version": "default@x",
    }
    gold = tmp_path / "gold.parquet"
    pd.DataFrame([row]).to_parquet(gold)
    with pytest.raises(InputError) as err:
        read_gold(gold, tax, parse_label_config(tax.render_label_config()))
    assert "missing column(s) 'gold_labels'" in str(err.value)
    assert "'gold_label' (expected 'gold_labels')" in (err.value.fix or "")
