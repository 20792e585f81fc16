"""Linear erasure of the data source from the frozen embeddings (``frozen.erase_source``).

LEACE (Belrose et al. 2023), fitted with EleutherAI's ``concept-erasure`` on the training
rows only: an affine map ``x -> x - (x - bias) @ A`` (``A`` of rank < the number of
sources) after which no linear function of the features predicts the source better than
a constant. The label heads are fitted on the erased features and the map is folded into
their linear layer (coef' = coef (I - A)^T, intercept' = intercept + coef A^T bias), so
the stored model reads raw embeddings as before.

The concept ``Z``: one column per group (each public source, all project-written rows
as one group ``project``). ``plain``: the one-hot itself (also erases what a source
says about the labels: CrisisLex is all news). ``residual``: the one-hot minus its
least-squares fit on the rows' positive labels (and a constant), i.e. only the source
variation the labels do not explain.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from annotate.classifier.frozen_linear import LinearHead

PROJECT_GROUP = "project"


@dataclass(frozen=True)
class SourceEraser:
    """``x -> x - (x - bias) @ a`` (a: (dim, dim), rank ``rank``)."""

    a: np.ndarray
    bias: np.ndarray
    rank: int

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return x - (x - self.bias) @ self.a


def source_groups(rows: pd.DataFrame) -> np.ndarray:
    """Per row its group: the source of a public row, ``project`` for any other row."""
    public = rows["public"].astype(bool).to_numpy()
    return np.where(public, rows["source"].astype(str).to_numpy(), PROJECT_GROUP)


def concept_matrix(groups: np.ndarray, y: np.ndarray, mode: str) -> np.ndarray:
    """(n, n_groups) float64 concept to erase. ``y`` (n, n_labels): 1 / 0 / -1 (not
    supervised); ``residual`` regresses the one-hot on ``[1, y == 1]``."""
    names = sorted(set(groups.tolist()))
    z = (groups[:, None] == np.array(names)[None, :]).astype(np.float64)
    if mode == "plain":
        return z
    if mode != "residual":
        raise ValueError(f"unknown erase_source mode {mode!r}")
    design = np.hstack([np.ones((len(y), 1)), (y == 1).astype(np.float64)])
    beta, *_ = np.linalg.lstsq(design, z, rcond=None)
    return z - design @ beta


def fit_source_eraser(x: np.ndarray, z: np.ndarray) -> SourceEraser:
    """LEACE eraser of ``z`` from ``x`` (both (n, .)), fitted in float64."""
    import torch
    from concept_erasure import LeaceFitter

    xt = torch.from_numpy(np.asarray(x, np.float64))
    zt = torch.from_numpy(np.asarray(z, np.float64))
    eraser = LeaceFitter.fit(xt, zt).eraser
    # x' = x - (x - bias) @ proj_right^T @ proj_left^T
    a = (eraser.proj_right.T @ eraser.proj_left.T).numpy()
    bias = eraser.bias.numpy() if eraser.bias is not None else np.zeros(x.shape[1])
    rank = int(np.linalg.matrix_rank(a, tol=1e-8))
    return SourceEraser(a, bias, rank)


def fold_eraser(head: LinearHead, eraser: SourceEraser) -> LinearHead:
    """The head that gives on raw ``x`` the logits ``head`` gives on ``eraser(x)``
    (``head`` must not standardise: mean 0, std 1)."""
    if np.any(head.mean != 0) or np.any(head.std != 1):
        raise ValueError("only an unstandardised head can absorb the eraser")
    coef = head.coef.astype(np.float64)
    ca = coef @ eraser.a.T
    return LinearHead(
        head.mean,
        head.std,
        (coef - ca).astype(np.float32),
        (head.intercept + ca @ eraser.bias).astype(np.float32),
    )


def erase_for_training(
    x: np.ndarray, rows: pd.DataFrame, y: np.ndarray, mode: str
) -> tuple[np.ndarray, SourceEraser]:
    """(erased ``x``, eraser) fitted on these (training) rows."""
    eraser = fit_source_eraser(x, concept_matrix(source_groups(rows), y, mode))
    return eraser(np.asarray(x, np.float64)).astype(np.float32), eraser
