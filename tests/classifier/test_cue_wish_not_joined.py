"""The default model (fp32) on break10 B5's and B7's cues (annotate.classifier.
cue_sentences, reading 13): a wish ("If only...") or a title ("What If...") before a
threat was joined to it, and the innocent cue took the threat's violent_threat; read
alone now. A real condition ("Even if they pay" / "you'll slit his throat") is joined,
each cue violent_threat. Vocative cues before a threat ("Boys," / "Nana," / ... / "I
will slit your throat.") each took it; they keep their own reading now. The cues are
written for this test."""

from __future__ import annotations

import pytest

from annotate.classifier import load_classifier, turn_text
from annotate.classifier.base import Prediction
from tests.classifier.test_cue_ellipsis import _cues
from tests.conftest import ROOT

FILES = {
    "wish.srt": ["Morning.", "If only the rain would stop", "I'll slit your throat", "- Mum!"],
    "title.srt": ["Morning.", "What If...", "I will slit your throat", "- Mum!"],
    "even.srt": ["Morning.", "Even if they pay", "you'll slit his throat", "- Mum!"],
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


@pytest.mark.parametrize("doc", ["wish.srt", "title.srt"])
def test_the_wish_or_title_does_not_take_the_threat(predictions, doc) -> None:
    labels = [p.labels for p in predictions[doc]]
    scores = [round(p.scores["violent_threat"], 3) for p in predictions[doc]]
    assert "violent_threat" not in labels[1], (labels, scores)
    assert "violent_threat" in labels[2], (labels, scores)


def test_even_if_joins_its_consequence(predictions) -> None:
    labels = [p.labels for p in predictions["even.srt"]]
    scores = [round(p.scores["violent_threat"], 3) for p in predictions["even.srt"]]
    assert all("violent_threat" in got for got in labels[1:3]), (labels, scores)
    assert "violent_threat" not in labels[0] and "violent_threat" not in labels[-1], labels


VOCATIVES = {
    "voc.srt": ["Hello.", "Boys,", "Nana,", "Uncle Rob,", "Cousin Bea,", "Pals,",
                "I will slit your throat.", "- Ha!"],
    "voc_and.srt": ["Hello.", "Boys,", "and nana,", "I will slit your throat.", "- Ha!"],
}  # fmt: skip


@pytest.fixture(scope="module")
def vocatives() -> dict[str, list[Prediction]]:
    if not (ROOT / "models" / "default" / "annotate_model.json").exists():
        pytest.skip("models/default is not built (run `make model`)")
    from annotate.taxonomy import load_taxonomy

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ANNOTATE_PRECISION", "fp32")
        clf = load_classifier(None, load_taxonomy(ROOT / "labels.yaml"))
        return {d: turn_text.predict_turns(clf, _cues(c, d)) for d, c in VOCATIVES.items()}


@pytest.mark.parametrize("doc", sorted(VOCATIVES))
def test_vocative_cues_do_not_take_the_threat(vocatives, doc) -> None:
    """break10 B7: each vocative cue took violent_threat (0.248, a threat span over it)."""
    labels = [p.labels for p in vocatives[doc]]
    scores = [round(p.scores["violent_threat"], 3) for p in vocatives[doc]]
    assert "violent_threat" in labels[-2], (labels, scores)
    assert all("violent_threat" not in got for got in labels[1:-2]), (labels, scores)


CAPS = {
    "mixed2.vtt": ["We will find them,", "and burn them alive.", "Your daughters,",
                   "will be raped and killed."],
    "caps2.vtt": ["WE WILL FIND THEM,", "AND BURN THEM ALIVE.", "YOUR DAUGHTERS,",
                  "WILL BE RAPED AND KILLED."],
}  # fmt: skip


@pytest.fixture(scope="module")
def caps() -> dict[str, list[Prediction]]:
    if not (ROOT / "models" / "default" / "annotate_model.json").exists():
        pytest.skip("models/default is not built (run `make model`)")
    from annotate.taxonomy import load_taxonomy

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ANNOTATE_PRECISION", "fp32")
        clf = load_classifier(None, load_taxonomy(ROOT / "labels.yaml"))
        return {d: turn_text.predict_turns(clf, _cues(c, d)) for d, c in CAPS.items()}


def test_an_all_caps_caption_scores_as_its_mixed_case_copy(caps) -> None:
    """break12 M5: "YOUR DAUGHTERS," read as a vocative (its own reading: none, 0.109)
    where "Your daughters," took its sentence's violent_threat (0.703)."""
    mixed = [(p.labels, round(p.scores["violent_threat"], 2)) for p in caps["mixed2.vtt"]]
    upper = [(p.labels, round(p.scores["violent_threat"], 2)) for p in caps["caps2.vtt"]]
    assert "violent_threat" in mixed[2][0], mixed
    assert upper[2] == mixed[2], (upper, mixed)
