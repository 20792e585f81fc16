"""Cross-source evaluation: hold one public source out at a time, train on the rest
(project data included), score the held-out source; the fine-tuned model and the
frozen-encoder + LogisticRegression baseline on the same folds.

Rows are DataFrames in the training-rows format (:mod:`annotate.training.rows`): ``text``,
``source``, ``public`` (bool), ``split``, ``labels`` (1/0/-1 per label, -1 = unknown),
``weight``. A fit function takes ``(rows_train, rows_valid)`` and returns an object with
``labels``, ``thresholds`` and ``predict_proba(rows) -> (n, n_labels)``; the model side
may also have ``predict_labels(rows) -> list[list[str]]`` (thresholds + decision rules),
which is then what "flagged" means.

Per held-out source S and label present in S (at least one positive among S's scored
rows): AUPRC, recall and precision at the model's threshold, with n and positives.
False-flag rates: the share of S's gold ``none``, ``news_reporting`` and
``counter_speech`` rows given any harmful label that the row supervises as a negative.
Labels a source supervises only as negatives (e.g. stormfront: threat and incitement)
get a false-positive rate instead of an AUPRC.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from annotate._util.atomic import atomic_write_text
from annotate.audit.markdown import table_row
from annotate.corpus.schema import TRAIN, VALIDATION
from annotate.defaults import DEFAULT_NEAR_DUP_THRESHOLD
from annotate.errors import TrainingError
from annotate.evaluation.metrics import auprc
from annotate.training.baseline import label_matrix
from annotate.training.sources import stable_unit

if TYPE_CHECKING:
    from annotate.taxonomy import Taxonomy
    from annotate.training.config import TrainConfig

log = logging.getLogger(__name__)

CONTEXT_ROWS = ("none", "news_reporting", "counter_speech")


class Fitted(Protocol):
    labels: list[str]
    thresholds: dict[str, float]

    def predict_proba(self, rows: Any) -> np.ndarray: ...


FitFn = Callable[[Any, Any], Fitted]


@dataclass(frozen=True)
class Caps:
    """Row caps per fold (CPU is scarce): at most ``train_per_source`` training and
    ``valid_per_source`` validation rows from each source, ``eval_rows`` scored rows of
    the held-out source; seeded samples, positives of rare labels kept first (scored rows
    sampled beyond them carry inverse-sampling-rate weights in every metric)."""

    train_per_source: int | None = None  # None: every row
    valid_per_source: int | None = None
    eval_rows: int | None = None
    seed: int = 13
    train_total: int | None = None  # then at most this many training rows (seeded sample)


def _cap(rows, cap: int | None, seed: int, key: str):
    """At most ``cap`` rows per source (None: all): every row carrying a positive of a
    label that has at most cap/4 positives in its source comes first (rare labels
    survive), the rest is a seeded random sample."""
    if cap is None:
        return rows
    if cap <= 0:
        return rows.iloc[:0]
    parts = []
    for src, part in rows.groupby("source", sort=True):
        if len(part) <= cap:
            parts.append(part)
            continue
        y = label_matrix(part, len(part["labels"].iloc[0]))
        pos = (y == 1).sum(0)
        rare = [j for j in range(y.shape[1]) if 0 < pos[j] <= cap // 4]
        must = (y[:, rare] == 1).any(1) if rare else np.zeros(len(part), bool)
        order = sorted(
            range(len(part)), key=lambda i: (not must[i], stable_unit(key, seed, src, i))
        )
        parts.append(part.iloc[sorted(order[:cap])])
    import pandas as pd

    return pd.concat(parts) if parts else rows.iloc[:0]


def _sample(rows, n: int | None, seed: int, key: str):
    """At most ``n`` scored rows, with a column ``eval_weight``: every row carrying a
    positive of a rare label (at most n/4 positives) is kept with weight 1; the others
    are a seeded random sample weighted by the inverse of their sampling rate, so that
    weighted metrics estimate those of all the rows (prevalence unchanged)."""
    rows = rows.assign(eval_weight=1.0)
    if n is None or len(rows) <= n:
        return rows
    y = label_matrix(rows, len(rows["labels"].iloc[0]))
    pos = (y == 1).sum(0)
    rare = [j for j in range(y.shape[1]) if 0 < pos[j] <= n // 4]
    must = (y[:, rare] == 1).any(1) if rare else np.zeros(len(rows), bool)
    kept = [int(i) for i in np.flatnonzero(must)[: n // 2]]
    kept_set = set(kept)
    rest = [i for i in range(len(rows)) if i not in kept_set]
    rest.sort(key=lambda i: stable_unit(key, seed, i))
    take = rest[: n - len(kept)]
    w = np.ones(len(rows))
    w[take] = len(rest) / max(len(take), 1)
    idx = sorted(kept + take)
    return rows.iloc[idx].assign(eval_weight=w[idx])


def held_out_sources(rows) -> list[str]:
    """Public sources whose rows supervise at least one label (unlabeled pools excluded)."""
    out = []
    pub = rows[rows["public"].astype(bool)]
    for src, part in pub.groupby("source", sort=True):
        if (label_matrix(part, len(part["labels"].iloc[0])) >= 0).any():
            out.append(str(src))
    return out


def declared_sources(config: TrainConfig, tax: Taxonomy) -> list[str]:
    """The public sources ``config`` declares, in the order its ``data`` entries name
    them: the ``name`` of each entry's mapping file (what a public row's ``source`` is).
    Reads the mapping files only (no data row, no encoder), so that ``--source`` can be
    checked before the minute of loading a cross-source run takes."""
    from annotate.training.sources import load_mapping

    names: list[str] = []
    for entry in config.data:
        if entry.mapping:
            name = load_mapping(entry.mapping, tax).name
            if name not in names:
                names.append(name)
    return names


@dataclass(frozen=True)
class Fold:
    """One fold's rows (DataFrames in the training-rows format): ``train``, ``valid``,
    ``scored`` (the held-out source's rows the fold scores), ``which`` ("test" or "all")
    and ``copies``, what :func:`drop_held_out_copies` dropped."""

    train: Any
    valid: Any
    scored: Any
    which: str
    copies: dict[str, Any]


def split_fold(rows, source: str, caps: Caps) -> Fold:
    """The fold holding ``source`` out: its test rows scored when it has at least 50, else
    all its rows; train and validation rows of the other sources (capped by ``caps``),
    less every row that copies a scored row (:func:`drop_held_out_copies`)."""
    rest = rows[rows["source"] != source]
    held = rows[rows["source"] == source]
    test = held[held["split"] == "test"]
    scored, which = (test, "test") if len(test) >= 50 else (held, "all")
    train = _cap(rest[rest["split"] == "train"], caps.train_per_source, caps.seed, "train")
    if caps.train_total and len(train) > caps.train_total:
        order = sorted(range(len(train)), key=lambda i: stable_unit("total", caps.seed, i))
        train = train.iloc[sorted(order[: caps.train_total])]
    valid = _cap(rest[rest["split"] == "validation"], caps.valid_per_source, caps.seed, "valid")
    scored = _sample(scored, caps.eval_rows, caps.seed, f"eval:{source}")
    train, valid, copies = drop_held_out_copies(train, valid, scored)
    if copies["exact"] or copies["near"]:
        log.info(
            "fold %s: dropped %d training/validation rows copying a scored row (%d exact, %d near)",
            source,
            copies["exact"] + copies["near"],
            copies["exact"],
            copies["near"],
        )
    return Fold(train, valid, scored, which, copies)


def fold_rows(rows, source: str, caps: Caps) -> tuple[Any, Any, Any, str]:
    """(train, validation, evaluation rows, which rows are scored) of :func:`split_fold`."""
    fold = split_fold(rows, source, caps)
    return fold.train, fold.valid, fold.scored, fold.which


def drop_held_out_copies(train, valid, scored) -> tuple[Any, Any, dict[str, Any]]:
    """``train`` and ``valid`` without the rows whose text copies a ``scored`` row: the
    same text, or a near-copy of one (:func:`annotate.training.fold_copies.held_out_copies`:
    a source may hold another's posts, which holding out by ``source`` leaves in).
    Returns (train, valid, ``{"exact", "near", "by_split": {split: n}, "by_source":
    {source: n}}``), counts of dropped rows (``near`` does not count the exact ones)."""
    from annotate.training.fold_copies import held_out_copies

    fit_texts = [*map(str, train["text"]), *map(str, valid["text"])]
    exact, near = held_out_copies(fit_texts, list(map(str, scored["text"])))
    gone = exact | near
    n = len(train)
    by_split = {TRAIN: int(gone[:n].sum()), VALIDATION: int(gone[n:].sum())}
    sources = [*map(str, train["source"]), *map(str, valid["source"])]
    by_source: dict[str, int] = {}
    for i in np.flatnonzero(gone):
        by_source[sources[i]] = by_source.get(sources[i], 0) + 1
    copies = {
        "exact": int(exact.sum()),
        "near": int(near.sum()),
        "by_split": by_split,
        "by_source": dict(sorted(by_source.items())),
    }
    return train[~gone[:n]], valid[~gone[n:]], copies


def predicted_flags(model: Fitted, rows, probs: np.ndarray) -> np.ndarray:
    """(n_rows, n_labels) bool: the labels ``model`` gives ``rows`` (its decision rules
    where it has them, else ``probs`` at its thresholds)."""
    names = list(model.labels)
    if hasattr(model, "predict_labels"):
        pred = np.zeros_like(probs, dtype=bool)
        for i, labs in enumerate(model.predict_labels(rows)):
            for lab in labs:
                pred[i, names.index(lab)] = True
        return pred
    t = np.array([model.thresholds.get(n, 0.5) for n in names])
    return probs >= t


def score_fold(
    model: Fitted,
    rows,
    labels: Sequence[str],
    harmful: Sequence[str],
    probs: np.ndarray | None = None,
) -> dict[str, Any]:
    """Per-label and false-flag figures of one model on the held-out rows; ``probs``:
    its (rows, labels) scores of ``rows`` when already computed."""
    names = list(labels)
    if list(model.labels) != names:
        raise TrainingError(f"model labels {model.labels} differ from the taxonomy's {names}.")
    if probs is None:
        probs = np.asarray(model.predict_proba(rows), dtype=np.float64)
    pred = predicted_flags(model, rows, probs)
    y = label_matrix(rows, len(names))
    w = rows["eval_weight"].to_numpy(float) if "eval_weight" in rows else np.ones(len(rows))
    per_label: dict[str, Any] = {}
    for j, name in enumerate(names):
        m = y[:, j] >= 0
        if not m.any():
            continue
        yy, pp, pr, ww = y[m, j], probs[m, j], pred[m, j], w[m]
        npos = int(yy.sum())
        entry: dict[str, Any] = {"n": int(m.sum()), "positives": npos}
        if npos:
            tp = float(ww[pr & (yy == 1)].sum())
            entry["auprc"] = _r(_auprc(pp, yy, ww))
            entry["recall"] = _r(tp / ww[yy == 1].sum())
            entry["precision"] = _r(tp / ww[pr].sum()) if pr.any() else None
        else:
            entry["false_positive_rate"] = _r(float(np.average(pr, weights=ww)))
        entry["threshold"] = _r(model.thresholds.get(name))
        per_label[name] = entry
    sels, h, neg_h = false_flag_rows(y, names, harmful)
    flagged = (pred[:, h] & neg_h).any(1)
    false_flags: dict[str, Any] = {}
    for ctx, sel in sels.items():
        rate = float(np.average(flagged[sel], weights=w[sel]))
        false_flags[ctx] = {"n": int(sel.sum()), "rate": _r(rate)}
    return {"labels": per_label, "false_flags": false_flags}


def false_flag_rows(
    y: np.ndarray, names: Sequence[str], harmful: Sequence[str]
) -> tuple[dict[str, np.ndarray], list[int], np.ndarray]:
    """The rows whose false flags are counted, per context row kind of
    :data:`CONTEXT_ROWS` (a (n_rows,) bool mask; kinds with no row left out): rows that
    supervise that context label and deny a harmful one, none confirmed (``none``: also
    rows supervising no context label that deny every harm). Also the harmful columns
    and (n_rows, n_harmful) bool: which harmful labels each row denies.
    ``y``: (n_rows, n_labels) of 1 / 0 / -1 (unsupervised), columns in ``names``."""
    names = list(names)
    h = [names.index(x) for x in harmful]
    neg_h = y[:, h] == 0  # harmful labels each row supervises as negatives
    sels: dict[str, np.ndarray] = {}
    for ctx in CONTEXT_ROWS:
        j = names.index(ctx)
        sel = (y[:, j] == 1) & neg_h.any(1) & ~(y[:, h] == 1).any(1)
        if ctx == "none":  # rows that supervise no context label but deny every harm
            sel |= (y[:, j] == -1) & (y[:, h] >= 0).any(1) & ~(y[:, h] == 1).any(1)
            sel &= ~(y[:, [names.index(c) for c in CONTEXT_ROWS[1:]]] == 1).any(1)
        if sel.any():
            sels[ctx] = sel
    return sels, h, neg_h


def _decisions(scored: dict[str, Any]) -> dict[str, Any]:
    """The parts of a fold's score that decision rules change (no AUPRC)."""
    keep = ("recall", "precision", "false_positive_rate", "threshold")
    return {
        "labels": {
            name: {k: v for k, v in e.items() if k in keep} for name, e in scored["labels"].items()
        },
        "false_flags": scored["false_flags"],
    }


def _auprc(p: np.ndarray, y: np.ndarray, w: np.ndarray) -> float | None:
    if np.all(w == 1):
        return auprc(p, y)
    from sklearn.metrics import average_precision_score

    return float(average_precision_score(y, p, sample_weight=w))


def _r(x: float | None) -> float | None:
    return None if x is None else round(float(x), 4)


def cross_source(
    rows,
    labels: Sequence[str],
    harmful: Sequence[str],
    *,
    fit_model: FitFn | None,
    fit_baseline: FitFn | None,
    caps: Caps = Caps(),
    sources: Sequence[str] | None = None,
    on_fold: Callable[[str, str], None] | None = None,
    on_report: Callable[[dict[str, Any]], None] | None = None,
    rule_variants: Mapping[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Run every fold; returns the report dict written to cross_source.json.

    ``rule_variants`` (name -> settings): where the fitted model has
    ``variant(settings, rows_valid)``, each variant of it is scored on the same fold too
    (``fold["model"]["rule_variants"][name]``: recall, precision and false flags; the
    AUPRC is the model's own, decision rules do not change scores).

    ``on_fold(source, side)`` is called after each fit (for a progress bar),
    ``on_report(partial report)`` after each fold (to keep partial results).
    Raises TrainingError when a requested source is not a labeled public source."""
    avail = held_out_sources(rows)
    todo = list(sources) if sources else avail
    bad = [s for s in todo if s not in avail]
    if bad:
        raise TrainingError(
            f"no labeled public source named {', '.join(bad)}; have: {', '.join(avail) or '-'}.",
            fix="pass one of the public sources of the config.",
        )
    folds = []
    for src in todo:
        parts = split_fold(rows, src, caps)
        train, valid, scored = parts.train, parts.valid, parts.scored
        fold: dict[str, Any] = {
            "source": src,
            "scored_rows": parts.which,
            "n_train": len(train),
            "n_valid": len(valid),
            "n_scored": len(scored),
            "train_sources": sorted(map(str, train["source"].unique())),
            "held_out_copies_dropped": parts.copies,
        }
        scores: dict[str, np.ndarray] = {}
        for side, fit in (("model", fit_model), ("baseline", fit_baseline)):
            if fit is None:
                continue
            t0 = time.monotonic()
            log.info("fold %s: fitting %s on %d rows", src, side, len(train))
            fitted = fit(train, valid)
            scores[side] = np.asarray(fitted.predict_proba(scored), dtype=np.float64)
            fold[side] = score_fold(fitted, scored, labels, harmful, scores[side])
            fold[side]["seconds"] = round(time.monotonic() - t0, 1)
            if side == "model" and rule_variants and hasattr(fitted, "variant"):
                fold[side]["rule_variants"] = {
                    name: _decisions(
                        score_fold(fitted.variant(upd, valid), scored, labels, harmful)
                    )
                    for name, upd in rule_variants.items()
                }
            if on_fold:
                on_fold(src, side)
        if len(scores) == 2:
            from annotate.training.fold_margins import paired_margins

            fold["margin_ci"] = paired_margins(scored, scores["model"], scores["baseline"], labels)
        folds.append(fold)
        if on_report:
            pending = todo[len(folds) :]
            on_report(
                {
                    "caps": caps.__dict__,
                    "folds": folds,
                    "comparison": compare(folds),
                    **({"not_run": pending} if pending else {}),
                }
            )
    return {"caps": caps.__dict__, "folds": folds, "comparison": compare(folds)}


def compare(folds: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per fold and label with positives: does the model beat the baseline's AUPRC?
    Where the fold has the paired interval of the margin (``margin_ci``, from
    :func:`annotate.training.fold_margins.paired_margins`), also ``margin_ci`` and
    ``beyond_noise`` (the interval excludes 0)."""
    from annotate.training.fold_margins import beyond_noise

    out = []
    for f in folds:
        if "model" not in f or "baseline" not in f:
            continue
        for name, m in f["model"]["labels"].items():
            b = f["baseline"]["labels"].get(name, {})
            if m.get("auprc") is None or b.get("auprc") is None:
                continue
            out.append(
                {
                    "source": f["source"],
                    "label": name,
                    "model": m["auprc"],
                    "baseline": b["auprc"],
                    "model_wins": m["auprc"] > b["auprc"],
                }
            )
            if name in (f.get("margin_ci") or {}):
                out[-1]["margin_ci"] = f["margin_ci"][name]
                out[-1]["beyond_noise"] = beyond_noise(f["margin_ci"][name])
    return out


def _caps_text(report: dict[str, Any]) -> str:
    c = report.get("caps", {})
    parts = [
        f"at most {c.get('train_per_source')} training rows per source"
        if c.get("train_per_source") is not None
        else "",
        f"{c.get('train_total')} in all" if c.get("train_total") else "",
        f"{c.get('valid_per_source')} validation rows per source"
        if c.get("valid_per_source") is not None
        else "",
        f"{c.get('eval_rows')} scored rows" if c.get("eval_rows") is not None else "",
        f"at most {report['finetune_rows_per_source']} training rows per public source "
        "(the config's finetune.max_rows_per_source)"
        if c.get("train_per_source") is None and report.get("finetune_rows_per_source")
        else "",
    ]
    return ", ".join(x for x in parts if x)


def _epochs_text(report: dict[str, Any]) -> str:
    """' (N fine-tuning epoch(s))' for a fine-tuning recipe, else ''."""
    return f" ({report['fold_epochs']} fine-tuning epoch(s))" if "fold_epochs" in report else ""


def _fmt(x: Any, digits: int = 2) -> str:
    return "–" if x is None else (f"{x:.{digits}f}" if isinstance(x, float) else str(x))


def markdown(report: dict[str, Any]) -> str:
    """The Markdown tables of cross_source.md: model vs baseline per source and label."""
    lines = [
        "# Cross-source evaluation",
        "",
        "Each public source held out in turn: trained on every other source (project data "
        "included), scored on the held-out source's test rows (`all` where it has fewer "
        "than 50; when capped, rows with a rare label are all kept and the others sampled "
        "and weighted back to their share). Model = the config's recipe (trainer "
        f"`{report.get('trainer', 'finetune')}`"
        + (f", encoder `{report['encoder']}`" if report.get("encoder") else "")
        + "), baseline = frozen encoder embeddings"
        + (f" (`{report['baseline_encoder']}`)" if report.get("baseline_encoder") else "")
        + " + logistic regression, same folds. Recall and precision at each side's thresholds "
        "(chosen on the fold's validation rows).",
        "",
        (
            "Every fold retrains the configuration from scratch on capped rows "
            f"({_caps_text(report)}){_epochs_text(report)}, so these figures measure the "
            "training recipe on fewer rows than the shipped model saw; they are not the "
            "shipped model's own scores."
            if _caps_text(report)
            else "Every fold retrains the configuration from scratch on all the rows of the "
            f"other sources (no caps){_epochs_text(report)}, so these figures measure the "
            "training recipe, not the shipped model's own scores."
        ),
        "",
        "| held-out source | scored rows | training rows (sources) | validation rows "
        "| fit seconds model / baseline |",
        "|---|---|---|---|---|",
        *[
            table_row(
                [
                    f["source"],
                    f"{f['n_scored']} ({f['scored_rows']})",
                    f"{f['n_train']} ({len(f['train_sources'])})",
                    f["n_valid"],
                    f"{_fmt(f.get('model', {}).get('seconds'))} / "
                    f"{_fmt(f.get('baseline', {}).get('seconds'))}",
                ]
            )
            for f in report["folds"]
        ],
        *_copies_markdown(report),
        "",
        "| held-out source (rows) | label | n (pos) | AUPRC model | AUPRC baseline "
        "| recall model / baseline | precision model / baseline |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in report["folds"]:
        m = f.get("model", {}).get("labels", {})
        b = f.get("baseline", {}).get("labels", {})
        for name in sorted(set(m) | set(b)):
            mm, bb = m.get(name, {}), b.get(name, {})
            ref = mm or bb
            if ref.get("positives"):
                lines.append(
                    table_row(
                        [
                            f"{f['source']} ({f['scored_rows']})",
                            name,
                            f"{ref['n']} ({ref['positives']})",
                            _fmt(mm.get("auprc"), 4),
                            _fmt(bb.get("auprc"), 4),
                            f"{_fmt(mm.get('recall'))} / {_fmt(bb.get('recall'))}",
                            f"{_fmt(mm.get('precision'))} / {_fmt(bb.get('precision'))}",
                        ]
                    )
                )
    lines += [
        "",
        "False flags (share of rows given a harmful label they deny; n rows), and false "
        "positives of labels a source supervises only as negatives:",
        "",
        "| held-out source | rows | n | model | baseline |",
        "|---|---|---|---|---|",
    ]
    for f in report["folds"]:
        m, b = f.get("model", {}), f.get("baseline", {})
        ff_m, ff_b = m.get("false_flags", {}), b.get("false_flags", {})
        for ctx in CONTEXT_ROWS:
            ref = ff_m.get(ctx) or ff_b.get(ctx)
            if ref:
                lines.append(
                    table_row(
                        [
                            f["source"],
                            ctx,
                            ref["n"],
                            _fmt((ff_m.get(ctx) or {}).get("rate")),
                            _fmt((ff_b.get(ctx) or {}).get("rate")),
                        ]
                    )
                )
        for name, ref in (m.get("labels") or b.get("labels") or {}).items():
            if not ref.get("positives"):
                lines.append(
                    table_row(
                        [
                            f["source"],
                            f"{name} (negatives only)",
                            ref["n"],
                            _fmt(m.get("labels", {}).get(name, {}).get("false_positive_rate")),
                            _fmt(b.get("labels", {}).get(name, {}).get("false_positive_rate")),
                        ]
                    )
                )
    lines += _variants_markdown(report)
    if report.get("not_run"):
        lines += ["", f"Held-out sources not run: {', '.join(report['not_run'])}."]
    comp = report.get("comparison") or []
    if comp:
        wins = sum(c["model_wins"] for c in comp)
        lines += ["", f"Model AUPRC above the baseline's in {wins} of {len(comp)} (source, label)."]
        paired = [c for c in comp if c.get("margin_ci")]
        if paired:
            beyond = [c for c in paired if c["beyond_noise"] and c["model_wins"]]
            below = [c for c in paired if c["beyond_noise"] and not c["model_wins"]]
            lines[-1] += (
                f" Above it beyond noise (paired 95% interval of model - baseline, documents "
                f"resampled, excludes 0) in {len(beyond)} of {len(paired)}"
                + (f", below it beyond noise in {len(below)}" if below else "")
                + f"; level within noise in {len(paired) - len(beyond) - len(below)}."
            )
        lost = [c for c in comp if not c["model_wins"]]
        if lost:
            lines[-1] += (
                " Not above it: "
                + "; ".join(
                    f"{c['source']} {c['label']} {c['model']:.4f} vs {c['baseline']:.4f}"
                    for c in lost
                )
                + "."
            )
    return "\n".join(lines) + "\n"


def _copies_markdown(report: dict[str, Any]) -> list[str]:
    """The line on held-out copies dropped from each fold's fit rows; none for a report
    written before they were dropped."""
    done = [f for f in report["folds"] if "held_out_copies_dropped" in f]
    if not done:
        return []
    parts = []
    for f in done:
        c = f["held_out_copies_dropped"]
        where = ", ".join(f"{k} {v}" for k, v in c.get("by_source", {}).items())
        parts.append(f"{f['source']} {c['exact']} / {c['near']}" + (f" ({where})" if where else ""))
    return [
        "",
        "Training and validation rows dropped from each fold because they copy a scored "
        "row of the held-out source (posts another source also holds; exact / near-copies, "
        f"shingle Jaccard >= {DEFAULT_NEAR_DUP_THRESHOLD}): {'; '.join(parts)}.",
    ]


def _variants_markdown(report: dict[str, Any]) -> list[str]:
    """Rows of the decision-rule variants table (empty without variants)."""
    folds = [f for f in report["folds"] if f.get("model", {}).get("rule_variants")]
    if not folds:
        return []
    lines = [
        "",
        "Decision-rule variants (same fitted fold models; `as trained` = the config's own "
        "rules): recall of each label the held-out source has, and false flags on its "
        "`none`, `news_reporting` and `counter_speech` rows.",
        "",
        "| held-out source | variant | recall per label | false flags none / news / counter |",
        "|---|---|---|---|",
    ]
    for f in folds:
        m = f["model"]
        for name, res in (("as trained", m), *m["rule_variants"].items()):
            rec = ", ".join(
                f"{lab} {_fmt(e.get('recall'))}"
                for lab, e in sorted(res["labels"].items())
                if e.get("recall") is not None
            )
            ff = " / ".join(
                _fmt((res["false_flags"].get(c) or {}).get("rate")) for c in CONTEXT_ROWS
            )
            lines.append(table_row([f["source"], name, rec, ff]))
    return lines


def write_report(report: dict[str, Any], out: Path) -> tuple[Path, Path]:
    """Write cross_source.json and cross_source.md into ``out`` atomically and durably."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in (
        ("cross_source.json", json.dumps(report, indent=2, sort_keys=False) + "\n"),
        ("cross_source.md", markdown(report)),
    ):
        atomic_write_text(out / name, text)
        paths.append(out / name)
    return paths[0], paths[1]


def run_cross_source(
    config: Path,
    out: Path,
    *,
    caps: Caps = Caps(),
    sources: Sequence[str] | None = None,
    model: bool = True,
    baseline: bool = True,
    fold_epochs: float | None = None,
    labels_path: Path | None = None,
    data_root: Path | None = None,
    cache_dir: Path | None = None,
    on_rows: Callable[[int], None] | None = None,
    on_fold: Callable[[str, str], None] | None = None,
    embed_progress: Callable[[int], None] | None = None,
    baseline_embed_progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Cross-source evaluation of a training config (``annotate evaluate --cross-source``):
    load its rows (:func:`annotate.training.rows.load_rows`), run every fold with the
    config's fine-tune fit (``fold_epochs`` overrides its epochs) and the frozen
    ``cfg.baseline_encoder`` + LogisticRegression baseline, write cross_source.json and
    cross_source.md into ``out``; return the report. ``embed_progress`` and
    ``baseline_embed_progress`` are called with the count of texts each encoder embeds
    (cache misses); their ``add_total(n)``, where they have one, hears how many a call
    will embed before it does, and their ``cached(n)`` the texts read from the cache
    (without one, those count as done: :func:`annotate._util.progress.cached`).
    ``data_root``: where the config's data sets not beside it are looked for
    (``--data-root``: :func:`annotate.training.config.load_train_config`). Raises
    TrainingError."""
    from annotate.taxonomy import load_taxonomy
    from annotate.training.baseline import cached_embedder, fit_baseline
    from annotate.training.config import (
        check_config,
        check_hub_encoders,
        fit_to_taxonomy,
        load_train_config,
    )
    from annotate.training.rows import load_rows

    tax = load_taxonomy(labels_path)
    # defaulted label settings: the labels tax has
    cfg = fit_to_taxonomy(load_train_config(config, data_root), tax)
    # a hub encoder it cannot get: said with the config's key before a fold runs
    keys = (("encoder",) if model else ()) + (("baseline_encoder",) if baseline else ())
    check_hub_encoders(cfg, config, keys)
    check_config(cfg, tax)  # a label the config writes that labels.yaml lacks, as train
    # the held-out rows are sampled here (rare positives kept, the rest weighted back),
    # not by the config's evaluation cap
    ft_caps: dict[str, None] = {}
    if getattr(cfg.finetune, "max_eval_rows_per_source", None) is not None:
        ft_caps["max_eval_rows_per_source"] = None
    # a fold cap on training rows replaces the config's own cap (else both apply, and
    # --fold-train-rows above the config's max_rows_per_source would change nothing)
    if caps.train_per_source is not None and cfg.trainer == "finetune":
        if cfg.finetune.max_rows_per_source is not None:
            log.info(
                "training rows per source: --fold-train-rows %d replaces the config's "
                "finetune.max_rows_per_source %d",
                caps.train_per_source,
                cfg.finetune.max_rows_per_source,
            )
        ft_caps["max_rows_per_source"] = None
    if ft_caps:
        cfg = cfg.model_copy(update={"finetune": cfg.finetune.model_copy(update=ft_caps)})
    rows, _ = load_rows(cfg, tax)
    if on_rows:
        on_rows(len(rows))
    labels = tax.category_names
    fit_model: FitFn | None = None
    if model and cfg.trainer == "frozen":
        from annotate.classifier.encoder import Encoder
        from annotate.training.embedding_cache import EmbeddingCache
        from annotate.training.frozen import RowFeatures, fit_frozen

        feats = RowFeatures(
            EmbeddingCache(
                Encoder(cfg.encoder, precision=cfg.precision, max_length=cfg.encoder_max_length),
                root=cache_dir,
            ),
            progress=embed_progress,
        )
        # the table scores categories only: no span head per fold
        fold_cfg = cfg.model_copy(update={"frozen": cfg.frozen.model_copy(update={"spans": False})})

        def fit_model(tr, va):
            return fit_frozen(tr, va, fold_cfg, tax, feats)

    elif model:
        from annotate.training.finetune import fit

        fold_cfg = cfg
        if fold_epochs is not None:
            fold_cfg = cfg.model_copy(
                update={"finetune": cfg.finetune.model_copy(update={"epochs": fold_epochs})}
            )

        def fit_model(tr, va):
            return fit(tr.reset_index(drop=True), va.reset_index(drop=True), fold_cfg, tax)

    fit_base: FitFn | None = None
    if baseline:
        embed = cached_embedder(
            cfg.baseline_encoder,
            cache_dir=cache_dir,
            max_length=cfg.encoder_max_length,
            progress=baseline_embed_progress,
        )

        def fit_base(tr, va):
            return fit_baseline(tr, va, labels, embed, seed=cfg.seed)

    meta = {
        "config": str(config),
        "name": cfg.name,
        "encoder": cfg.encoder,
        "baseline_encoder": cfg.baseline_encoder,
        "taxonomy_version": tax.version,
        "trainer": cfg.trainer,
    }
    if cfg.trainer == "finetune":
        meta["fold_epochs"] = fold_epochs if fold_epochs is not None else cfg.finetune.epochs
        meta["finetune_rows_per_source"] = cfg.finetune.max_rows_per_source
    else:
        meta["frozen"] = cfg.frozen.model_dump()

    def save(partial: dict[str, Any]) -> dict[str, Any]:
        full = {**meta, "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        full.update(partial)
        write_report(full, out)
        return full

    report = cross_source(
        rows,
        labels,
        tax.harmful,
        fit_model=fit_model,
        fit_baseline=fit_base,
        caps=caps,
        sources=sources,
        on_fold=on_fold,
        on_report=save,
        rule_variants=cfg.rule_variants if cfg.trainer == "frozen" else None,
    )
    return save(report)
