"""`annotate evaluate --model default --model models/new` after labels.yaml gained a
category: "default" names the shipped model (no such folder here), and the comparison
is refused up front, as two model folders are ("the two models were trained for
different categories", with a fix that works); it skipped that check for the name and
failed loading a model, with a fix (pass the labels.yaml it was trained with) that the
other model then refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.classifier.loader import DEFAULT_MODEL_DIR, named_model_dir
from tests.test_cli import _error_line, run

SCORED = Path(__file__).resolve().parents[1] / "fixtures" / "regression_harmful.jsonl"


def test_default_by_name_is_compared_on_its_recorded_labels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no models/default here: the name is the shipped model's
    shipped = json.loads((DEFAULT_MODEL_DIR / "annotate_model.json").read_text())
    new = tmp_path / "models" / "new"
    new.mkdir(parents=True)
    (new / "annotate_model.json").write_text(
        json.dumps({**shipped, "labels": [*shipped["labels"], "doxxing"]})
    )
    assert named_model_dir("default") == DEFAULT_MODEL_DIR
    assert named_model_dir("models/new") == Path("models/new")
    ran = run(
        "evaluate",
        "--model",
        "default",
        "--model",
        "models/new",
        "--data",
        str(SCORED),
        "--out",
        str(tmp_path / "r"),
    )
    line = _error_line(ran)
    assert "the two models were trained for different categories" in line, line
    assert "only models/new has doxxing" in line, line
    assert "evaluate each alone, with the labels.yaml it was trained with" in line, line
    assert not (tmp_path / "r").exists()
