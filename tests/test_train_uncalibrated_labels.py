"""A model retrained on a small export (a validation split of a tenth of its documents)
had most labels uncalibrated (Platt scaling needs 8 validation passages with and without
a label; fewer leave the identity, the head's raw class-weighted probability) and some
thresholds at the default 0.5 (no validation positive). `annotate train` said nothing
and the model card's section "Calibration and thresholds" read as if every label were
calibrated (prelabel's README: "a calibrated probability for every category"). Both now
name those labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.classifier import DEFAULT_MODEL_DIR
from annotate.cli.train import calibration_warnings
from annotate.evaluation.model_card import uncalibrated_labels
from annotate.training.card import write_card

pytestmark = pytest.mark.skipif(
    not (DEFAULT_MODEL_DIR / "annotate_model.json").is_file(), reason="no packaged model"
)


def _config() -> dict:
    return json.loads((DEFAULT_MODEL_DIR / "annotate_model.json").read_text(encoding="utf-8"))


def _small_export_model(config: dict) -> dict:
    # what training on a 169-passage export gave: identity calibration where validation
    # had fewer than 8 passages of a class, the default threshold where it had none
    for name in ("incitement", "graphic_violence"):
        config["calibration"][name] = {"a": 1.0, "b": 0.0}
    config["thresholds"]["graphic_violence"] = 0.5
    config["metrics"]["threshold_rules"]["graphic_violence"] = "default (no validation positives)"
    # as a model trained before threshold sources were recorded (stop 34) wrote it: the
    # shipped model records them since its stop-35 rebuild, and they, not the rule, decide
    config["metrics"].pop("threshold_sources", None)
    return config


def test_the_shipped_model_has_every_label_calibrated() -> None:
    assert uncalibrated_labels(_config()) == ([], [])
    assert calibration_warnings(_config()) == []


def test_training_names_labels_validation_could_not_calibrate() -> None:
    config = _small_export_model(_config())
    # a label at the fallback threshold is named once, as such (it is not calibrated either)
    assert uncalibrated_labels(config) == (["incitement"], ["graphic_violence"])
    # two warnings, one per fact (stop 48 F10: they were one sentence joined by ';')
    uncalibrated, fell_back = calibration_warnings(config)
    assert uncalibrated.startswith("not calibrated: incitement (fewer than 8")
    assert "threshold" not in uncalibrated  # the none label's is not used: none said
    assert "graphic_violence" not in uncalibrated
    assert fell_back.startswith(
        "The threshold of graphic_violence (no validation positive) is the fallback 0.5 on "
        "uncalibrated scores, not fitted on validation (fitting needs at least 5 validation "
        "positives and 5 negatives; the model card says so): its labels for it are unreliable"
    )


def test_the_model_card_says_which_labels_are_not_calibrated(tmp_path: Path) -> None:
    (tmp_path / "annotate_model.json").write_text(json.dumps(_config()), encoding="utf-8")
    write_card(tmp_path, "v1")
    assert "Not calibrated" not in (tmp_path / "model_card.md").read_text(encoding="utf-8")
    config = _small_export_model(_config())
    (tmp_path / "annotate_model.json").write_text(json.dumps(config), encoding="utf-8")
    write_card(tmp_path, "v1")
    card = (tmp_path / "model_card.md").read_text(encoding="utf-8")
    assert "Not calibrated (fewer than 8 validation passages with, or without, the label): " in card
    assert "the label): `incitement`; their scores are the head's own probabilities" in card
    assert (
        "**Threshold fallback** (a label's threshold and calibration are fitted on validation "
        "only with at least 5 validation positives and 5 negatives): `graphic_violence` (no "
        "validation positive); their thresholds are the fixed fallback 0.5, not chosen"
    ) in card
