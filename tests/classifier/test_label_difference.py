"""One home for how two category lists differ (a model against the taxonomy when it
loads, two models that `annotate evaluate` compares) and for reading what a model folder
records of itself before loading it (its categories, its labels.yaml); each caller keeps
its own wording."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.classifier.model_files import (
    check_trained_labels,
    label_difference,
    recorded_config,
    recorded_labels,
    recorded_taxonomy,
)
from annotate.errors import InputError, ModelError
from annotate.evaluation.compare import require_same_labels


def test_the_difference_of_two_lists() -> None:
    assert label_difference(["a", "b"], ["a", "b"]) is None
    diff = label_difference(["a", "b", "c"], ["a", "d"])
    assert diff is not None and (diff.only_first, diff.only_second) == (["b", "c"], ["d"])
    assert diff.said("missing {}", "extra {}", "-") == "missing b, c; extra d"
    swapped = label_difference(["a", "b"], ["b", "a"])
    assert swapped is not None and swapped.reordered
    assert swapped.said("missing {}", "extra {}", "reordered") == "reordered"


def test_both_callers_keep_their_wording(tmp_path: Path) -> None:
    (tmp_path / "annotate_model.json").write_text(
        json.dumps({"labels": ["a", "x"], "taxonomy": {"name": "t", "version": "2.0.0"}})
    )
    with pytest.raises(
        ModelError,
        match=r"\(b in labels\.yaml, not in the model; x in the model, not in labels\.yaml; "
        r"it was trained with ",
    ):
        check_trained_labels(tmp_path, ["a", "x"], ["a", "b"])
    with pytest.raises(ModelError, match="the same categories in another order: b, a"):
        check_trained_labels(tmp_path, ["b", "a"], ["a", "b"])
    with pytest.raises(InputError, match=r"\(only A has b; only B has x\)"):
        require_same_labels(["A", "B"], [["a", "b"], ["a", "x"]])
    with pytest.raises(InputError, match=r"\(the same categories in another order\)"):
        require_same_labels(["A", "B"], [["a", "b"], ["b", "a"]])
    require_same_labels(["A", "B"], [["a"], None])  # one records none: nothing to compare


def test_one_reader_of_what_a_model_folder_records(tmp_path: Path) -> None:
    assert recorded_config(tmp_path) is None  # no annotate_model.json: a hub id, say
    assert (recorded_labels(tmp_path), recorded_taxonomy(tmp_path)) == (None, "")
    (tmp_path / "annotate_model.json").write_text("[1, 2]")  # not an object
    assert recorded_config(tmp_path) is None
    (tmp_path / "annotate_model.json").write_text("{not json")
    assert recorded_config(tmp_path) is None
    (tmp_path / "annotate_model.json").write_text(
        json.dumps({"labels": ["a", 2], "taxonomy": {"name": "t", "version": "1.0.0"}})
    )
    assert recorded_labels(tmp_path) == ["a", "2"]
    assert recorded_taxonomy(tmp_path) == "t 1.0.0"
