"""Scores do not depend on the thread count: the real default model (the packaged
MiniLM encoder and its heads) gives the same scores with 1 and 2 torch threads, within
:data:`THREADS_SCORE_TOLERANCE` (measured: identical, benchmarks/README.md "Threads on a
busy machine")."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from annotate.classifier import load_classifier
from tests.classifier.test_precision_tolerance import project_passages

# the largest |score(1 thread) - score(2 threads)| allowed: prelabel writes scores
# rounded to 6 decimals, so a difference below this never shows in its output
THREADS_SCORE_TOLERANCE = 1e-6


@pytest.mark.parametrize("precision", ["fp32", "auto"])
def test_default_model_scores_do_not_depend_on_the_thread_count(
    taxonomy, monkeypatch, precision: str
) -> None:
    monkeypatch.delenv("ANNOTATE_PRECISION", raising=False)
    passages = project_passages(24)
    before = torch.get_num_threads()
    clf = load_classifier(None, taxonomy, precision=precision)
    try:
        scores = {}
        for n in (1, 2):
            torch.set_num_threads(n)
            assert torch.get_num_threads() == n
            preds = clf.predict(passages)
            scores[n] = np.array([[p.scores[c] for c in taxonomy.category_names] for p in preds])
    finally:
        torch.set_num_threads(before)
    assert scores[1].shape == (len(passages), len(taxonomy.category_names))
    assert np.abs(scores[1] - scores[2]).max() <= THREADS_SCORE_TOLERANCE
