"""A copy of the shipped model folder for the model-card verify tests to edit."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from annotate.classifier.model_files import card_version
from annotate.settings import PROJECT_ROOT

SHIPPED = PROJECT_ROOT / "models" / "default"


def shipped_copy(tmp_path: Path) -> tuple[Path, str, str]:
    """``models/default`` copied to ``tmp_path / "m"``: (the copy, its model kind, the
    version its card records)."""
    model = tmp_path / "m"
    shutil.copytree(SHIPPED, model)
    config = json.loads((model / "annotate_model.json").read_text())
    version = card_version(model)
    assert version is not None
    return model, str(config["kind"]), version
