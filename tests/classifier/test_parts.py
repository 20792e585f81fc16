"""Unit tests of the classifier's parts: features, spans candidates, calibration,
thresholds, the label rule, and the loader's error paths (no real model needed)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotate.classifier import load_classifier
from annotate.classifier.features import (
    QUOTE_RE,
    STYLE_NAMES,
    DocPassage,
    build_features,
    candidate_segments,
    feature_dim,
    quote_ranges,
    solo_features,
    style_vector,
)
from annotate.classifier.head import (
    MLPHead,
    Platt,
    apply_labels,
    blend_logits,
    choose_threshold,
    fit_platt,
    sigmoid,
)
from annotate.errors import ModelError


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ('He urged followers to "burn their cities", monitors said.', ["burn their cities"]),
        ("The leaflet read: “Go home while you can.” Police said.", ["Go home while you can."]),
        ("«Kill them all», the post said.", ["Kill them all"]),
        ("No quotes here, it's the players' union and they don't mind.", []),
        # straight single quotes (British style), apostrophes inside
        ("Prosecutors said he wrote 'you'll be next' in the chat.", ["you'll be next"]),
        ("It's just 'fine', she said.", ["fine"]),
        ('Unclosed "quote here.', []),
    ],
)
def test_quote_ranges(text, quoted):
    assert [text[a:b] for a, b in quote_ranges(text)] == quoted


def _quote_ranges_by_regex(text: str) -> list[tuple[int, int]]:
    """The reference: QUOTE_RE's matches, their insides stripped, 2+ characters."""
    out = []
    for m in QUOTE_RE.finditer(text):
        g = next(i for i in range(1, 6) if m.group(i) is not None)
        a, b = m.span(g)
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b - a >= 2:
            out.append((a, b))
    return out


@given(st.text(alphabet=st.sampled_from(list("ab _1\t\n'\"“”«»‘’.")), max_size=60))
@settings(max_examples=3000, deadline=None)
def test_quote_ranges_match_the_quote_regex(text):
    assert quote_ranges(text) == _quote_ranges_by_regex(text)


@pytest.mark.parametrize("unit", ["'a b ", "‘a ", "“ab ", "«ab ", '"ab '])
def test_quote_ranges_read_marks_that_never_close(unit):
    """The regex took ~18 s on 100 KB of the first (time: benchmarks/README.md, not
    asserted here); the ranges are the regex's."""
    text = unit * (2_000 // len(unit))
    assert quote_ranges(text) == _quote_ranges_by_regex(text)
    quote_ranges(unit * (100_000 // len(unit)))


@given(st.text(alphabet=st.sampled_from(list('ab .!?"“”\n')), max_size=80))
@settings(max_examples=200, deadline=None)
def test_candidate_segments_are_valid_ranges(text):
    for a, b, quoted in candidate_segments(text):
        assert 0 <= a < b <= len(text)
        seg = text[a:b]
        assert seg == seg.strip() and seg
        assert isinstance(quoted, bool)


def test_style_vector_cues():
    news = style_vector(
        'Police said the man wrote "we will come for you", according to court papers.'
    )
    own = style_vector("We will come for you. Are you ready? You will pay!")
    names = STYLE_NAMES
    assert news[names.index("has_attribution")] == 1 and own[names.index("has_attribution")] == 0
    assert news[names.index("has_quote")] == 1
    assert own[names.index("second_person_rate")] > 0 and own[names.index("question")] == 1


def test_build_features_uses_document_context():
    dim = 4
    emb = np.eye(4, dtype=np.float32)[[0, 1, 2, 3]]
    passages = [
        DocPassage("a", "d1", 0, "T"),
        DocPassage("b", "d1", 1, "T"),
        DocPassage("c", "d1", 2, "T"),
        DocPassage("d", "d2", 0, None),
    ]
    title = {"T": np.array([0, 0, 0, 1], np.float32)}
    x = build_features(passages, emb, title)
    assert x.shape == (4, feature_dim(dim))
    # neighbours of the middle passage: mean of passages 0 and 2
    np.testing.assert_allclose(x[1, dim : 2 * dim], [0.5, 0, 0.5, 0])
    # first passage has only one neighbour; a single-passage doc has none
    np.testing.assert_allclose(x[0, dim : 2 * dim], emb[1])
    np.testing.assert_allclose(x[3, dim : 2 * dim], 0)
    # title block, and the document mean (normalised)
    np.testing.assert_allclose(x[0, 2 * dim : 3 * dim], title["T"])
    np.testing.assert_allclose(x[3, 2 * dim : 3 * dim], 0)
    np.testing.assert_allclose(x[3, 3 * dim : 4 * dim], emb[3])
    # same features whatever the input order of the passages
    perm = [2, 3, 0, 1]
    x2 = build_features([passages[i] for i in perm], emb[perm], title)
    np.testing.assert_allclose(x2, x[perm])


def test_platt_fit_recovers_scaling():
    rng = np.random.default_rng(0)
    logits = rng.normal(0, 3, 4000)
    y = (rng.random(4000) < sigmoid(0.5 * logits - 1.0)).astype(float)
    cal = fit_platt(logits, y)
    assert cal.a == pytest.approx(0.5, abs=0.1) and cal.b == pytest.approx(-1.0, abs=0.15)
    assert fit_platt(logits[:5], np.zeros(5)) == Platt()  # too few positives: identity


def test_choose_threshold_reaches_recall_target():
    rng = np.random.default_rng(1)
    y = rng.random(2000) < 0.2
    p = np.clip(0.3 * y + rng.random(2000) * 0.7, 0, 1)
    t, rule = choose_threshold(p, y, min_recall=0.9, min_precision=0.0)
    rec = ((p >= t) & y).sum() / y.sum()
    assert rec >= 0.9 and rule.startswith("recall")
    t2, rule2 = choose_threshold(p, y, min_recall=None)
    assert rule2 == "max F1" and 0 < t2 < 1
    assert choose_threshold(p, np.zeros(2000), min_recall=0.9)[0] == 0.5


def test_choose_threshold_f_beta_fallback_favours_recall():
    rng = np.random.default_rng(2)
    y = rng.random(4000) < 0.1
    p = np.clip(0.25 * y + rng.random(4000) * 0.75, 0, 1)
    t1, r1 = choose_threshold(p, y, min_recall=0.99, min_precision=0.9)
    t2, r2 = choose_threshold(p, y, min_recall=0.99, min_precision=0.9, beta=2.0)
    assert r1.startswith("max F1 (recall>=0.99 unreachable)") and r2.startswith("max F2")
    rec = [((p >= t) & y).sum() / y.sum() for t in (t1, t2)]
    assert t2 < t1 and rec[1] > rec[0]
    # the F1*/2 shortcut is an F1 result; it is not applied to another beta
    assert choose_threshold(p, y, min_recall=None, beta=2.0, half_max_f1=True)[0] == t2


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ([0.9, 0.1, 0.1, 0.8], ["a"]),  # none's own score is ignored: another label fired
        ([0.1, 0.7, 0.1, 0.2], ["b"]),
        ([0.6, 0.7, 0.1, 0.2], ["a", "b"]),
        ([0.1, 0.1, 0.1, 0.1], ["none"]),  # nothing fires -> none, whatever its score
        ([0.4, 0.1, 0.29, 0.9], ["none"]),  # exactly at the threshold counts
        ([0.4, 0.1, 0.3, 0.9], ["c"]),
    ],
)
def test_apply_labels(row, expected):
    th = {"a": 0.5, "b": 0.5, "c": 0.3}
    assert apply_labels(np.array([row]), ["a", "b", "c", "none"], th, "none") == [expected]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        # threat fires, no context label fires: the threat stays
        ([0.6, 0.1, 0.2, 0.1, 0.3], ["threat"]),
        # news fires and is more probable: the own-voice threat yields, gore does not
        ([0.4, 0.6, 0.9, 0.1, 0.1], ["gore", "news"]),
        # news fires but is less probable than the threat: both stay for the reviewer
        ([0.9, 0.1, 0.6, 0.1, 0.1], ["threat", "news"]),
        # a more probable context label that does not fire does not silence the threat
        ([0.3, 0.1, 0.4, 0.1, 0.1], ["threat"]),
    ],
)
def test_own_voice_labels_yield_to_a_more_probable_context_label(row, expected):
    labels = ["threat", "gore", "news", "counter", "none"]
    th = {"threat": 0.25, "gore": 0.5, "news": 0.5, "counter": 0.5}
    got = apply_labels(np.array([row]), labels, th, "none", (), ["threat"], ["news", "counter"])
    assert got == [expected]


def test_missing_model_dir_is_one_line_error(tmp_path, taxonomy):
    with pytest.raises(ModelError, match="does not exist") as err:
        load_classifier(tmp_path / "nope", taxonomy)
    assert "\n" not in str(err.value) and "hf download" not in str(err.value)
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelError, match=r"neither annotate_model\.json nor config\.json"):
        load_classifier(tmp_path / "empty", taxonomy)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "annotate_model.json").write_text(json.dumps({"kind": "annotate.unknown.v9"}))
    with pytest.raises(ModelError, match="unknown model kind"):
        load_classifier(bad, taxonomy)


def test_hub_id_fails_fast_offline(taxonomy, monkeypatch):

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    t0 = time.time()
    with pytest.raises(ModelError) as err:
        load_classifier("someone/some-model-that-is-not-cached", taxonomy)
    assert time.time() - t0 < 10
    msg = str(err.value)
    assert "offline" in msg and "Fix:" in msg and "\n" not in msg


def test_solo_features_are_the_features_of_a_passage_standing_alone():
    rng = np.random.default_rng(0)
    dim = 8
    emb = rng.normal(size=(3, dim)).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    texts = ['He said "kill them" today.', "I will come for you!", "Nice weather?"]
    docs = [DocPassage(t, "thread", i, "Title") for i, t in enumerate(texts)]
    x = build_features(docs, emb, {"Title": np.ones(dim, np.float32)})
    alone = [DocPassage(t, f"doc{i}", 0, None) for i, t in enumerate(texts)]
    np.testing.assert_allclose(solo_features(x, dim), build_features(alone, emb, {}), atol=1e-6)
    assert not np.allclose(solo_features(x, dim), x)  # the context really is gone


def test_blend_logits_mixes_only_the_named_columns():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    dim, n_in = 8, feature_dim(8)
    head, solo = MLPHead(n_in, 3, hidden=4).eval(), MLPHead(n_in, 3, hidden=4).eval()
    x = np.random.default_rng(1).normal(size=(5, n_in)).astype(np.float32)
    ctx, alone = head.logits(x), solo.logits(solo_features(x, dim))
    np.testing.assert_allclose(blend_logits(head, None, x, dim, [0], 0.7), ctx)
    np.testing.assert_allclose(blend_logits(head, solo, x, dim, [0, 2], 0.0), ctx)
    got = blend_logits(head, solo, x, dim, [0, 2], 0.7)
    np.testing.assert_allclose(got[:, 1], ctx[:, 1])
    np.testing.assert_allclose(
        got[:, [0, 2]], 0.3 * ctx[:, [0, 2]] + 0.7 * alone[:, [0, 2]], rtol=1e-5
    )


def test_offline_hub_error_names_a_download_command_that_is_installed(taxonomy, monkeypatch):
    import shutil
    import sys

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelError) as err:
        load_classifier("someone/not-cached-model", taxonomy)
    command = str(err.value).split("`")[1]  # the first command in backticks
    assert "download someone/not-cached-model" in command
    bindir = Path(sys.executable).parent  # the venv's scripts, where `hf` is installed
    assert shutil.which(command.split()[0], path=str(bindir)), command
