"""A label without a training example is named by train and in the model card: a model
trained on a small export that never had graphic_violence scored it 0.0 on every passage,
with an empty 'Known limitations' section and no warning."""

from __future__ import annotations

import json
from typing import Any

from annotate.evaluation.model_card import untrained_labels, untrained_line
from tests.conftest import ROOT


def config(train: dict[str, int], **training: Any) -> dict[str, Any]:
    return {
        "labels": ["violent_threat", "graphic_violence", "news_reporting", "none"],
        "none_label": "none",
        "training": {
            "data": [
                {"path": "corpus", "kind": "export", "rows": 9, "label_counts": {"train": train}}
            ],
            **training,
        },
    }


def test_labels_without_a_training_example_are_named() -> None:
    cfg = config({"violent_threat": 3, "news_reporting": 0, "none": 2})
    assert untrained_labels(cfg) == ["graphic_violence", "news_reporting"]
    (line,) = untrained_line(cfg)
    assert "`graphic_violence`, `news_reporting`: the model has not learned them" in line


def test_nothing_is_claimed_when_it_cannot_be_told() -> None:
    assert untrained_labels(config({}, taxonomy_examples_weight=0.5)) == []
    cfg = config({})
    del cfg["training"]["data"][0]["label_counts"]
    assert untrained_labels(cfg) == [] and untrained_line(cfg) == []


def test_the_default_model_learned_every_label() -> None:
    model = json.loads((ROOT / "models" / "default" / "annotate_model.json").read_text())
    assert untrained_labels(model) == []


def test_a_label_added_without_examples_is_named_though_labels_yaml_examples_trained() -> None:
    """labels.yaml gained `harassment` (no examples) and the export has none: train said
    nothing (labels.yaml's examples were trained on, so every label was assumed seen) and
    the model scored it a constant. The fit's count per label names it."""
    cfg = config({"violent_threat": 3, "none": 2}, taxonomy_examples_weight=2.0)
    cfg["labels"].append("harassment")
    assert untrained_labels(cfg) == []  # without the fit's counts: cannot be told
    cfg["metrics"] = {
        "train_positives": {
            "violent_threat": 4,
            "graphic_violence": 1,  # labels.yaml's example
            "news_reporting": 2,
            "none": 9,
            "harassment": 0,
        }
    }
    assert untrained_labels(cfg) == ["harassment"]
    (line,) = untrained_line(cfg)
    assert "No training example of `harassment`: the model has not learned it" in line


def test_train_positives_counts_the_training_rows_of_each_label() -> None:
    import numpy as np
    import pandas as pd

    from annotate.training.row_training import train_positives

    rows = pd.DataFrame(
        {"labels": [np.array([1, 0, -1]), np.array([1, -1, 0]), np.array([0, 0, 0])]}
    )
    assert train_positives(rows, ["a", "b", "c"]) == {"a": 2, "b": 0, "c": 0}
    assert train_positives(rows.iloc[:0], ["a", "b"]) == {"a": 0, "b": 0}
