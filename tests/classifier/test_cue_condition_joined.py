"""The default model (fp32) on subtitle sentences stop 54 reads whole (annotate.classifier.
cue_sentences): a threat over three cues closed by another speaker's line, linked through
its condition ("I swear to God, Danny," / "if you go to the cops" / "I will cut your
throat" / "- Danny!": read cue by cue before, its first cue none and its condition
incitement alone), and a threat over seven cues (read cue by cue before: more than four).
The cues are written for this test."""

from __future__ import annotations

import pytest

from annotate.classifier import load_classifier, turn_text
from annotate.classifier.base import Prediction
from tests.classifier.test_cue_ellipsis import _cues
from tests.conftest import ROOT

FILES = {
    "condition.srt": [
        "Hi.",
        "I swear to God, Danny,",
        "if you go to the cops",
        "I will cut your throat",
        "- Danny!",
    ],
    "long.srt": [
        "Hi.",
        "Listen to me, Danny,",
        "when this is over",
        "and the money is gone",
        "and your friends",
        "have all left town,",
        "I will find you",
        "and cut your throat.",
        "Bye.",
    ],
}


@pytest.fixture(scope="module")
def predictions() -> dict[str, list[Prediction]]:
    if not (ROOT / "models" / "default" / "annotate_model.json").exists():
        pytest.skip("models/default is not built (run `make model`)")
    from annotate.taxonomy import load_taxonomy

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ANNOTATE_PRECISION", "fp32")
        clf = load_classifier(None, load_taxonomy(ROOT / "labels.yaml"))
        return {doc: turn_text.predict_turns(clf, _cues(cues, doc)) for doc, cues in FILES.items()}


@pytest.mark.parametrize(("doc", "first", "last"), [("condition.srt", 1, 4), ("long.srt", 1, 8)])
def test_each_cue_of_the_threat_is_a_violent_threat(predictions, doc, first, last) -> None:
    labels = [p.labels for p in predictions[doc]]
    scores = [round(p.scores["violent_threat"], 3) for p in predictions[doc]]
    assert all("violent_threat" in got for got in labels[first:last]), (labels, scores)
    # the cues around it are not
    assert "violent_threat" not in labels[0] and "violent_threat" not in labels[-1], labels
