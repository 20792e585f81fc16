"""`annotate evaluate --split test` on data whose test split is empty (a small corpus:
each document's split is a seeded hash of its id) says so, with what the data has."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.errors import InputError
from annotate.evaluation.evaluate import evaluate, scored_examples
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


def test_a_source_with_no_passage_in_the_split_is_named_beside_others(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Of two --data sources, one with no test passage added nothing to `--split test`
    without a word (it was scored on the other's passages alone)."""

    def table(name: str, splits: list[str]) -> Path:
        path = tmp_path / name
        rows = [
            {"doc_id": f"{name}{i}", "text": f"{name} passage {i}", "labels": ["none"], "split": s}
            for i, s in enumerate(splits)
        ]
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        return path

    scored = table("scored.jsonl", ["test", "train"])
    absent = table("absent.jsonl", ["train", "train", "validation"])
    data = [DataSource(str(scored)), DataSource(str(absent))]
    with caplog.at_level("WARNING", logger="annotate.evaluation.evaluate"):
        examples, _ = scored_examples([], project_taxonomy(), data, "test", 13)
    assert [e.text for e in examples] == ["scored.jsonl passage 0"]
    said = caplog.text
    assert "absent.jsonl has no passage in the test split" in said
    assert "2 train passages, 1 validation passage" in said
    assert "scored.jsonl" not in said
    caplog.clear()
    with caplog.at_level("WARNING", logger="annotate.evaluation.evaluate"):
        scored_examples([], project_taxonomy(), data, "train", 13)
    assert "no passage in" not in caplog.text
