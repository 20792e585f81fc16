"""Nested leave-one-source-out choice of the frozen model's members (``frozen.select:
nested-loso``).

The frozen head's logit for a label is the mean logit of a few L2 logistic regressions
(*members*: a C and whether every data source weighs the same). Which members, per
label, is chosen here on the training rows alone: each labeled public source among them
is held out in turn (an *inner fold*), every candidate of ``frozen.candidates`` is fitted
on the other rows, and every average of at most ``frozen.max_members`` candidates (logits
of linear models average without refitting) is scored by AUPRC on the held-out source,
for each label that source has positives and negatives of. A combination's score is the
mean over inner cells of its AUPRC relative to the reference candidate's (the first
candidate: the baseline's recipe, C 1), so a cell near chance weighs as much as one near
1. Per label the best combination over that label's inner cells wins; a label that no
inner fold can score (only one public source has it, and it is held out by the outer
fold, or none has it) gets the combination that is best over all inner cells (``global``).

Run inside each fold of the cross-source table (on that fold's training rows only), this
makes the table measure the selection rule itself, not a choice made on the table; the
shipped model applies the same rule to all its training rows.

Cost: per inner fold, one fit per candidate of the labels that fold scores only
(``len(candidates) * labels`` logistic regressions of ~1-3 s each on ~25,000 rows).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from annotate.classifier.frozen_linear import LinearHead

log = logging.getLogger(__name__)

Combo = tuple[int, ...]


@dataclass
class InnerCell:
    """One inner fold x label: the held-out source, the label's column, its AUPRC per
    combination (same order as :func:`combinations`)."""

    source: str
    label: int
    positives: int
    auprc: np.ndarray


@dataclass
class Selection:
    """Per label (column), the chosen combination of candidate indices; ``scope[j]``:
    ``label`` (chosen on that label's inner cells), ``global`` (on all inner cells) or
    ``fixed`` (no inner cell at all: the config's members)."""

    combos: list[Combo]
    scope: list[str]
    cells: list[InnerCell] = field(default_factory=list)


def combinations(n_candidates: int, max_members: int) -> list[Combo]:
    """Every set of 1..max_members candidate indices, smaller sets first."""
    out: list[Combo] = []
    for k in range(1, min(max_members, n_candidates) + 1):
        out += list(itertools.combinations(range(n_candidates), k))
    return out


def combo_logits(logits: Sequence[np.ndarray], combo: Combo) -> np.ndarray:
    """Mean of the candidates' logits (each (n,) or (n, k))."""
    return np.mean([logits[i] for i in combo], axis=0)


def _auprc(scores: np.ndarray, y: np.ndarray) -> float:
    from sklearn.metrics import average_precision_score

    return float(average_precision_score(y, scores))


def inner_cells(
    x: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    sources: np.ndarray,
    held_out: Sequence[str],
    fit_candidate: Callable[..., LinearHead],
    n_candidates: int,
    combos: Sequence[Combo],
) -> list[InnerCell]:
    """Hold each of ``held_out`` out of the rows (x (n, d), y (n, labels) in 1/0/-1,
    w (n,), sources (n,)), fit every candidate on the rest for the labels the held-out
    source has both classes of (``fit_candidate(k, x, y_masked, w, sources) ->
    LinearHead``; unscored columns are masked to -1), and score every combination."""
    cells: list[InnerCell] = []
    for src in held_out:
        out = sources == src
        ys = y[out]
        cols = [j for j in range(y.shape[1]) if (ys[:, j] == 1).any() and (ys[:, j] == 0).any()]
        if not cols:
            continue
        ym = np.full_like(y[~out], -1)
        ym[:, cols] = y[~out][:, cols]
        xs = x[out]
        logits = [
            fit_candidate(k, x[~out], ym, w[~out], sources[~out]).logits(xs)
            for k in range(n_candidates)
        ]
        for j in cols:
            m = ys[:, j] >= 0
            yy = ys[m, j]
            cand = [lg[m, j] for lg in logits]
            scores = np.array([_auprc(combo_logits(cand, c), yy) for c in combos])
            cells.append(InnerCell(str(src), j, int(yy.sum()), scores))
            log.info(
                "inner fold %s, label %d: AUPRC %.4f (reference) .. %.4f (best)",
                src,
                j,
                scores[0],
                scores.max(),
            )
    return cells


def relative(cell: InnerCell, ref: int) -> np.ndarray:
    """AUPRC of each combination relative to the reference combination's (ratio)."""
    base = cell.auprc[ref]
    return cell.auprc / base if base > 0 else cell.auprc - base + 1.0


def choose(
    cells: Sequence[InnerCell],
    n_labels: int,
    combos: Sequence[Combo],
    fallback: Combo,
    ref: int = 0,
    per_label: bool = True,
    global_fallback: bool = True,
) -> Selection:
    """The combination with the highest mean relative AUPRC, per label over its inner
    cells (``per_label``), else (or where a label has none) over all inner cells
    (``global_fallback``, else ``fallback``); where there are no inner cells at all,
    ``fallback``. Ties go to the earlier (smaller) combination."""
    rel = {id(c): relative(c, ref) for c in cells}
    glob: Combo | None = None
    if cells and (global_fallback or not per_label):
        glob = combos[int(np.argmax(np.mean([rel[id(c)] for c in cells], axis=0)))]
    chosen, scope = [], []
    for j in range(n_labels):
        mine = [rel[id(c)] for c in cells if c.label == j]
        if per_label and mine:
            chosen.append(combos[int(np.argmax(np.mean(mine, axis=0)))])
            scope.append("label")
        elif glob is not None:
            chosen.append(glob)
            scope.append("global")
        else:
            chosen.append(fallback)
            scope.append("fixed")
    return Selection(chosen, scope, list(cells))


def combine_heads(heads: Mapping[int, LinearHead], combos: Sequence[Combo]) -> LinearHead:
    """One head whose logit for column j is the mean of ``heads[i]`` for i in combos[j]
    (candidate index -> fitted head; the heads share their standardisation)."""
    first = next(iter(heads.values()))
    coef = np.stack([np.mean([heads[i].coef[j] for i in c], 0) for j, c in enumerate(combos)])
    icpt = np.array([np.mean([heads[i].intercept[j] for i in c]) for j, c in enumerate(combos)])
    return LinearHead(first.mean, first.std, coef.astype(np.float32), icpt.astype(np.float32))


__all__ = [
    "InnerCell",
    "Selection",
    "choose",
    "combinations",
    "combine_heads",
    "combo_logits",
    "inner_cells",
]
