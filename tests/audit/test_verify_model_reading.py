"""A model records how `annotate train` read its examples (``training.reading``, the
classifier's TRAINING_READING_VERSION); `annotate verify MODEL` and `annotate prelabel` warn when
this annotate reads a passage otherwise (a model trained on raw subtitle cues or
transcripts, before train read them as prelabel does, or on an older reading), as they
warn about fallback thresholds: not a mismatch of the model's files, a fact about them."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

import annotate.classifier.turn_text as turn_text
from annotate.classifier.turn_text import TRAINING_READING_VERSION
from annotate.evaluation.model_card import reading_warning
from annotate.prelabeling import reading_warning_of
from tests.audit.cli_run import run_cli
from tests.conftest import ROOT

DEFAULT = ROOT / "models" / "default"


def test_no_warning_for_a_model_trained_on_this_reading() -> None:
    assert reading_warning({"seed": 13, "reading": TRAINING_READING_VERSION}, "m@1") == ""
    # no training record at all (a hub model): nothing is claimed
    assert reading_warning({}, "hub/model") == ""
    assert reading_warning(None, "hub/model") == ""


def test_a_model_trained_on_another_reading_is_warned_about() -> None:
    said = reading_warning({"seed": 13, "reading": TRAINING_READING_VERSION - 1}, "m@1")
    assert (
        f"model m@1 was trained on passages read as reading {TRAINING_READING_VERSION - 1}" in said
    )
    assert f"this annotate scores passages reading {TRAINING_READING_VERSION} (" in said
    assert "Train it again" in said
    old = reading_warning({"seed": 13}, "m@0")
    assert "trained on its passages' text as written" in old


def test_prelabel_says_it_of_a_loaded_classifier() -> None:
    clf = SimpleNamespace(version="m@1", config={"training": {"seed": 1}})
    assert "m@1 was trained on its passages' text as written" in reading_warning_of(clf)
    clf.config = {"training": {"seed": 1, "reading": TRAINING_READING_VERSION}}
    assert reading_warning_of(clf) == ""


@pytest.mark.skipif(
    not (DEFAULT / "annotate_model.json").is_file(), reason="models/default is not built"
)
def test_verify_warns_when_the_code_reads_otherwise_than_the_model_was_trained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run_cli(["verify", str(DEFAULT), "-q"], capsys)
    assert code == 0, err
    assert "warning: model" not in err  # the shipped model: trained on this reading
    monkeypatch.setattr(turn_text, "TRAINING_READING_VERSION", TRAINING_READING_VERSION + 1)
    code, err = run_cli(["verify", str(DEFAULT), "-q"], capsys)
    assert code == 0, err  # a warning, not a mismatch
    assert f"was trained on passages read as reading {TRAINING_READING_VERSION}" in err, err
    assert f"this annotate scores passages reading {TRAINING_READING_VERSION + 1}" in err, err


def test_evaluate_warns_of_a_model_trained_on_another_reading(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """`annotate evaluate` (and `--model` twice) says it once per model too: its figures
    are those of a model given text it did not learn from."""
    import json
    import logging

    from annotate.evaluation.evaluate import evaluate
    from annotate.training.sources import DataSource
    from tests.conftest import project_taxonomy
    from tests.fakes import KeywordClassifier

    tax = project_taxonomy()
    data = tmp_path / "gold.jsonl"
    rows = [("We are coming for you on Friday.", "violent_threat"), ("Rain today.", "none")]
    data.write_text("".join(json.dumps({"text": t, "labels": [lab]}) + "\n" for t, lab in rows))
    clf = KeywordClassifier(tax.category_names)
    for training, warned in (
        ({"seed": 7}, True),
        ({"seed": 7, "reading": TRAINING_READING_VERSION}, False),
    ):
        clf.config = {"training": training}
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            evaluate(clf, tax, [DataSource(str(data))], tmp_path / f"o{warned}")
        assert ("was trained on its passages' text as written" in caplog.text) is warned
