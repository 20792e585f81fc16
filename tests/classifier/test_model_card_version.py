"""A model whose files no longer give the version its card records (weights or
annotate_model.json edited after training, a damaged copy) is warned about when it
loads: its version changes silently otherwise, and the card an auditor reads describes
another model."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

from annotate.classifier import load_classifier
from tests.conftest import ROOT


def _load(folder: Path, taxonomy, caplog) -> tuple[str, list[str]]:
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="annotate.classifier.model_files"):
        version = load_classifier(str(folder), taxonomy).version
    return version, [r.getMessage() for r in caplog.records if "model card" in r.getMessage()]


def test_a_model_changed_after_training_is_warned_about(tmp_path: Path, taxonomy, caplog) -> None:
    folder = tmp_path / "copy"
    shutil.copytree(ROOT / "models" / "default", folder)
    version, warned = _load(folder, taxonomy, caplog)
    assert f"- version: `{version}`" in (folder / "model_card.md").read_text(encoding="utf-8")
    assert warned == []
    config = json.loads((folder / "annotate_model.json").read_text(encoding="utf-8"))
    config["thresholds"]["violent_threat"] = 0.01
    (folder / "annotate_model.json").write_text(json.dumps(config), encoding="utf-8")
    changed, warned = _load(folder, taxonomy, caplog)
    assert changed != version
    assert len(warned) == 1 and f"records version {version}, its files give {changed}" in warned[0]
