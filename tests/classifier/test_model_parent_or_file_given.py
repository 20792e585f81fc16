"""`--model models` (the folder that holds the trained models) and `--model
models/m6/annotate_model.json` (the model's file) said only "is not a model directory"
and "is a file ... Fix: pass the directory", naming neither. They now name the model
directories the folder holds, and the model directory the file is in."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.classifier.loader import load_classifier, model_kind
from annotate.errors import ModelError


def _model(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "annotate_model.json").write_text('{"kind": "annotate.frozen-linear.v1"}')
    return folder


def test_a_folder_of_models_names_them(tmp_path: Path) -> None:
    _model(tmp_path / "models" / "round-1")
    _model(tmp_path / "models" / "round-2")
    (tmp_path / "models" / "notes").mkdir()
    with pytest.raises(ModelError, match="not a model directory") as got:
        model_kind(tmp_path / "models")
    models = tmp_path / "models"
    assert "it holds 2 model directories" in str(got.value), got.value
    assert got.value.fix.startswith(
        f"pass one of them: {models / 'round-1'}, {models / 'round-2'}"
    ), got.value.fix


def test_a_folder_without_models_keeps_the_plain_fix(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    with pytest.raises(ModelError) as got:
        model_kind(tmp_path)
    assert "holds" not in str(got.value) and "pass one of them" not in got.value.fix


def test_a_file_of_a_model_names_its_folder(tmp_path: Path, taxonomy) -> None:
    model = _model(tmp_path / "m6")
    with pytest.raises(ModelError, match="is a file, expected a model directory") as got:
        load_classifier(model / "annotate_model.json", taxonomy)
    assert got.value.fix == f"pass the model directory it is in: --model {model}.", got.value.fix
    other = tmp_path / "notes.txt"
    other.write_text("x")
    with pytest.raises(ModelError) as got:
        load_classifier(other, taxonomy)
    assert got.value.fix == "pass the directory.", got.value.fix
