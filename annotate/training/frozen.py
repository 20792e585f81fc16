"""The frozen-encoder linear model (``trainer: frozen``, kind ``annotate.frozen-linear.v1``).

Features: the frozen encoder's sentence embedding of the passage (mean pooling + L2
normalisation, as :class:`annotate.classifier.encoder.Encoder` gives it; the same
features as the cross-source baseline), embedded once per text and cached.

Per label, the logit is the mean over ``frozen.members`` of L2 logistic regressions
(each with its own C, optionally every data source weighing the same, optionally for
some labels only: a member with ``labels`` counts for those alone; optionally without
the derived rows, ``derived_rows: false``), fitted on
the rows that supervise the label (class weights balanced, row weights as sample
weights); being linear, the average is stored as one linear layer. Platt-calibrated on
the validation rows, thresholds at the config's operating point (a label with too few
validation positives: on out-of-fold predictions, :mod:`annotate.training.cross_fit`).
Evidence spans: one logistic regression per span label over standardised (segment
embedding, passage embedding, where the segment sits), Platt-calibrated and thresholded
on validation segments.

Measured on the cross-source table and dropped: richer pooled features from the same
pass (every layer's mean, the last layer's max: they learn each source's style),
standardised features, and choosing each label's members by inner
leave-one-public-source-out folds of the training rows ("nested-loso": one cell more
within noise, deeper losses; benchmarks/README.md, results/crosssource_nested.json), and
LEACE erasure of the data source from the embeddings before the heads (``erase_source``,
plain or residualised on the labels: no cell more, four cells lower beyond noise;
models/default/cross_source.md, commit 810a932 has the code), and span examples that do
not supervise the context labels (counter-speech up, but a direct threat also read as
counter-speech: models/default.train.yaml), and projecting social-group directions out of
the features (SENT-DEBIAS; implicit-hate threats and CrisisLex news lower beyond noise:
models/default.train.yaml).

Rows: the DataFrame of :mod:`annotate.training.rows`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from annotate.classifier.addressee import (
    call_names,
    calls_beside_threats,
    calls_not_threats,
    threats_not_calls,
    too_short_for_context,
)
from annotate.classifier.boilerplate import furniture_labels
from annotate.classifier.frozen_linear import LinearHead, span_features
from annotate.classifier.head import Platt, sigmoid
from annotate.classifier.idioms import with_idiom_cap
from annotate.classifier.threat_grammar import keep_threat, rule_precision, with_threat_floor
from annotate.taxonomy import Taxonomy
from annotate.training.config import TrainConfig
from annotate.training.cross_fit import OutOfFold, cross_fit_thresholds, documents, fit_pooled
from annotate.training.derived import is_derived
from annotate.training.operating_point import (
    DecisionRules,
    fit_category_operating_points,
    fit_span_operating_points,
    own_voice_yield_labels,
)

log = logging.getLogger(__name__)


def label_matrix(rows: pd.DataFrame, n: int) -> np.ndarray:
    if len(rows) == 0:
        return np.zeros((0, n), np.int8)
    return np.stack(rows["labels"].to_list()).astype(np.int8)


class RowFeatures:
    """Sentence embeddings of rows from the embedding cache (every text embedded once);
    segment embeddings of span-supervised rows likewise. ``progress(n)`` as texts are
    embedded."""

    def __init__(self, cache: Any, progress: Callable[[int], None] | None = None) -> None:
        self.cache = cache
        self.progress = progress
        self._emb: dict[str, np.ndarray] = {}

    def matrix(self, rows: pd.DataFrame) -> np.ndarray:
        """(n, dim) float32 sentence embeddings of ``rows["text"]``."""
        texts = rows["text"].tolist()
        todo = list(dict.fromkeys(t for t in texts if t not in self._emb))
        if todo:
            emb, _ = self.cache.encode(todo, [[] for _ in todo], progress=self.progress)
            self._emb.update(zip(todo, emb, strict=True))
        dim = self.cache.encoder.dim
        return np.stack([self._emb[t] for t in texts]) if texts else np.zeros((0, dim))

    def segments(self, rows: pd.DataFrame) -> list[np.ndarray]:
        """Per row: (n_segments, dim) embeddings of its candidate segments (``seg``)."""
        texts = rows["text"].tolist()
        ranges = [[(a, b) for a, b, _ in s] for s in rows["seg"].tolist()]
        _, segs = self.cache.encode(texts, ranges, progress=self.progress)
        return segs

    def prefetch(self, split: dict[str, pd.DataFrame], spans: bool) -> None:
        """Embed, in one call, every text :func:`fit_frozen` and the test split's report
        will ask for: each split's label rows (:func:`_label_rows`) and, with ``spans``,
        the span rows of the training and validation splits (:func:`_span_selection`:
        their sentence and segment embeddings), so the progress hears the number of texts
        to embed before the first is (``add_total``: a total and the time left; the cache
        learnt it per call, and a total grown per call would close the stage at the end
        of the first: stop 49 audit A12). The stage then ends (``finish``); the later
        calls read the cache, unreported."""
        from annotate._util.progress import finish

        train, valid = split["train"], split["validation"]
        if len(_label_rows(train)) == 0:
            return  # fit_frozen says so, before anything is embedded
        texts = [t for rows in (train, valid, split["test"]) for t in _label_rows(rows)["text"]]
        ranges: list[list[tuple[int, int]]] = [[] for _ in texts]
        if spans:
            for rows in (train, valid) if len(valid) else (train,):
                sel = _span_selection(rows)
                texts += sel["text"].tolist() * 2
                ranges += [[] for _ in range(len(sel))]
                ranges += [[(a, b) for a, b, _ in s] for s in sel["seg"].tolist()]
        emb, _ = self.cache.encode(texts, ranges, progress=self.progress)
        self._emb.update((t, e) for t, r, e in zip(texts, ranges, emb, strict=True) if not r)
        finish(self.progress)
        self.progress = None


@dataclass
class FrozenLinear(DecisionRules):
    """A fitted frozen-linear model: ``labels``, ``thresholds``, ``predict_proba(rows)``,
    ``predict_labels(rows)``; ``save(dir)`` (annotate.classifier.frozen_linear)."""

    tax: Taxonomy
    cfg: TrainConfig
    feats: RowFeatures
    head: LinearHead
    span_head: LinearHead | None = None
    calibration: dict[str, Platt] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=dict)
    rules: dict[str, str] = field(default_factory=dict)
    # per label: "validation" / "fallback" and the validation counts (operating_point)
    threshold_sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    span_calibration: dict[str, Platt] = field(default_factory=dict)
    span_thresholds: dict[str, float] = field(default_factory=dict)
    span_info: dict[str, Any] = field(default_factory=dict)
    fit_info: dict[str, Any] = field(default_factory=dict)
    # the rule threat_grammar's precision on the training rows (None: off); the score
    # floor of the passages it reads is the label's threshold
    threat_grammar_precision: float | None = None
    # out-of-fold logits of the training rows for the labels cross-fitted at fit time
    # (annotate.training.cross_fit; None: none was), for variant(); not saved
    out_of_fold: OutOfFold | None = None

    @property
    def labels(self) -> list[str]:
        return self.tax.category_names

    @property
    def yield_to_none(self) -> list[str]:
        return list(self.tax.context) if self.cfg.context_yields_to_none else []

    @property
    def yield_to_context(self) -> list[str]:
        return own_voice_yield_labels(self.cfg, self.tax)

    def logits(self, rows: pd.DataFrame) -> np.ndarray:
        return self.head.logits(self.feats.matrix(rows))

    def predict_proba(self, rows: pd.DataFrame) -> np.ndarray:
        return self._scored(rows)[0]

    def _scored(self, rows: pd.DataFrame) -> tuple[np.ndarray, list[list[tuple[int, int]]]]:
        """Calibrated scores (n, n_labels) with the threat grammar's floor, and the
        threat sentences it read per row (all empty when it is off)."""
        if len(rows) == 0:
            return np.zeros((0, len(self.labels)), np.float32), []
        probs = self.calibrate_logits(self.logits(rows))
        label = self.cfg.threat_grammar
        if label and self.threat_grammar_precision is not None and label in self.thresholds:
            col = self.labels.index(label)
            texts = rows["text"].tolist()
            probs, hits = with_threat_floor(
                probs,
                col,
                texts,
                self.thresholds[label],
                cap=self.cfg.lawful_warning_cap,
                self_cap=self.cfg.self_directed_cap,
            )
            if self.cfg.idiom_cap is not None:
                probs = with_idiom_cap(
                    probs,
                    [col],
                    texts,
                    [self.thresholds[label]],
                    self.cfg.idiom_cap,
                    keep=[bool(h) for h in hits],
                )
            return probs, hits
        return probs, [[] for _ in range(len(rows))]

    def predict_labels(self, rows: pd.DataFrame) -> list[list[str]]:
        probs, threats = self._scored(rows)
        labels = self.decide(probs)
        texts = rows["text"].tolist()
        label = self.cfg.threat_grammar
        if label and self.threat_grammar_precision is not None:
            labels = keep_threat(labels, threats, label, self.tax.context)
            call = call_names(self.cfg.span_categories, label, None)[0]
            if call in self.labels:  # as FrozenLinearClassifier.predict (addressee)
                labels = calls_not_threats(labels, texts, threats, label, call)
                labels = threats_not_calls(labels, texts, threats, label, call)
                labels = calls_beside_threats(labels, texts, threats, label, call)
        labels = too_short_for_context(labels, texts, self.tax.context, self.tax.none_label)
        if self.cfg.page_furniture_none:
            labels = furniture_labels(
                labels, rows["text"].tolist(), self.tax.context, self.tax.none_label
            )
        return labels

    def variant(self, updates: dict[str, Any], rows_valid: pd.DataFrame) -> FrozenLinear:
        """A copy with other decision rules (``updates``: settings of
        :data:`annotate.training.config.RULE_SETTINGS`); when the operating point changes,
        thresholds are chosen again on ``rows_valid`` (the validation rows the model was
        fitted with), and the labels cross-fitted at fit time, where validation is still
        too thin for them, again on their out-of-fold logits pooled with ``rows_valid``
        (:func:`annotate.training.cross_fit.fit_pooled`), as :func:`fit_frozen` chose
        them. A label too thin only under the new operating point (a higher
        ``min_validation_positives``) has no out-of-fold logits and keeps the fallback.
        The heads are shared, not refitted."""
        upd = dict(updates)
        if "operating_point" in upd:
            upd["operating_point"] = self.cfg.operating_point.model_copy(
                update=upd["operating_point"]
            )
        m = replace(
            self,
            cfg=self.cfg.model_copy(update=upd),
            calibration=dict(self.calibration),
            thresholds=dict(self.thresholds),
            rules=dict(self.rules),
            threshold_sources=dict(self.threshold_sources),
        )
        if "operating_point" in updates and len(rows_valid):
            calibrate(m, rows_valid)
            fit_pooled(m, m.out_of_fold, validation_scores(m, rows_valid))
        return m

    def save(self, out: Any, extra: dict[str, Any] | None = None) -> str:
        from annotate.classifier.frozen_linear import save_frozen

        return save_frozen(self, out, extra or {})


def fit_linear(
    x: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    c: float,
    seed: int,
    groups: np.ndarray | None = None,
    standardize: bool = False,
) -> LinearHead:
    """One L2 logistic regression per column of ``y`` (1/0, -1 = not supervised) on
    ``x`` as it is (class weights balanced, ``w`` as sample weights): the baseline's
    recipe. A column with one class only gets its prior as a constant logit.
    ``groups`` (n,): per output, the rows of each group (data source) that supervise it
    weigh the same in all (each group's weights rescaled to sum to n_supervised /
    n_groups). ``standardize``: features scaled to mean 0, std 1 first (the scaling is
    stored in the head)."""
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    n_out, dim = y.shape[1], x.shape[1]
    mu, sd = np.zeros(dim, np.float32), np.ones(dim, np.float32)
    if standardize and len(x):
        mu, sd = x.mean(0).astype(np.float32), (x.std(0) + 1e-4).astype(np.float32)
        x = (x - mu) / sd
    coef = np.zeros((n_out, dim), np.float32)
    icpt = np.zeros(n_out, np.float32)
    for j in range(n_out):
        m = y[:, j] >= 0
        yy = y[m, j]
        if m.sum() == 0 or yy.min() == yy.max():
            prior = min(max(float(yy.mean()) if m.any() else 0.0, 1e-4), 1 - 1e-4)
            icpt[j] = np.log(prior / (1 - prior))
            continue
        ww = w[m].astype(float)
        if groups is not None:
            _, inv = np.unique(groups[m], return_inverse=True)
            tot = np.bincount(inv, weights=ww)
            ww = ww * (len(ww) / len(tot)) / tot[inv]
        clf = LogisticRegression(C=c, class_weight="balanced", max_iter=3000, random_state=seed)
        # one BLAS thread: lbfgs's sums then run in one order whatever the machine's
        # thread settings, so the same embeddings give the same weights (two BLAS
        # threads moved coefficients by up to 0.009 and thresholds by 0.0005)
        with threadpool_limits(limits=1, user_api="blas"):
            clf.fit(x[m], yy, sample_weight=ww)
        coef[j] = clf.coef_[0]
        icpt[j] = clf.intercept_[0]
    return LinearHead(mu, sd, coef, icpt)


def average_heads(
    heads: Sequence[LinearHead], fits: Sequence[np.ndarray] | None = None
) -> LinearHead:
    """One head whose logits are the mean of the heads' logits (same standardisation).
    ``fits``: per head, (n_labels,) bool, the labels it counts for (default: all); each
    label's logit is the mean over the heads that count for it. Raises ValueError for
    heads with different standardisation, or a label no head counts for."""
    if len(heads) == 1 and fits is None:
        return heads[0]
    first = heads[0]
    for h in heads[1:]:
        if not (np.array_equal(h.mean, first.mean) and np.array_equal(h.std, first.std)):
            raise ValueError("heads with different standardisation cannot be averaged")
    if fits is None or np.all(fits):
        return LinearHead(
            first.mean,
            first.std,
            np.mean([h.coef for h in heads], 0).astype(np.float32),
            np.mean([h.intercept for h in heads], 0).astype(np.float32),
        )
    wt = np.array(fits, float)  # (heads, labels)
    if (wt.sum(0) == 0).any():
        raise ValueError("a label no head counts for")
    wt = wt / wt.sum(0)
    coef = np.einsum("hl,hld->ld", wt, np.stack([h.coef for h in heads]))
    icpt = np.einsum("hl,hl->l", wt, np.stack([h.intercept for h in heads]))
    return LinearHead(first.mean, first.std, coef.astype(np.float32), icpt.astype(np.float32))


def fit_frozen(
    rows_train: pd.DataFrame,
    rows_valid: pd.DataFrame,
    cfg: TrainConfig,
    tax: Taxonomy,
    feats: RowFeatures,
) -> FrozenLinear:
    """Fit the category head on ``rows_train``, calibrate and choose thresholds on
    ``rows_valid``, fit the span head when rows carry span targets. Raises
    TrainingError when there are no training rows."""
    from annotate.errors import TrainingError

    if len(rows_train) == 0:
        raise TrainingError("no training rows.", fix="give training data.")
    fz = cfg.frozen
    t0 = time.time()
    names = tax.category_names
    # rows of `spans_only` sources train the span model alone (fit_spans below)
    span_train, span_valid = rows_train, rows_valid
    rows_train, rows_valid = _label_rows(rows_train), _label_rows(rows_valid)
    if len(rows_train) == 0:
        raise TrainingError(
            "no training rows for the label heads (every source is `spans_only`).",
            fix="give data that is not `spans_only`.",
        )
    x = feats.matrix(rows_train)
    y = label_matrix(rows_train, len(names))
    w = rows_train["weight"].to_numpy(float)
    sources = rows_train["source"].astype(str).to_numpy()
    # per member, the labels it fits (a member's other columns are left unsupervised)
    fits = [np.array([mb.fits(n) for n in names]) for mb in fz.members]
    if not np.any(fits, 0).all():
        raise TrainingError(
            "frozen.members: some categories have no member fitting them.",
            fix="give one member without `labels` (it fits every category).",
        )
    # a member with `derived_rows: false` does not fit the span and taxonomy examples
    derived = is_derived(sources)

    def fit_head(idx: np.ndarray | slice, targets: np.ndarray) -> LinearHead:
        heads = [
            fit_linear(
                x[idx],
                np.where(fit & (mb.derived_rows | ~derived[idx, None]), targets[idx], -1).astype(
                    y.dtype
                ),
                w[idx],
                mb.c,
                cfg.seed,
                sources[idx] if mb.balance_sources else None,
            )
            for mb, fit in zip(fz.members, fits, strict=True)
        ]
        return average_heads(heads, fits)

    head = fit_head(slice(None), y)
    model = FrozenLinear(tax, cfg, feats, head)
    model.fit_info = {
        "train_rows": len(rows_train),
        "features": int(x.shape[1]),
        "members": [m.model_dump() for m in fz.members],
        "seconds": round(time.time() - t0, 1),
    }
    if cfg.threat_grammar:
        model.threat_grammar_precision = _threat_grammar_precision(model, rows_train, y, derived)
    if len(rows_valid):
        calibrate(model, rows_valid)

        def fold_logits(tr: np.ndarray, te: np.ndarray, cols: np.ndarray) -> np.ndarray:
            # the heads of the labels cross-fitted alone, on the fold's training rows
            return fit_head(tr, np.where(cols[None, :], y, -1).astype(y.dtype)).logits(x[te])

        cross_fit_thresholds(
            model,
            fold_logits,
            y,
            documents(rows_train, sources),
            ~derived,
            validation_scores(model, rows_valid),
            {"target": ~rows_train["public"].astype(bool).to_numpy(), "sources": sources},
        )
    if fz.spans:
        fit_spans(model, span_train, span_valid)
    return model


def validation_scores(model: FrozenLinear, rows_valid: pd.DataFrame) -> dict[str, np.ndarray]:
    """What :func:`annotate.training.cross_fit.fit_pooled` pools of the validation rows:
    ``logits`` (m, n_labels) of ``model``, ``y``, ``target`` (project rows), ``sources``."""
    return {
        "logits": model.logits(rows_valid),
        "y": label_matrix(rows_valid, len(model.labels)),
        "target": ~rows_valid["public"].astype(bool).to_numpy(),
        "sources": rows_valid["source"].astype(str).to_numpy(),
    }


def _threat_grammar_precision(
    model: FrozenLinear, rows: pd.DataFrame, y: np.ndarray, derived: np.ndarray
) -> float:
    """The rule threat_grammar's Laplace-smoothed precision on the public training rows
    (text nobody here wrote: project rows are written to be clear cases, and the rule
    reads more of them right); on every non-derived row when it reads no known public
    row. Span and taxonomy examples (``derived``) are fragments, never counted. The score
    of the spans the rule marks."""
    col = model.labels.index(str(model.cfg.threat_grammar))
    public = rows["public"].astype(bool).to_numpy() & ~derived
    known = np.isin(y[:, col], (0, 1))
    texts = rows["text"].tolist()
    scope = "public"
    idx = np.flatnonzero(public & known)
    score, fired, pos = rule_precision([texts[i] for i in idx], y[idx, col])
    if not fired:
        scope, idx = "all", np.flatnonzero(~derived & known)
        score, fired, pos = rule_precision([texts[i] for i in idx], y[idx, col])
    model.fit_info["threat_grammar"] = {"rows": scope, "rows_fired": fired, "positives": pos}
    return round(score, 4)


def _label_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` without those of `spans_only` sources (they supervise no label)."""
    if "spans_only" not in rows or not rows["spans_only"].any():
        return rows
    return rows[~rows["spans_only"].astype(bool)].reset_index(drop=True)


def calibrate(model: FrozenLinear, rows_valid: pd.DataFrame) -> None:
    """Per-label Platt scaling and thresholds on the validation rows."""
    calibration, thresholds, rules, sources = fit_category_operating_points(
        model.logits(rows_valid),
        label_matrix(rows_valid, len(model.labels)),
        model.labels,
        model.tax,
        model.cfg.operating_point,
        target=~rows_valid["public"].astype(bool).to_numpy(),
        sources=rows_valid["source"].astype(str).to_numpy(),
    )
    model.calibration.update(calibration)
    model.thresholds.update(thresholds)
    model.rules.update(rules)
    model.threshold_sources.update(sources)


def _span_selection(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows that supervise the span head: span targets and candidate segments."""
    return rows[
        [y is not None and len(s) > 0 for y, s in zip(rows["seg_y"], rows["seg"], strict=True)]
    ]


def _span_rows(model: FrozenLinear, rows: pd.DataFrame) -> tuple[np.ndarray, ...] | None:
    sel = _span_selection(rows)
    if len(sel) == 0:
        return None
    seg_emb = model.feats.segments(sel)
    emb = model.feats.matrix(sel)
    xs, ys, ms = [], [], []
    for i in range(len(sel)):
        xs.append(span_features(seg_emb[i], sel["seg"].iloc[i], sel["text"].iloc[i], emb[i]))
        ys.append(sel["seg_y"].iloc[i])
        ms.append(sel["seg_m"].iloc[i])
    return np.concatenate(xs), np.concatenate(ys), np.concatenate(ms)


def _span_row_count(rows: pd.DataFrame) -> int:
    """Rows whose candidate segments have gold span labels (:func:`_span_rows`' rows)."""
    if not len(rows):
        return 0
    return sum(
        y is not None and len(s) > 0 for y, s in zip(rows["seg_y"], rows["seg"], strict=True)
    )


def fit_spans(model: FrozenLinear, rows_train: pd.DataFrame, rows_valid: pd.DataFrame) -> None:
    """The span head on the training rows' candidate segments; Platt and thresholds on
    the validation rows' segments."""
    tr = _span_rows(model, rows_train)
    va = _span_rows(model, rows_valid) if len(rows_valid) else None
    if tr is None or va is None:
        model.span_info = {
            "trained": False,
            "reason": "no span-annotated rows",
            # passages with gold evidence spans (or marked as having none) in each split
            "train_rows": _span_row_count(rows_train),
            "validation_rows": _span_row_count(rows_valid),
        }
        return
    xt, yt, mt = tr
    yy = np.where(mt > 0, (yt > 0).astype(np.int8), -1)
    model.span_head = fit_linear(
        xt, yy, np.ones(len(xt)), model.cfg.frozen.span_c, model.cfg.seed, standardize=True
    )
    xv, yv, mv = va
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):  # one summation order (fit_linear)
        lv = model.span_head.logits(xv)
    calibration, thresholds, per = fit_span_operating_points(
        lv, yv, mv, model.tax.span_names, model.cfg.operating_point
    )
    model.span_calibration.update(calibration)
    model.span_thresholds.update(thresholds)
    model.span_info = {
        "trained": True,
        "n_train_segments": len(xt),
        "n_validation_segments": len(xv),
        "validation": per,
    }


__all__ = ["FrozenLinear", "RowFeatures", "fit_frozen", "fit_linear", "sigmoid"]
