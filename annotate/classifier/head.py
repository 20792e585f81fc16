"""The small trainable parts of the encoder-head model: an MLP over features, per-label
Platt calibration, and per-label thresholds chosen at a stated operating point.

Weights are stored as safetensors (never pickle); calibration and thresholds as JSON.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from annotate.classifier.features import solo_features


def _net(n_in: int, n_out: int, hidden: int, dropout: float) -> nn.Module:
    if hidden > 0:
        return nn.Sequential(
            nn.Dropout(dropout / 2),
            nn.Linear(n_in, hidden),
            nn.GELU(),
            nn.Dropout(dropout),
            nn.Linear(hidden, n_out),
        )
    return nn.Sequential(nn.Dropout(dropout), nn.Linear(n_in, n_out))


class MLPHead(nn.Module):
    """Standardise -> (Linear -> GELU -> Dropout -> Linear) per member; the logits are the
    mean over members (an ensemble of heads trained with different seeds: less variance
    on small data). hidden=0: one Linear per member."""

    def __init__(
        self, n_in: int, n_out: int, hidden: int = 256, dropout: float = 0.2, members: int = 1
    ) -> None:
        super().__init__()
        self.register_buffer("mean", torch.zeros(n_in))
        self.register_buffer("std", torch.ones(n_in))
        self.members = nn.ModuleList(_net(n_in, n_out, hidden, dropout) for _ in range(members))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        z = (x - self.mean) / self.std
        if len(self.members) == 1:
            return self.members[0](z)
        return torch.stack([m(z) for m in self.members]).mean(0)

    def logits(self, x: np.ndarray) -> np.ndarray:
        self.eval()
        with torch.inference_mode():
            return self(torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))).numpy()


def state_with_prefix(head: MLPHead, prefix: str) -> dict[str, torch.Tensor]:
    """The head's tensors; member weights in fp16 (half the file; see round_to_fp16)."""
    out = {}
    for k, v in head.state_dict().items():
        v = v.detach().cpu().contiguous()
        out[f"{prefix}.{k}"] = v.half() if k.startswith("members.") else v
    return out


def round_to_fp16(head: MLPHead) -> MLPHead:
    """Round member weights to fp16 precision in place, so the weights that calibration
    and thresholds are fitted on are exactly the ones stored."""
    with torch.no_grad():
        for p in head.members.parameters():
            p.copy_(p.half().float())
    return head


def n_members(tensors: dict[str, torch.Tensor], prefix: str) -> int:
    """How many ensemble members a stored head has."""
    idx = {
        int(k[len(prefix) + 1 :].split(".")[1])
        for k in tensors
        if k.startswith(prefix + ".members.")
    }
    return max(idx) + 1 if idx else 1


def load_prefixed(head: MLPHead, tensors: dict[str, torch.Tensor], prefix: str) -> None:
    sd = {k[len(prefix) + 1 :]: v for k, v in tensors.items() if k.startswith(prefix + ".")}
    head.load_state_dict(sd)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -40, 40)))


@dataclass
class Platt:
    """p = sigmoid(a * logit + b), fitted per label on validation logits."""

    a: float = 1.0
    b: float = 0.0

    def __call__(self, logits: np.ndarray) -> np.ndarray:
        return sigmoid(self.a * logits + self.b)

    def as_dict(self) -> dict[str, float]:
        return {"a": self.a, "b": self.b}


def calibrate_columns(
    logits: np.ndarray, names: Sequence[str], calibration: Mapping[str, Platt]
) -> np.ndarray:
    """(n, k) logits -> (n, k) probabilities of the logits' dtype: column j through
    ``calibration[names[j]]`` (the identity Platt, a plain sigmoid, when it has none)."""
    out = np.empty_like(logits)
    for j, name in enumerate(names):
        out[:, j] = calibration.get(name, Platt())(logits[:, j])
    return out


def _nll(a: float, b: float, x: np.ndarray, y: np.ndarray, reg: float) -> float:
    z = a * x + b
    return float(np.sum(np.logaddexp(0, z) - y * z) + reg * ((a - 1.0) ** 2 + b**2))


PLATT_MIN_EXAMPLES = 8  # validation examples of each class a label's Platt fit needs


def fit_platt(
    logits: np.ndarray,
    y: np.ndarray,
    min_pos: int = PLATT_MIN_EXAMPLES,
    a_range: tuple[float, float] = (0.1, 5.0),
) -> Platt:
    """Platt scaling: damped Newton steps on the log-loss, with a small ridge towards the
    identity and the slope kept in ``a_range``; identity when there are too few examples
    of either class (a tiny validation set cannot support a fit)."""
    y = y.astype(np.float64)
    if y.sum() < min_pos or (1 - y).sum() < min_pos:
        return Platt()
    x = logits.astype(np.float64)
    reg = 1.0
    a, b = 1.0, 0.0
    cur = _nll(a, b, x, y, reg)
    for _ in range(100):
        p = sigmoid(a * x + b)
        g_a = np.sum((p - y) * x) + 2 * reg * (a - 1.0)
        g_b = np.sum(p - y) + 2 * reg * b
        w = p * (1 - p) + 1e-9
        h_aa = np.sum(w * x * x) + 2 * reg
        h_ab = np.sum(w * x)
        h_bb = np.sum(w) + 2 * reg
        det = h_aa * h_bb - h_ab * h_ab
        if det <= 0:
            break
        da = (h_bb * g_a - h_ab * g_b) / det
        db = (h_aa * g_b - h_ab * g_a) / det
        step = 1.0
        while step > 1e-4:  # halve the step until the loss goes down
            na = float(np.clip(a - step * da, *a_range))
            nb = b - step * db
            new = _nll(na, nb, x, y, reg)
            if new <= cur:
                break
            step /= 2
        else:
            break
        if abs(na - a) < 1e-7 and abs(nb - b) < 1e-7:
            break
        a, b, cur = na, nb, new
    if not np.isfinite(a) or not np.isfinite(b):
        return Platt()
    return Platt(float(a), float(b))


def choose_threshold(
    p: np.ndarray,
    y: np.ndarray,
    *,
    min_recall: float | None,
    min_precision: float = 0.0,
    default: float = 0.5,
    weights: np.ndarray | None = None,
    half_max_f1: bool = False,
    beta: float = 1.0,
) -> tuple[float, str]:
    """A threshold on validation probabilities and the rule that chose it.

    With ``min_recall``: the highest threshold whose recall reaches it while precision
    stays >= ``min_precision``; when unreachable, the max-F1 threshold. Without: max F1.
    ``beta`` != 1: the fallback maximises F-beta instead (beta 2 weighs recall twice).
    ``half_max_f1`` (F1 only): instead of the arg-max of F1 (noisy on a small validation
    split), half the maximal F1 — the F1-optimal threshold of a calibrated classifier
    (Lipton, Elkan & Narayanaswamy 2014, "Thresholding classifiers to maximize F1 score").
    """
    y = (y > 0).astype(np.int8)
    if y.sum() == 0:
        return default, "default (no validation positives)"
    cands = np.unique(np.round(p, 4))
    cands = cands[(cands > 0.005) & (cands < 0.995)]
    if len(cands) == 0:
        return default, "default (degenerate scores)"
    prec, rec = pr_curve(p, y, cands, weights)
    if min_recall is not None:
        ok = (rec >= min_recall) & (prec >= min_precision)
        if ok.any():
            return float(cands[ok].max()), f"recall>={min_recall} (precision>={min_precision})"
    f = f_beta_curve(prec, rec, beta)
    i = int(np.argmax(f))  # the first (lowest) threshold of the maximum, as a scan finds it
    best_t, best_f = float(cands[i]), float(f[i])
    score = "F1" if beta == 1.0 else f"F{beta:g}"
    rule = f"max {score}"
    if min_recall is not None:
        rule += f" (recall>={min_recall} unreachable)"
    if half_max_f1 and beta == 1.0 and best_f > 0:
        return round(best_f / 2, 4), rule.replace("max F1", f"F1*/2 (F1*={best_f:.3f})", 1)
    return best_t, rule


def pr_curve(
    p: np.ndarray, y: np.ndarray, thresholds: np.ndarray, weights: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Precision and recall of scores ``p`` (n,) against 0/1 ``y`` (n,) at each of
    ``thresholds`` (a score >= t is a positive; optional row ``weights``), as
    :func:`annotate.evaluation.metrics.pr_at` gives them one at a time (precision 0 where
    nothing is predicted), in one sort."""
    w = np.ones(len(p)) if weights is None else np.asarray(weights, dtype=float)
    order = np.argsort(p, kind="stable")
    pos = y[order] > 0
    cpos = np.concatenate([[0.0], np.cumsum(np.where(pos, w[order], 0.0))])
    cneg = np.concatenate([[0.0], np.cumsum(np.where(pos, 0.0, w[order]))])
    below = np.searchsorted(p[order], thresholds, side="left")  # rows scored under t
    tp, fp, fn = cpos[-1] - cpos[below], cneg[-1] - cneg[below], cpos[below]
    with np.errstate(invalid="ignore", divide="ignore"):
        prec = np.where(tp + fp > 0, tp / (tp + fp), 0.0)
        rec = np.where(tp + fn > 0, tp / (tp + fn), 0.0)
    return prec, rec


def f_beta_curve(prec: np.ndarray, rec: np.ndarray, beta: float = 1.0) -> np.ndarray:
    """:func:`annotate.evaluation.metrics.f_beta` of arrays (0 where both are 0)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        if beta == 1.0:
            f = 2 * prec * rec / (prec + rec)
        else:
            b2 = beta * beta
            f = (1 + b2) * prec * rec / (b2 * prec + rec)
    return np.where(prec + rec > 0, f, 0.0)


def blend_logits(
    head: MLPHead,
    solo: MLPHead | None,
    x: np.ndarray,
    dim: int,
    blended: Sequence[int],
    weight: float,
) -> np.ndarray:
    """Category logits of the context head; with a passage-only head, the ``blended``
    columns are ``(1 - weight) * context + weight * passage-only``."""
    lg = head.logits(x)
    if solo is None or weight <= 0 or not len(blended):
        return lg
    ls = solo.logits(solo_features(x, dim))
    cols = list(blended)
    lg[:, cols] = (1 - weight) * lg[:, cols] + weight * ls[:, cols]
    return lg


def apply_labels(
    probs: np.ndarray,
    labels: Sequence[str],
    thresholds: dict[str, float],
    none_label: str,
    yield_to_none: Sequence[str] = (),
    yield_to_context: Sequence[str] = (),
    context: Sequence[str] = (),
) -> list[list[str]]:
    """Labels at or above threshold; the none label exactly when no other label fires.

    A label in ``yield_to_none`` (the context labels, when the model says so) fires only
    if it is also more probable than ``none``: a descriptive label the model rates below
    "nothing applies" is not worth a reviewer's attention.

    A label in ``yield_to_context`` (the own-voice harmful labels, when the model says
    so) is dropped when a ``context`` label fires with a higher probability: the
    taxonomy makes threatening, inciting or propagandising in one's own voice exclusive
    of reporting or rebutting, so the more probable reading wins. Labels that may
    co-occur with context (graphic violence in a news report) never yield.
    """
    out = []
    names = list(labels)
    yields = set(yield_to_none)
    to_context = set(yield_to_context)
    ctx = set(context)
    none_at = names.index(none_label) if none_label in names else None
    for row in probs:
        p_none = row[none_at] if none_at is not None else 0.0
        fired = {
            name: float(p)
            for name, p in zip(names, row, strict=True)
            if name != none_label
            and p >= thresholds.get(name, 0.5)
            and (name not in yields or p > p_none)
        }
        p_ctx = max((p for n, p in fired.items() if n in ctx), default=None)
        kept = [
            n for n, p in fired.items() if not (n in to_context and p_ctx is not None and p_ctx > p)
        ]
        out.append(kept or [none_label])
    return out
