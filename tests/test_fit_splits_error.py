"""`annotate train` on data with an empty train split said "the train split is empty (12
examples in all)": not which splits the data had, nor what to do. The error now names
every split's count and the fix."""

from __future__ import annotations

import numpy as np
import pytest

from annotate.errors import TrainingError
from annotate.evaluation.metrics import classification_report
from annotate.training.validation_split import require_fit_splits


def test_an_empty_train_split_names_what_the_data_has_and_the_fix():
    with pytest.raises(TrainingError) as err:
        require_fit_splits({"train": 0, "validation": 3, "test": 9}, "examples")
    assert str(err.value).startswith(
        "the train split is empty: the data has 0 train, 3 validation and 9 test examples;"
    )
    assert "more reviewed documents" in err.value.fix
    with pytest.raises(TrainingError, match="the data has no rows at all") as err:
        require_fit_splits({})
    assert "reviewed rows with a category" in err.value.fix


def test_an_empty_validation_split_names_what_the_data_has():
    with pytest.raises(TrainingError) as err:
        require_fit_splits({"train": 4, "validation": 0, "test": 1})
    assert str(err.value).startswith(
        "the validation split is empty: the data has 4 train, 0 validation and 1 test rows, "
        "and no training document could be held out for it (4 rows of one document"
    )
    assert "at least two documents" in err.value.fix
    require_fit_splits({"train": 1, "validation": 1})  # enough to fit


def test_the_calibration_error_of_no_supervised_row_is_undefined_not_nan():
    z = np.zeros((2, 1), np.float32)
    rep = classification_report(z + 0.3, z, z, z, ["none"], [], [])
    assert rep["ece"] is None and rep["per_label"]["none"]["ece"] is None


def test_data_without_train_passages_is_refused_before_labels_yaml_examples_join(
    tmp_path, monkeypatch
):
    """An export of validation and test passages only trained a model on labels.yaml's
    11 examples (they join the train split, so the split was not empty) and reported
    success: the check now counts the data's own passages, for every trainer."""
    import importlib
    import json

    from annotate.training.config import TrainConfig
    from annotate.training.rows import load_rows
    from tests.conftest import project_taxonomy

    data = tmp_path / "no_train.jsonl"
    rows = [
        {"doc_id": f"d{i}", "text": f"Passage {i} of the council notes.", "labels": ["none"]}
        | {"split": ("validation", "test")[i % 2]}
        for i in range(4)
    ]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    cfg = TrainConfig(name="t", data=[{"path": str(data)}])  # labels.yaml examples: on
    assert cfg.taxonomy_examples_weight > 0
    found = "the data has 0 train, 2 validation and 2 test passages"
    with pytest.raises(TrainingError, match=f"the train split is empty: {found}"):
        load_rows(cfg, project_taxonomy())  # the frozen and fine-tuning trainers

    def no_encoding(*a, **kw):
        raise AssertionError("got past the split check")

    train_module = importlib.import_module("annotate.training.train")
    monkeypatch.setattr(train_module, "pick_device", no_encoding)
    cfg = TrainConfig(name="t", trainer="encoder-head", data=[{"path": str(data)}])
    with pytest.raises(TrainingError, match=f"the train split is empty: {found}"):
        train_module.train(cfg, tmp_path / "model", project_taxonomy())
