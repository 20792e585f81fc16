"""A model trained on a small export gets the fallback threshold 0.5 on uncalibrated
scores for the labels its validation split had too few examples of (stop 48 new-user F7):
`annotate train` warned, but `annotate prelabel --model M` then labelled ordinary text
violent_threat without a word, and the riskiest-first queue filled with false threats.
prelabel (either engine's summary) and `annotate verify MODEL` now warn, once, from what
``annotate_model.json`` records (``metrics.threshold_sources``); train's own warning says
so loudly when no harmful label was fitted (F10: apart from the labels only left
uncalibrated)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from annotate.classifier import DEFAULT_MODEL_DIR
from annotate.classifier.base import threshold_record
from annotate.classifier.model_files import card_version
from annotate.cli.train import calibration_warnings
from annotate.evaluation.model_card import fallback_thresholds_said, fallback_warning
from annotate.training.card import write_card
from tests.test_cli import run

pytestmark = pytest.mark.skipif(
    not (DEFAULT_MODEL_DIR / "annotate_model.json").is_file(), reason="no packaged model"
)

HARMFUL = ("violent_threat", "incitement", "graphic_violence", "extremist_propaganda")


def _config() -> dict:
    return json.loads((DEFAULT_MODEL_DIR / "annotate_model.json").read_text(encoding="utf-8"))


def _fell_back(config: dict, labels: tuple[str, ...] = HARMFUL) -> dict:
    # what train records for a label below the operating point's minimums (0 validation
    # positives, 4 negatives on a 38-passage export); metrics are not versioned, so the
    # copied model keeps its version (default@...) and loads without a warning of its own
    for name in labels:
        config["metrics"]["threshold_sources"][name] = {
            "source": "fallback",
            "validation_positives": 0,
            "validation_negatives": 4,
            "threshold": 0.5,
        }
    return config


def _model_copy(tmp_path: Path, labels: tuple[str, ...] = HARMFUL) -> Path:
    model = tmp_path / "b1"
    shutil.copytree(DEFAULT_MODEL_DIR, model)
    config = _fell_back(_config(), labels)
    (model / "annotate_model.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    write_card(model, str(card_version(DEFAULT_MODEL_DIR)))  # as train writes it: it verifies
    return model


def _passages(tmp_path: Path) -> Path:
    src = tmp_path / "in.jsonl"
    texts = [
        "The match is on Sunday, tickets at the kiosk near the station entrance.",
        "Lovely weather for a walk by the river today.",
    ]
    src.write_text(
        "".join(json.dumps({"id": f"p{i}", "text": t}) + "\n" for i, t in enumerate(texts)),
        encoding="utf-8",
    )
    return src


def test_the_shipped_model_gives_no_warning() -> None:
    assert fallback_thresholds_said(_config()) == ""
    assert fallback_warning(_config(), "default@x") == ""
    assert calibration_warnings(_config()) == []


def test_the_warning_names_the_fallback_labels_and_says_when_every_harmful_one_fell_back() -> None:
    some = fallback_warning(_fell_back(_config(), ("incitement",)), "b1@1")
    assert some.startswith(
        "model b1@1: the threshold of incitement (0 validation positives, 4 negatives) is the "
        "fallback 0.5 on uncalibrated scores, not fitted on validation (fitting needs at "
        "least 5 validation positives and 5 negatives)"
    )
    assert "none of its harmful labels" not in some
    every = fallback_warning(_fell_back(_config()), "b1@1")
    assert every.startswith(
        "model b1@1: none of its harmful labels has a fitted threshold: the thresholds of "
        "violent_threat (0 validation positives, 4 negatives), incitement"
    )
    assert "Its labels for them are unreliable" in every


def test_prelabel_warns_once_on_a_model_with_fallback_thresholds(tmp_path: Path) -> None:
    model = _model_copy(tmp_path)
    src = _passages(tmp_path)
    ran = run("prelabel", str(src), "--model", str(model), "--out", str(tmp_path / "o.jsonl"))
    assert ran.returncode == 0, ran.stderr
    lines = [ln for ln in ran.stderr.splitlines() if "fitted threshold" in ln]
    assert len(lines) == 1, ran.stderr
    assert lines[0].startswith("warning: model default@")
    assert "version" not in ran.stderr  # the copy is the shipped model, but its record
    assert "none of its harmful labels has a fitted threshold" in lines[0]
    # the shipped model: no such warning
    ran = run("prelabel", str(src), "--out", str(tmp_path / "d.jsonl"))
    assert ran.returncode == 0, ran.stderr
    assert "fallback" not in ran.stderr, ran.stderr


def test_threshold_record_of_a_loaded_model(tmp_path: Path) -> None:
    from annotate.classifier import load_classifier
    from annotate.taxonomy import load_taxonomy

    clf = load_classifier(str(_model_copy(tmp_path, ("incitement",))), load_taxonomy())
    record = threshold_record(clf)
    assert record["metrics"]["threshold_sources"]["incitement"]["source"] == "fallback"
    assert "incitement (0 validation positives" in fallback_thresholds_said(record)
    assert threshold_record(object()) == {}


def test_verify_model_warns_on_fallback_thresholds(tmp_path: Path) -> None:
    model = _model_copy(tmp_path)
    ran = run("verify", str(model))
    assert ran.returncode == 0, ran.stderr  # a warning, not a mismatch
    assert "Threshold fallback" in (model / "model_card.md").read_text(encoding="utf-8")
    lines = [ln for ln in ran.stderr.splitlines() if "fitted threshold" in ln]
    assert len(lines) == 1, ran.stderr
    assert lines[0].startswith(f"warning: model {model}: none of its harmful labels")
    ran = run("verify", str(DEFAULT_MODEL_DIR))
    assert "fitted threshold" not in ran.stderr, ran.stderr


def test_train_warns_apart_on_uncalibrated_labels_and_fallback_thresholds() -> None:
    config = _config()
    config["calibration"]["news_reporting"] = {"a": 1.0, "b": 0.0}
    said = calibration_warnings(_fell_back(config))
    assert len(said) == 2, said
    assert said[0].startswith("not calibrated: news_reporting (fewer than 8 validation")
    assert "violent_threat" not in said[0]
    assert said[1].startswith(
        "None of the model's harmful labels has a fitted threshold: the thresholds of "
        "violent_threat (0 validation positives, 4 negatives)"
    )
    assert "`annotate prelabel` and `annotate verify` warn on this model each time" in said[1]
    assert "news_reporting" not in said[1]
    # one label fell back: said as such, without the alarm
    config = _config()
    (said,) = calibration_warnings(_fell_back(config, ("incitement",)))
    assert said.startswith(
        "The threshold of incitement (0 validation positives, 4 negatives) is the fallback 0.5"
    )
    assert "its labels for it are unreliable" in said


def test_context_labels_are_not_listed_among_the_harmful_ones() -> None:
    """ "None of the model's harmful labels has a fitted threshold: the thresholds of
    violent_threat, ..., news_reporting, counter_speech are ..." listed context labels as
    harmful ones (passF52 F8): they follow apart, named as context labels."""
    config = _fell_back(_config(), (*HARMFUL, "news_reporting", "counter_speech"))
    said = fallback_thresholds_said(config)
    assert said.startswith(
        "none of its harmful labels has a fitted threshold: the thresholds of violent_threat "
        "(0 validation positives, 4 negatives), incitement (0 validation positives, 4 "
        "negatives), graphic_violence (0 validation positives, 4 negatives), "
        "extremist_propaganda (0 validation positives, 4 negatives) (and those of the "
        "context labels news_reporting (0 validation positives, 4 negatives), counter_speech "
        "(0 validation positives, 4 negatives)) are the fallback 0.5 on uncalibrated scores"
    ), said
    one = fallback_thresholds_said(_fell_back(_config(), (*HARMFUL, "none")))
    assert "extremist_propaganda (0 validation positives, 4 negatives) (and those of the " in one
    assert "other label none (0 validation positives, 4 negatives)) are the fallback" in one
