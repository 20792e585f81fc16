"""The bf16 path stays within its stated tolerance of fp32 with the real default model on
the project's passages (not timed), and runs at the precision the model was trained with."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from annotate.classifier import PassageInput, load_classifier
from annotate.classifier.device import BF16_SCORE_TOLERANCE, cpu_has_bf16, trained_precision
from annotate.taxonomy import PROJECT_ROOT

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not cpu_has_bf16(), reason="this CPU has no native bf16"),
]


def project_passages(n: int) -> list[PassageInput]:
    texts = []
    for p in sorted((PROJECT_ROOT / "data" / "project").glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in p.read_text().splitlines() if line]
    random.Random(0).shuffle(texts)
    return [
        PassageInput(id=f"p{i}", text=t, doc_id=f"d{i // 4}", passage_index=i % 4)
        for i, t in enumerate(texts[:n])
    ]


def test_default_model_bf16_scores_within_tolerance_of_fp32(taxonomy, monkeypatch):
    monkeypatch.delenv("ANNOTATE_PRECISION", raising=False)
    passages = project_passages(96)
    fp32 = load_classifier(None, taxonomy, precision="fp32").predict(passages)
    bf16 = load_classifier(None, taxonomy, precision="bf16").predict(passages)
    a = np.array([[p.scores[n] for n in taxonomy.category_names] for p in fp32])
    b = np.array([[p.scores[n] for n in taxonomy.category_names] for p in bf16])
    assert np.abs(a - b).max() <= BF16_SCORE_TOLERANCE
    assert np.abs(a - b).max() > 0  # really two precision paths


def test_default_model_runs_at_its_trained_precision(taxonomy, monkeypatch):
    monkeypatch.delenv("ANNOTATE_PRECISION", raising=False)
    clf = load_classifier(None, taxonomy)
    cfg = json.loads((clf.path / "annotate_model.json").read_text())
    trained = trained_precision(cfg)
    assert trained is not None, "the default model does not record its precision"
    used = getattr(clf, "precision", None) or clf.encoder.precision
    assert used == trained


def test_encoder_bf16_embeddings_within_tolerance_of_fp32():
    from annotate.classifier.encoder import BF16_TOLERANCE, Encoder

    texts = [p.text for p in project_passages(64)]
    a = Encoder(precision="fp32").encode(texts).embeddings
    b = Encoder(precision="bf16").encode(texts).embeddings
    assert np.sum(a * b, axis=1).min() >= BF16_TOLERANCE


def test_auto_precision_probes_bf16_against_fp32(monkeypatch):
    """No recorded calibration precision: auto runs the fp32/bf16 probe, keeps bf16."""
    from annotate.classifier.encoder import Encoder

    monkeypatch.delenv("ANNOTATE_PRECISION", raising=False)
    enc = Encoder()
    assert enc.precision == "bf16"
    assert enc.encode(["a probe passage"]).embeddings.shape == (1, enc.dim)
