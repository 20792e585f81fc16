"""The head fits run on one BLAS thread: lbfgs's sums then run in one order whatever the
machine's thread settings, so the same embeddings give the same weights. Two cold builds
of the default model with identical cached embeddings gave two versions before (BLAS on
two threads in one, one in the other: coefficients up to 0.009 apart; measured on the
real rows, 2 Dec 2026: with the limit, a two-thread build from the other's cache gave the
same bytes and version). Random rows converge alike on one or two threads, so the test
checks the limit itself."""

from __future__ import annotations

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

from annotate.training.frozen import fit_linear


def _blas_threads() -> list[int]:
    return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]


def _fit_threads(monkeypatch, fit_call) -> list[list[int]]:
    """The BLAS thread counts each LogisticRegression.fit sees while ``fit_call(x, y)``
    runs on 200 random rows of 16 features and 2 labels under a 2-thread BLAS limit."""
    from sklearn.linear_model import LogisticRegression

    seen: list[list[int]] = []
    fit = LogisticRegression.fit

    def spy(self, *args, **kwargs):
        seen.append(_blas_threads())
        return fit(self, *args, **kwargs)

    monkeypatch.setattr(LogisticRegression, "fit", spy)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 16)).astype(np.float32)
    y = (x[:, :2] > 0).astype(np.int8)
    with threadpool_limits(limits=2, user_api="blas"):
        fit_call(x, y)
    return seen


def test_logistic_regressions_fit_on_one_blas_thread(monkeypatch) -> None:
    seen = _fit_threads(monkeypatch, lambda x, y: fit_linear(x, y, np.ones(len(x)), 1.0, 13))
    assert len(seen) == 2
    assert all(t == 1 for threads in seen for t in threads), seen


def test_the_fine_tuners_linear_probe_fits_on_one_blas_thread(monkeypatch) -> None:
    """The fine-tuner starts its heads from logistic regressions on frozen features
    (``finetune.linear_probe``): the same one-thread rule, or the head it starts from, and
    so the fine-tuned model, depends on the machine's BLAS threads."""
    import torch

    from annotate.training.finetune import _logreg_into

    layer = torch.nn.Linear(16, 2)
    seen = _fit_threads(
        monkeypatch,
        lambda x, y: _logreg_into(layer, x, y, np.ones_like(y), np.ones(len(x)), 1.0, 13),
    )
    assert len(seen) == 2
    assert all(t == 1 for threads in seen for t in threads), seen
