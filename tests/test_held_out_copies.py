"""Test passages with the text of a training or validation row. Training on a reviewed
export beside the project table its documents came from (each split by document on its
own) put 16 of 63 test passages in one source's test split and the other's train or
validation split; `train` reported the held-out macro F1 over them without a word.
`metrics.test_copies` counts them, `train` warns and the card says so."""

from __future__ import annotations

import pandas as pd

from annotate.training import held_out_copies as copies
from annotate.training.card_limits import generated_limitation_lines
from annotate.training.row_training import rows_test_copies


def _frame(rows: list[tuple[str, str, str, str, bool]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["id", "text", "split", "source", "spans_only"])


def test_a_test_passage_another_source_trains_on_is_counted() -> None:
    rows = _frame(
        [
            ("t1", "I know where you  live.", "train", "context", False),
            ("v1", "Stay home tonight", "validation", "context", False),
            ("x1", "i know where you live.", "test", "export:corpus", False),  # folded copy
            ("x2", "STAY HOME\ntonight", "test", "export:corpus", False),
            ("x3", "Nothing like the others", "test", "export:corpus", False),
            ("x4", "I know where you live.", "test", "spans", True),  # not scored
        ]
    )
    split = {
        s: rows[rows.split == s].reset_index(drop=True) for s in ("train", "validation", "test")
    }
    record = rows_test_copies(split)
    assert record is not None
    assert (record["count"], record["test_passages"]) == (2, 3)
    assert record["by_source"] == {"export:corpus": 2}
    assert record["examples"][0] == {
        "id": "x1",
        "source": "export:corpus",
        "copy_source": "context",
        "copy_split": "train",
    }
    text = copies.copy_warning(record)
    assert text.startswith("2 of 3 test passages have the same text")
    assert "e.g. x1 of export:corpus, also in context's train split" in text


def test_no_copy_no_test_split_no_word() -> None:
    assert copies.find_test_copies(["a", "b"], ["train", "test"], ["s", "s"], ["1", "2"]) == {
        "count": 0,
        "test_passages": 1,
        "by_source": {},
        "examples": [],
        "near_count": 0,  # nor a near-copy (tests/test_table_split_near_copies.py)
        "near_threshold": 0.8,
        "near_by_source": {},
        "near_examples": [],
    }
    assert copies.find_test_copies(["a"], ["train"], ["s"], ["1"]) is None
    assert copies.copy_warning(None) == "" and copies.copy_warning({"count": 0}) == ""


def test_the_card_names_them_and_an_older_record_is_unchanged() -> None:
    per_label = {"none": {"support": 200}}
    metrics = {"card_limits": 1, "test": {"n": 200, "per_label": per_label}}
    config = {"labels": ["none"], "metrics": metrics}
    assert generated_limitation_lines(config) == []  # trained before the count: as before
    record = {"count": 3, "test_passages": 200, "by_source": {"a": 3}, "examples": []}
    config["metrics"] = {**metrics, "test_copies": record}
    (line,) = generated_limitation_lines(config)
    assert line.startswith("- 3 of 200 test passages have the same text") and line.endswith(".")
