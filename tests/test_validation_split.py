"""A validation split for training data that has none (a small export: its hash split may
put no document in validation)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from annotate.training.config import TrainConfig
from annotate.training.rows import load_rows
from annotate.training.validation_split import validation_documents
from tests.conftest import project_taxonomy


def test_validation_documents_are_seeded_and_leave_train_some() -> None:
    docs = [f"d{i}" for i in range(10)]
    held = validation_documents(docs * 3, seed=0)
    assert len(held) == 2 and held <= set(docs)
    assert validation_documents(list(reversed(docs)), seed=0) == held
    assert any(validation_documents(docs, seed=s) != held for s in range(1, 6))
    assert len(validation_documents(["a", "b"], seed=0)) == 1
    assert validation_documents(["only"], seed=0) == set()


def _write(path: Path, docs: int, split: str | None) -> Path:
    rows = []
    for d in range(docs):
        for i, label in enumerate(["violent_threat", "none"]):
            row = {
                "doc_id": f"doc-{d}",
                "passage_index": i,
                "text": f"passage {i} of document {d}",
                "labels": [label],
            }
            if split:
                row["split"] = split
            rows.append(row)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_training_rows_without_validation_hold_out_whole_documents(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = _write(tmp_path / "all_train.jsonl", docs=6, split="train")
    cfg = TrainConfig(name="t", data=[{"path": str(data)}], taxonomy_examples_weight=0)
    with caplog.at_level(logging.WARNING):
        rows, _ = load_rows(cfg, project_taxonomy())
    val = rows[rows.split == "validation"]
    assert val.doc_id.nunique() == 2 and len(val) == 4
    assert not set(val.doc_id) & set(rows[rows.split == "train"].doc_id)
    assert "no validation split: 2 of 6 training documents" in caplog.text
    again, _ = load_rows(cfg, project_taxonomy())
    assert again.split.tolist() == rows.split.tolist()


def test_a_validation_split_in_the_data_is_kept(tmp_path: Path) -> None:
    train = _write(tmp_path / "train.jsonl", docs=4, split="train")
    val = _write(tmp_path / "val.jsonl", docs=1, split="validation")
    (tmp_path / "val.jsonl").write_text(
        val.read_text(encoding="utf-8").replace("doc-0", "v-0"), encoding="utf-8"
    )
    cfg = TrainConfig(
        name="t", data=[{"path": str(train)}, {"path": str(val)}], taxonomy_examples_weight=0
    )
    rows, _ = load_rows(cfg, project_taxonomy())
    assert set(rows[rows.split == "validation"].doc_id) == {"val:v-0"}
    assert rows[rows.split == "train"].doc_id.nunique() == 4


def test_one_document_and_no_validation_is_one_clear_error(tmp_path: Path) -> None:
    from annotate.errors import TrainingError
    from annotate.training.row_training import split_rows

    data = _write(tmp_path / "one.jsonl", docs=1, split="train")
    cfg = TrainConfig(name="t", data=[{"path": str(data)}], taxonomy_examples_weight=0)
    rows, _ = load_rows(cfg, project_taxonomy())
    with pytest.raises(TrainingError, match="validation split is empty") as err:
        split_rows(rows)
    assert "at least two documents" in str(err.value.fix)
