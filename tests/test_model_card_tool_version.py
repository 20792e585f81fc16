"""Model cards name the annotate version the model was trained with, git revision
included (``annotate 0.1.0 (git 1a2b3c4)``); they named torch's only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.classifier import DEFAULT_MODEL_DIR
from annotate.training.card import write_card


@pytest.mark.skipif(
    not (DEFAULT_MODEL_DIR / "annotate_model.json").is_file(), reason="no packaged model"
)
def test_the_card_names_the_recorded_tool_version(tmp_path: Path) -> None:
    config = json.loads((DEFAULT_MODEL_DIR / "annotate_model.json").read_text(encoding="utf-8"))
    config["training"].pop("annotate", None)  # a model trained before it was recorded
    (tmp_path / "annotate_model.json").write_text(json.dumps(config), encoding="utf-8")
    write_card(tmp_path, "v1")
    older = (tmp_path / "model_card.md").read_text(encoding="utf-8")
    assert "annotate 0.1.0" not in older
    config["training"]["annotate"] = "0.1.0 (git 1a2b3c4)"
    (tmp_path / "annotate_model.json").write_text(json.dumps(config), encoding="utf-8")
    write_card(tmp_path, "v1")
    card = (tmp_path / "model_card.md").read_text(encoding="utf-8")
    assert "annotate 0.1.0 (git 1a2b3c4), torch " in card
