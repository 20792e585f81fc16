"""A frozen model without a span model (no span examples, or ``frozen.spans: false``):
`annotate train` wrote ``span_labels: []`` with the config's ``own_voice_spans``, which
the span-label check (s62) then refused, when train wrote the file (the train failed at
its last step) and when an older model was read ("a span label is added by training, not
by editing this file": reader 62 finding 6, /tmp/nu58/models/multi). Now train writes no
own-voice span for it, and such an older file loads as before, with a log line."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from annotate.classifier.frozen_linear import FrozenConfig, LinearHead, read_config, save_frozen
from annotate.classifier.model_files import read_model_config
from annotate.errors import ModelError
from annotate.taxonomy import PROJECT_ROOT, load_taxonomy

DEFAULT = PROJECT_ROOT / "models" / "default"


def _no_span_model(tmp_path: Path, **edits: object) -> Path:
    """The shipped model's files as train wrote one without a span model before."""
    model = tmp_path / "model"
    shutil.copytree(DEFAULT, model)
    path = model / "annotate_model.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update({"span_labels": [], "span_thresholds": {}, "span_calibration": {}, **edits})
    assert data["own_voice_spans"] and data["quoted_span"]
    path.write_text(json.dumps(data), encoding="utf-8")
    return model


def test_a_model_train_wrote_without_a_span_model_loads(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    model = _no_span_model(tmp_path)
    with caplog.at_level(logging.INFO, logger="annotate.classifier.model_files"):
        cfg = read_model_config(model, FrozenConfig, "frozen_linear.py")
    assert cfg.own_voice_spans  # left as written: the model's version stays
    said = caplog.text
    assert "own_voice_spans (" in said and "ignored: the model has no span model" in said


def test_a_span_threshold_without_a_span_model_is_still_refused(tmp_path: Path) -> None:
    model = _no_span_model(tmp_path, span_thresholds={"threat": 0.4})
    with pytest.raises(ModelError, match="span_thresholds names 'threat'"):
        read_model_config(model, FrozenConfig, "frozen_linear.py")


def test_train_writes_no_own_voice_span_without_a_span_model(tmp_path: Path) -> None:
    from annotate.training.config import TrainConfig
    from annotate.training.frozen import FrozenLinear

    tax = load_taxonomy(PROJECT_ROOT / "labels.yaml")
    n, dim = len(tax.category_names), 4
    head = LinearHead(np.zeros(dim), np.ones(dim), np.zeros((n, dim)), np.zeros(n))
    encoder = SimpleNamespace(dim=dim, max_length=16)
    model = FrozenLinear(
        tax=tax,
        cfg=TrainConfig(frozen={"spans": False}),
        feats=SimpleNamespace(cache=SimpleNamespace(encoder=encoder)),  # type: ignore[arg-type]
        head=head,
        thresholds={name: 0.5 for name in tax.category_names},
    )
    save_frozen(model, tmp_path / "m", {})
    cfg = read_config(tmp_path / "m")
    assert cfg.span_labels == [] and cfg.own_voice_spans == []
    assert cfg.quoted_span == model.cfg.quoted_span  # the quoted-blocks rule's label
