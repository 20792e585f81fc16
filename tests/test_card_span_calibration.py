"""A model card's "Evidence spans" said "Platt-calibrated on validation: a span score is a
probability (not for threat, call_to_violence, glorification, graphic_detail,
quoted_propaganda: ...)", every span label of the model (passF52 F12): with none
calibrated, it says so."""

from __future__ import annotations

import json

import pytest

from annotate.classifier import DEFAULT_MODEL_DIR
from annotate.training.card import span_calibration_sentence

pytestmark = pytest.mark.skipif(
    not (DEFAULT_MODEL_DIR / "annotate_model.json").is_file(), reason="no packaged model"
)


def _config(fell: list[str], card_limits: int = 4) -> dict:
    config = json.loads((DEFAULT_MODEL_DIR / "annotate_model.json").read_text(encoding="utf-8"))
    for name in fell:
        config["metrics"]["spans"]["validation"][name]["source"] = "fallback"
    config["metrics"]["card_limits"] = card_limits
    return config


def test_no_span_label_calibrated_is_said_so() -> None:
    every = list(_config([])["span_labels"])
    said = span_calibration_sentence(_config(every))
    assert "no span label was calibrated" in said, said
    assert "span scores are the head's raw scores, not probabilities" in said
    assert "Platt-calibrated" not in said and "(not for" not in said


def test_some_calibrated_keep_the_exceptions() -> None:
    said = span_calibration_sentence(_config(["threat"]))
    assert "Platt-calibrated on validation: a span score is a probability (not for `threat`" in said


def test_an_older_card_is_rendered_as_it_was_written() -> None:
    every = list(_config([])["span_labels"])
    said = span_calibration_sentence(_config(every, card_limits=3))
    assert "Platt-calibrated on validation: a span score is a probability (not for `threat`, " in (
        said
    )
