"""A hand-edited annotate_model.json whose span-label lists (own_voice_spans,
quoted_span, span_thresholds, span_calibration) name a span label the model does not
have: read without a word (faults61 left it: only the category lists were checked), so
the own-voice rule or span threshold meant did nothing. Now refused when the file is read,
naming the key, the span label and the model's span labels."""

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


@pytest.mark.parametrize(
    ("key", "edit"),
    [
        ("own_voice_spans", lambda d: d["own_voice_spans"].append("slur")),
        ("quoted_span", lambda d: d.__setitem__("quoted_span", "quoted-propaganda")),
        ("span_thresholds", lambda d: d["span_thresholds"].__setitem__("threats", 0.4)),
        ("span_calibration", lambda d: d["span_calibration"].__setitem__("x", {"a": 1, "b": 0})),
        # a span label taken out of span_labels, its settings left behind
        ("own_voice_spans", lambda d: d["span_labels"].remove("threat")),
    ],
)
def test_a_span_label_the_model_does_not_have_is_refused(
    tmp_path: Path, key: str, edit: Callable[[dict[str, Any]], None]
) -> None:
    model = _edited(tmp_path, edit)
    with pytest.raises(ModelError) as err:
        read_model_config(model, FrozenConfig, "frozen_linear.py")
    said = str(err.value)
    assert said.startswith(f"{model / 'annotate_model.json'}: {key} names '"), said
    assert "not one of the model's span labels (" in said
    assert "Fix:" in said and "\n" not in said


def test_no_quoted_span_is_fine(tmp_path: Path) -> None:
    model = _edited(tmp_path, lambda d: d.__setitem__("quoted_span", None))
    read_model_config(model, FrozenConfig, "frozen_linear.py")
