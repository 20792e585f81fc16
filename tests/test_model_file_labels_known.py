"""A hand-edited annotate_model.json whose harmful, context, yield or threshold entries
name a label the model does not have (a typo, a label taken out of ``labels``): read
without a word, so `annotate prelabel` ran with the rule or threshold doing nothing
(faults61, `"harmful": [..., "spam"]`: prelabel rc 0). Now it is refused when the file is
read, naming the key, the label and the model's labels."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from annotate.classifier.frozen_linear import FrozenConfig
from annotate.classifier.model_files import read_model_config
from annotate.errors import ModelError
from annotate.taxonomy import PROJECT_ROOT

DEFAULT = PROJECT_ROOT / "models" / "default"


def _edited(tmp_path: Path, edit: Callable[[dict[str, Any]], None]) -> Path:
    model = tmp_path / "model"
    shutil.copytree(DEFAULT, model)
    path = model / "annotate_model.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    return model


def test_the_default_model_reads() -> None:
    read_model_config(DEFAULT, FrozenConfig, "frozen_linear.py")


@pytest.mark.parametrize(
    ("key", "edit"),
    [
        ("harmful", lambda d: d["harmful"].append("spam")),
        ("context", lambda d: d["context"].append("satire")),
        ("none_label", lambda d: d.__setitem__("none_label", "nothing")),
        ("yield_to_none", lambda d: d["yield_to_none"].append("News_reporting")),
        ("thresholds", lambda d: d["thresholds"].__setitem__("violent-threat", 0.4)),
        ("calibration", lambda d: d["calibration"].__setitem__("spam", {"a": 1.0, "b": 0.0})),
    ],
)
def test_a_label_the_model_does_not_have_is_refused(
    tmp_path: Path, key: str, edit: Callable[[dict[str, Any]], None]
) -> None:
    model = _edited(tmp_path, edit)
    with pytest.raises(ModelError) as err:
        read_model_config(model, FrozenConfig, "frozen_linear.py")
    said = str(err.value)
    assert said.startswith(f"{model / 'annotate_model.json'}: {key} names '"), said
    assert "not one of the model's labels (violent_threat, incitement" in said
    assert "Fix:" in said and "\n" not in said
