"""`annotate evaluate --split test` on data whose test split is empty (a small corpus:
each document's split is a seeded hash of its id) says so, with what the data has."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.errors import InputError
from annotate.evaluation.evaluate import evaluate
from annotate.training.sources import DataSource
from tests.conftest import project_taxonomy


def test_an_empty_test_split_is_named_with_the_splits_the_data_has(tmp_path: Path) -> None:
    data = tmp_path / "gold.jsonl"
    rows = [
        {"doc_id": f"d{i}", "text": f"passage {i}", "labels": ["none"], "split": s}
        for i, s in enumerate(["train", "train", "validation"])
    ]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with pytest.raises(InputError, match="the test split of the given data is empty") as err:
        evaluate(
            object(), project_taxonomy(), [DataSource(str(data))], tmp_path / "o", split="test"
        )
    assert "2 train passages, 1 validation passage" in str(err.value)
    assert "may leave test empty" in str(err.value)
