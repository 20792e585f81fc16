"""Calibration and thresholds on validation rows, shared by the frozen-linear and the
fine-tuned trainers (:mod:`annotate.training.frozen`, :mod:`annotate.training.finetune`).

Categories: per label, Platt scaling of the validation logits and a threshold at the
config's operating point (:func:`annotate.classifier.head.choose_threshold`; with
``threshold_bootstrap``, the mean of its picks on bootstrap resamples of the validation
rows, :func:`bootstrap_threshold`); the none label fires exactly when no other label
does, so it gets no threshold of its own.
Evidence spans: per span label, Platt scaling (at least 5 examples of each class) and
the max-F1 threshold, or with ``span_half_max_f1`` (the default) half the maximal F1
(steadier: the maximal F1 moves little with the segments, its arg-max on a flat curve
far), bagged the same way with ``span_threshold_bootstrap``, never below 0.2; a span
label with fewer validation positives or negatives (segments) than the operating
point's minimums gets neither: the fallback threshold, source "fallback".

Measured on the cross-source table and not adopted: thresholds (and Platt) chosen on
out-of-source predictions of inner leave-one-public-source-out fits instead of the
in-source validation rows (threat recall up, false flags up beyond noise on every held-out
source; benchmarks/threshold_out_of_source.py, benchmarks/README.md).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from annotate._util.plural import counted
from annotate.classifier.head import (
    Platt,
    apply_labels,
    calibrate_columns,
    choose_threshold,
    fit_platt,
)
from annotate.evaluation.metrics import threshold_table
from annotate.taxonomy import Taxonomy
from annotate.training.config import OperatingPoint, TrainConfig

NONE_RULE = "not used: none = no other label fires"
SOURCE_VALIDATION = "validation"  # threshold (and Platt) fitted on the validation rows
SOURCE_FALLBACK = "fallback"  # too few validation positives or negatives: fixed threshold
SOURCE_NONE = "not used"  # the none label


def fallback_rule(n_pos: int, n_neg: int, op: OperatingPoint) -> str:
    """The threshold rule recorded for a label below ``op``'s validation minimums, e.g.
    "fallback 0.5: 1 validation positive, 18 negatives (fitting needs 5 and 5; not
    calibrated)"."""
    return (
        f"fallback {op.fallback_threshold:g}: {counted(n_pos, 'validation positive')}, "
        f"{counted(n_neg, 'negative')} (fitting needs {op.min_validation_positives} and "
        f"{op.min_validation_negatives}; not calibrated)"
    )


def enough_validation(n_pos: int, n_neg: int, op: OperatingPoint) -> bool:
    """Whether ``n_pos`` validation positives and ``n_neg`` negatives (passages for a
    category, candidate segments for a span label) reach ``op``'s minimums for fitting a
    threshold and calibration (``min_validation_positives``, ``min_validation_negatives``)."""
    return n_pos >= op.min_validation_positives and n_neg >= op.min_validation_negatives


def segment_counts(y: np.ndarray) -> tuple[int, int]:
    """(positives, negatives) among the supervised validation segments' 0/1 gold ``y``
    (n_segments,) of one span label."""
    n_pos = int((y > 0).sum())
    return n_pos, len(y) - n_pos


def span_validation_entry(
    p: np.ndarray, y: np.ndarray, threshold: float, rule: str, source: str
) -> dict[str, Any]:
    """A span label's entry in the per-label validation table: precision, recall and F1
    of scores ``p`` (n_segments,) against 0/1 gold ``y`` at ``threshold``
    (:func:`annotate.evaluation.metrics.threshold_table`), ``support`` (positive
    segments), the threshold's ``rule`` and ``source`` ("validation" | "fallback"), and
    the ``validation_positives`` and ``validation_negatives`` (segments) it saw."""
    n_pos, n_neg = segment_counts(y)
    return {
        **threshold_table(p, y, threshold),
        "support": n_pos,
        "rule": rule,
        "source": source,
        "validation_positives": n_pos,
        "validation_negatives": n_neg,
    }


def own_voice_yield_labels(cfg: TrainConfig, tax: Taxonomy) -> list[str]:
    """The harmful categories that yield to a more probable context label
    (``own_voice_yields_to_context``): those the own-voice span labels evidence."""
    if not cfg.own_voice_yields_to_context:
        return []
    cats = {cfg.span_categories[s] for s in cfg.own_voice_spans if s in cfg.span_categories}
    return sorted(cats & set(tax.harmful))


class DecisionRules:
    """``calibrate_logits`` and ``decide`` of a fitted model with ``labels``, ``tax``,
    ``calibration`` (label -> Platt), ``thresholds``, ``yield_to_none`` and
    ``yield_to_context``."""

    labels: list[str]
    tax: Taxonomy
    calibration: dict[str, Platt]
    thresholds: dict[str, float]
    yield_to_none: list[str]
    yield_to_context: list[str]

    def calibrate_logits(self, lg: np.ndarray) -> np.ndarray:
        """(n, n_labels) logits -> float32 calibrated probabilities (identity Platt for a
        label without calibration)."""
        return calibrate_columns(lg, self.labels, self.calibration).astype(np.float32)

    def decide(self, probs: np.ndarray) -> list[list[str]]:
        return apply_labels(
            probs,
            self.labels,
            self.thresholds,
            self.tax.none_label,
            self.yield_to_none,
            self.yield_to_context,
            self.tax.context,
        )


def fit_category_operating_points(
    lg: np.ndarray,
    y: np.ndarray,
    labels: list[str],
    tax: Taxonomy,
    op: OperatingPoint,
    *,
    target: np.ndarray | None = None,
    sources: np.ndarray | None = None,
    target_rule: str = "project rows, ",
) -> tuple[dict[str, Platt], dict[str, float], dict[str, str], dict[str, dict[str, Any]]]:
    """Per label: Platt calibration of the validation logits ``lg`` (n, n_labels) against
    ``y`` (n, n_labels; 1/0, -1 = not supervised) and a threshold on the calibrated
    scores at the operating point ``op``. Returns (calibration, thresholds, rules,
    threshold sources), in label order; a threshold source is ``{"source": "validation" |
    "fallback" | "not used", "validation_positives": int, "validation_negatives": int,
    "threshold": float}``.

    A label whose supervised validation rows hold fewer than ``op.min_validation_positives``
    positives or ``op.min_validation_negatives`` negatives is not fitted: identity Platt
    (the head's own probability) and ``op.fallback_threshold`` (source "fallback").

    ``target`` (n,) bool, the target-domain rows (project-written and exported
    passages): with ``op.target_domain_thresholds``, a label's threshold is chosen on
    them alone when they hold ``op.min_target_positives`` of its positives (the rule
    then starts with ``target_rule``). ``sources`` (n,): with ``op.balance_sources``, every
    source weighs the same in the threshold choice. A trainer that passes neither ignores
    those two settings."""
    calibration: dict[str, Platt] = {}
    thresholds: dict[str, float] = {}
    rules: dict[str, str] = {}
    sources_of: dict[str, dict[str, Any]] = {}
    for j, name in enumerate(labels):
        k = y[:, j] >= 0
        n_pos = int((y[k, j] == 1).sum())
        n_neg = int(k.sum()) - n_pos
        seen = {"validation_positives": n_pos, "validation_negatives": n_neg}
        if name == tax.none_label:
            calibration[name] = fit_platt(lg[k, j], y[k, j])
            thresholds[name], rules[name] = 0.5, NONE_RULE
            sources_of[name] = {"source": SOURCE_NONE, **seen, "threshold": 0.5}
            continue
        if not enough_validation(n_pos, n_neg, op):
            calibration[name] = Platt()
            thresholds[name] = round(float(op.fallback_threshold), 4)
            rules[name] = fallback_rule(n_pos, n_neg, op)
            sources_of[name] = {
                "source": SOURCE_FALLBACK,
                **seen,
                "threshold": thresholds[name],
            }
            continue
        calibration[name] = fit_platt(lg[k, j], y[k, j])
        where = ""
        if (
            target is not None
            and op.target_domain_thresholds
            and (y[k & target, j] == 1).sum() >= op.min_target_positives
        ):
            k = k & target
            where = target_rule
        weights = None
        if sources is not None and op.balance_sources:
            _, inv, counts = np.unique(sources[k], return_inverse=True, return_counts=True)
            weights = 1.0 / counts[inv]
        rule_kw = threshold_rule(op, tax, name)
        p_cal = calibration[name](lg[k, j])
        if op.threshold_bootstrap:
            t, rule = bootstrap_threshold(
                p_cal,
                y[k, j],
                op.threshold_bootstrap,
                (op.threshold_bootstrap_seed, j),
                stat=op.threshold_bootstrap_stat,
                weights=weights,
                **rule_kw,
            )
        else:
            t, rule = choose_threshold(p_cal, y[k, j], weights=weights, **rule_kw)
        thresholds[name], rules[name] = round(float(t), 4), where + rule
        sources_of[name] = {"source": SOURCE_VALIDATION, **seen, "threshold": thresholds[name]}
    return calibration, thresholds, rules, sources_of


def threshold_rule(op: OperatingPoint, tax: Taxonomy, name: str) -> dict[str, Any]:
    """The keyword arguments of :func:`choose_threshold` / :func:`bootstrap_threshold`
    that ``op`` sets for the category ``name`` (its recall and precision floors for
    harmful labels, the F1*/2 rule, the F-beta of the label)."""
    harmful = name in tax.harmful
    return {
        "min_recall": op.harmful_min_recall if harmful else None,
        "min_precision": op.harmful_min_precision,
        "half_max_f1": op.half_max_f1,
        "beta": op.label_beta.get(name, op.harmful_fallback_beta if harmful else 1.0),
    }


def bootstrap_threshold(
    p: np.ndarray,
    y: np.ndarray,
    n: int,
    seed: int | tuple[int, ...],
    *,
    stat: str = "mean",
    weights: np.ndarray | None = None,
    **rule: Any,
) -> tuple[float, str]:
    """The mean (``stat`` "median": the median), over ``n`` stratified bootstrap resamples of
    the rows (positives and negatives drawn apart, so each keeps the positive count), of
    the threshold :func:`choose_threshold` picks with ``rule`` on the resample (row
    ``weights`` follow their rows), rounded to 4 places; and the rule that the pick on all
    rows reports, with the method appended. Bagging the threshold (Breiman 1996, "Bagging
    predictors"; Buhlmann & Yu 2002, "Analyzing bagging": the bootstrap mean of a hard
    decision is a smooth function of the rows): with few validation positives one pick
    follows which of them sit where on the curve, the aggregate over resamples less.
    Without positives (or degenerate scores): the plain pick."""
    t0, rule0 = choose_threshold(p, y, weights=weights, **rule)
    if rule0.startswith("default") or n < 1:
        return t0, rule0
    pos = np.flatnonzero(y > 0)
    neg = np.flatnonzero(y <= 0)
    rng = np.random.default_rng(seed)
    picks = np.empty(n)
    for b in range(n):
        s = np.concatenate([rng.choice(pos, len(pos)), rng.choice(neg, len(neg))])
        picks[b] = choose_threshold(
            p[s], y[s], weights=None if weights is None else weights[s], **rule
        )[0]
    t = round(float(np.mean(picks) if stat == "mean" else np.median(picks)), 4)
    return t, f"{rule0}; {stat} of {n} bootstrap resamples (all rows: {t0:.4f})"


def fit_span_operating_points(
    lg: np.ndarray,
    y: np.ndarray,
    m: np.ndarray,
    span_labels: list[str],
    op: OperatingPoint | None = None,
) -> tuple[dict[str, Platt], dict[str, float], dict[str, dict[str, Any]]]:
    """Per span label: Platt calibration of the validation segments' logits ``lg``
    (n_segments, n_span_labels) against ``y`` (1/0) where ``m`` > 0, and the max-F1
    threshold on the calibrated scores (never below 0.2); with ``op.span_half_max_f1``,
    half the maximal F1 instead (F1*/2: the F1-optimal threshold of calibrated scores,
    Lipton, Elkan & Narayanaswamy 2014, "Optimal thresholding of classifiers to maximize
    F1 measure"; the maximal F1 moves little when the segments or the head change a
    little, its arg-max on a flat F1 curve far). With
    ``op.span_threshold_bootstrap`` (and ``op.threshold_bootstrap`` resamples), the
    threshold is bagged as the labels' are (:func:`bootstrap_threshold`, the segments
    resampled, positives and negatives apart); the floor applies to the result.

    A span label whose supervised validation segments hold fewer than
    ``op.min_validation_positives`` positives or ``op.min_validation_negatives``
    negatives (``op`` None: the :class:`OperatingPoint` defaults, 5 and 5) is not fitted:
    identity Platt and ``op.fallback_threshold`` (0.5 by default).

    Returns (calibration, thresholds, per-label validation table); a table entry has the
    threshold, precision, recall, F1 (None where undefined), ``support``, ``rule``,
    ``source`` ("validation" | "fallback"), ``validation_positives`` and
    ``validation_negatives`` (segments)."""
    calibration: dict[str, Platt] = {}
    thresholds: dict[str, float] = {}
    per: dict[str, dict[str, Any]] = {}
    bag = op is not None and op.span_threshold_bootstrap and op.threshold_bootstrap > 0
    rules_op = op if op is not None else OperatingPoint()
    half = op is not None and op.span_half_max_f1
    for j, name in enumerate(span_labels):
        k = m[:, j] > 0
        n_pos, n_neg = segment_counts(y[k, j])
        if not enough_validation(n_pos, n_neg, rules_op):
            calibration[name] = Platt()
            thresholds[name] = round(float(rules_op.fallback_threshold), 4)
            per[name] = span_validation_entry(
                calibration[name](lg[k, j]),
                y[k, j],
                thresholds[name],
                fallback_rule(n_pos, n_neg, rules_op),
                SOURCE_FALLBACK,
            )
            continue
        cal = fit_platt(lg[k, j], y[k, j], min_pos=5)
        calibration[name] = cal
        p = cal(lg[k, j])
        if bag:
            assert op is not None
            t, rule = bootstrap_threshold(
                p,
                y[k, j],
                op.threshold_bootstrap,
                # apart from the label thresholds' streams (seed, j)
                (op.threshold_bootstrap_seed, 1, j),
                stat=op.threshold_bootstrap_stat,
                min_recall=None,
                default=0.5,
                half_max_f1=half,
            )
        else:
            t, rule = choose_threshold(p, y[k, j], min_recall=None, default=0.5, half_max_f1=half)
        thresholds[name] = round(max(float(t), 0.2), 4)
        per[name] = span_validation_entry(p, y[k, j], thresholds[name], rule, SOURCE_VALIDATION)
    return calibration, thresholds, per
