"""`annotate evaluate --model A --model B`: two models on the same labeled passages.

Per label, each model's AUPRC and F1 at its own thresholds, the difference B - A with a
paired bootstrap 95 % interval (annotate.evaluation.bootstrap: whole documents are
resampled when a document has several passages, single passages otherwise), and the
passages whose predicted labels differ between the models ("flips": counts, and a
sample in ``flips.jsonl``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from annotate._util.atomic import atomic_write_text, require_replaceable
from annotate._util.plural import counted
from annotate._util.progress import set_total
from annotate.audit.markdown import table_row
from annotate.classifier.base import Classifier, Prediction
from annotate.classifier.model_files import label_difference
from annotate.corpus.schema import SPLITS
from annotate.errors import InputError
from annotate.evaluation.bootstrap import ci, cluster_weights, weighted_auprc, weighted_f1
from annotate.evaluation.evaluate import (
    SPLIT_CHOICES,
    anchored_note,
    anchored_record,
    predict_examples,
    same_model,
    scored_examples,
    seen_note,
    split_origin,
    warn_reading,
)
from annotate.evaluation.metrics import auprc, pr_at
from annotate.evaluation.model_card import FEW_NOTE, FEW_POSITIVES
from annotate.evaluation.near_copies import near_copy_note, training_near_copies
from annotate.evaluation.trained_on import trained_on_data
from annotate.taxonomy import Taxonomy
from annotate.training.sources import DataSource, Example

log = logging.getLogger(__name__)

REPORT_FILE = "comparison.json"
MARKDOWN_FILE = "comparison.md"
FLIPS_FILE = "flips.jsonl"
FLIP_SAMPLE = 200  # passages written to flips.jsonl at most (a seeded sample)
RESAMPLES = 2000
CHUNK = 250  # resamples scored at once (bounds the (resamples, passages) weights' memory)


@dataclass
class CompareResult:
    report: dict[str, Any]
    out: Path


def require_same_labels(names: Sequence[str], labels: Sequence[Sequence[str] | None]) -> None:
    """Raise InputError when two models were trained for different categories (another
    taxonomy, or another order): their per-label figures do not compare. ``labels[i]``
    is model ``names[i]``'s category list, None when the model does not record one."""
    known = [(n, list(x)) for n, x in zip(names, labels, strict=True) if x is not None]
    if len(known) < 2:
        return
    (na, la), (nb, lb) = known[:2]
    difference = label_difference(la, lb)
    if difference is None:
        return
    diff = difference.said(
        f"only {na} has {{}}", f"only {nb} has {{}}", "the same categories in another order"
    )
    raise InputError(
        f"the two models were trained for different categories ({diff}): a comparison "
        "needs both to label passages with the same labels.yaml.",
        fix="compare models trained with the same labels.yaml, or retrain one of them "
        "with it (`annotate train --labels FILE`); or evaluate each alone, with the "
        "labels.yaml it was trained with (`annotate evaluate --model M --labels FILE "
        "--out DIR`), and read the two reports side by side.",
    )


def compare(
    clfs: Sequence[Classifier],
    tax: Taxonomy,
    data: Sequence[DataSource],
    out: str | Path,
    *,
    split: str = "all",
    seed: int,
    resamples: int = RESAMPLES,
    bootstrap_seed: int = 0,
    progress: Callable[[int], None] | None = None,
    model_progress: Callable[[str], Callable[[int], None] | None] | None = None,
) -> CompareResult:
    """Score two classifiers ``clfs`` (A, B) on the same labeled passages of ``data`` and
    write ``comparison.json``, ``comparison.md`` and ``flips.jsonl`` into ``out``.

    Per label: support, each model's AUPRC and precision/recall/F1 at its own thresholds,
    the difference B - A of AUPRC and F1 with a 95 % percentile interval over
    ``resamples`` paired bootstrap resamples (seeded with ``bootstrap_seed``; the unit is
    the document when some document has several passages, else the passage), and how
    many passages each model alone labels with it. ``split``/``seed`` choose the passages
    as in :func:`annotate.evaluation.evaluate.evaluate`. ``progress(n)`` is called as
    passages are scored (twice per passage: once per model); ``model_progress(side)``
    instead, when given, gives the progress of model ``side`` ("A", "B") alone, its
    total the passages (a line per model: "681 passages" each, not "1,362 passages" of
    681, passJ L3). ``training_near_copies``
    (``{"a": int | None, "b": ...}``): per model, the scored passages that are near-copies
    of its own training rows (:mod:`annotate.evaluation.near_copies`). ``models[i]``'s
    ``anchored`` (as one model's report.json ``anchored``): of the scored passages, those
    labelled by reviewers shown that model's own pre-labels (:func:`anchor_notes`).

    Raises InputError (not two models, models of different categories, unknown or empty
    split, no labeled passages), TrainingError (unreadable data), ModelError.
    """
    if len(clfs) != 2:
        raise InputError(
            f"a comparison takes two models; {len(clfs)} given.",
            fix="pass --model twice (A, then B).",
        )
    if split not in SPLIT_CHOICES:
        raise InputError(f"unknown split {split!r}.", fix=f"use one of {', '.join(SPLIT_CHOICES)}.")
    require_same_labels([c.version for c in clfs], [list(c.labels) for c in clfs])
    out = Path(out)
    require_replaceable(
        out,
        (REPORT_FILE,),
        "a comparison report folder",
        "reports/NAME",
        consequence="the report would be written among them.",
        reuse="overwrite it",
    )
    examples, described = scored_examples(clfs, tax, data, split, seed)
    near = [training_near_copies(c, tax, examples) for c in clfs]
    for c in clfs:
        warn_reading(c)
    preds = []
    for side, c in zip("AB", clfs, strict=True):
        each = progress
        if model_progress is not None:
            each = model_progress(side)
            set_total(each, len(examples))
        preds.append(predict_examples(c, examples, each))
    labels = tax.category_names
    probs = [np.array([[p.scores[n] for n in labels] for p in ps], np.float64) for ps in preds]
    pred = [np.array([[n in p.labels for n in labels] for p in ps], bool) for ps in preds]
    gold = np.array([[n in e.labels for n in labels] for e in examples], bool)
    known = np.array([[n in e.known for n in labels] for e in examples], bool)

    groups = [e.doc_key for e in examples]
    by_doc = len(set(groups)) < len(groups)
    rng = np.random.default_rng(bootstrap_seed)
    units = groups if by_doc else [str(i) for i in range(len(examples))]
    per_label = _per_label(labels, probs, pred, gold, known, units, resamples, rng)

    flips = np.nonzero((pred[0] != pred[1]).any(axis=1))[0]
    sample = _flip_rows(examples, preds, flips, bootstrap_seed)
    versions = [c.version for c in clfs]
    anchored = [
        anchored_record(
            v,
            examples,
            np.array([same_model(v, e.meta.get("shown_model_versions")) for e in examples], bool),
        )
        for v in versions
    ]
    rep: dict[str, Any] = {
        "models": [
            {
                "name": side,
                "version": c.version,
                "thresholds": dict(getattr(c, "thresholds", {})),
                "trained_on_data": trained_on_data(c, described),
                "training_near_copy_search": found.as_dict(),
                "anchored": anchor,
            }
            for side, c, found, anchor in zip("ab", clfs, near, anchored, strict=True)
        ],
        "training_near_copies": {side: found.count for side, found in zip("ab", near, strict=True)},
        "n": len(examples),
        "split": split,
        "split_seed": seed,
        "split_counts": {
            name: k for name in SPLITS if (k := sum(e.split == name for e in examples))
        },
        "data": described,
        "bootstrap": {
            "unit": "document" if by_doc else "passage",
            "units": len(set(units)),
            "resamples": resamples,
            "seed": bootstrap_seed,
            "interval": "95 % percentile, paired (both models on each resample)",
        },
        "per_label": per_label,
        "macro_f1": _macro_f1(per_label),
        "flips": {
            "passages": len(flips),
            "sample": FLIPS_FILE,
            "sample_size": len(sample),
        },
    }
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_text(
        out / FLIPS_FILE, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in sample)
    )
    atomic_write_text(out / MARKDOWN_FILE, _markdown(rep, labels, versions, sample))
    atomic_write_text(out / REPORT_FILE, json.dumps(rep, indent=2) + "\n")
    log.info("wrote %s", out)
    return CompareResult(rep, out)


def _r(v: float | None) -> float | None:
    return None if v is None or not np.isfinite(v) else round(float(v), 4)


def _per_label(
    labels: Sequence[str],
    probs: Sequence[np.ndarray],
    pred: Sequence[np.ndarray],
    gold: np.ndarray,
    known: np.ndarray,
    units: Sequence[str],
    resamples: int,
    rng: np.random.Generator,
) -> dict[str, Any]:
    """Each label's figures (see :func:`compare`); the same resamples for every label."""
    chunks = []
    left = resamples
    while left > 0:
        w, _ = cluster_weights(units, min(CHUNK, left), rng)
        chunks.append(w)
        left -= len(w)
    out: dict[str, Any] = {}
    for j, name in enumerate(labels):
        m = known[:, j]
        y = gold[m, j].astype(float)
        entry: dict[str, Any] = {"support": int(y.sum()), "n": int(m.sum())}
        for side, p, pr in zip("ab", probs, pred, strict=True):
            prec, rec, f1 = pr_at(pr[m, j].astype(float), y, 0.5)
            labeled = int(pr[m, j].sum())
            # undefined, not 0 (as evaluate's report): precision of a label given to no
            # passage, recall and F1 of one without a gold positive
            entry[side] = {
                "auprc": _r(auprc(p[m, j], y)),
                "precision": _r(prec) if labeled else None,
                "recall": _r(rec) if entry["support"] else None,
                "f1": _r(f1) if entry["support"] else None,
                "labeled": labeled,
            }
        both = {"auprc": entry["a"]["auprc"], "f1": entry["a"]["f1"]}
        d_auprc, d_f1 = [], []
        if m.any():
            for w in chunks:
                wm = w[:, m]
                aa = [weighted_auprc(y, p[m, j], wm) for p in probs]
                ff = [weighted_f1(y, pr[m, j], wm) for pr in pred]
                d_auprc.append(aa[1] - aa[0])
                d_f1.append(ff[1] - ff[0])
        entry["auprc_diff"] = (
            None
            if both["auprc"] is None or entry["b"]["auprc"] is None
            else round(entry["b"]["auprc"] - both["auprc"], 4)
        )
        entry["auprc_diff_ci"] = (
            ci(np.concatenate(d_auprc)) if d_auprc and entry["auprc_diff"] is not None else None
        )
        entry["f1_diff"] = (
            None if not entry["support"] else round(entry["b"]["f1"] - entry["a"]["f1"], 4)
        )
        entry["f1_diff_ci"] = ci(np.concatenate(d_f1)) if d_f1 and entry["support"] else None
        a_lab, b_lab = pred[0][:, j], pred[1][:, j]
        entry["flips"] = {
            "a_only": int((a_lab & ~b_lab).sum()),
            "b_only": int((b_lab & ~a_lab).sum()),
        }
        out[name] = entry
    return out


def _macro_f1(per_label: dict[str, Any]) -> dict[str, float | None]:
    """Each model's mean F1 over the labels with support (as evaluate's macro F1)."""
    seen = [v for v in per_label.values() if v["support"]]
    res: dict[str, float | None] = {
        side: round(float(np.mean([v[side]["f1"] for v in seen])), 4) if seen else None
        for side in "ab"
    }
    res["diff"] = None if not seen else round(res["b"] - res["a"], 4)  # type: ignore[operator]
    return res


def _flip_rows(
    examples: Sequence[Example],
    preds: Sequence[Sequence[Prediction]],
    flips: np.ndarray,
    seed: int,
) -> list[dict[str, Any]]:
    """Up to FLIP_SAMPLE flipped passages (a seeded sample, in data order)."""
    chosen = flips
    if len(flips) > FLIP_SAMPLE:
        chosen = np.sort(np.random.default_rng(seed).choice(flips, FLIP_SAMPLE, replace=False))
    rows = []
    for i in chosen:
        e, a, b = examples[i], preds[0][i], preds[1][i]
        rows.append(
            {
                # a table or saved dataset without an 'id' column: its document and
                # passage number (as training rows name it), not an empty cell
                "id": e.id or f"{e.doc_key}:{e.index}",
                "doc_id": e.doc_key,
                "passage_index": e.index,
                "split": e.split,
                "text": e.text,
                "gold": sorted(e.labels),
                "labels_a": a.labels,
                "labels_b": b.labels,
                "scores_a": {k: round(v, 4) for k, v in a.scores.items()},
                "scores_b": {k: round(v, 4) for k, v in b.scores.items()},
            }
        )
    return rows


def _f(v: float | None) -> str:
    return "–" if v is None else f"{v:.3f}"


def _d(v: float | None) -> str:
    return "–" if v is None else f"{v:+.3f}"


def held_out_notes(rep: dict[str, Any]) -> tuple[str, str]:
    """(warning, note) on the train and validation rows among the scored passages, per
    model (``rep["models"][i]["trained_on_data"]``, as in
    :func:`annotate.evaluation.evaluate.seen_note`): the warning that they overstate the
    models whose training record names this data (or records none), saying which model
    when only one; the note that they are held out when neither record names it. Each
    "" when it does not apply."""
    counts = rep.get("split_counts") or {}
    if not (counts.get("train") or counts.get("validation")):
        return "", ""
    flags = {m["name"].upper(): m.get("trained_on_data") for m in rep.get("models") or []}
    seen = [k for k, v in flags.items() if v is not False]
    held = [k for k, v in flags.items() if v is False]
    if not seen:
        return "", (
            "neither model's training record (annotate_model.json training.data) names these "
            "data sources (by file SHA-256, path, mapped data set or export project), so their "
            "train and validation splits are held out for both; every passage is scored"
        )
    warning = seen_note({**rep, "trained_on_data": None})
    if held:
        warning += (
            f" This concerns model {seen[0]} only: model {held[0]}'s training record names "
            "none of these data sources, so every split is held out for it."
        )
    return warning, ""


def seen_in_summary(rep: dict[str, Any]) -> str:
    """`` (N of them in the train and validation splits model B was trained on: not held
    out)`` for the summary line, after its passage count, when :func:`held_out_notes`
    warns (a model whose training record names this data, or records none); else ``""``.
    The warning says it too, a line later: a summary read alone took a fit to a model's
    own training rows for a win (new-user pass 62)."""
    counts = rep.get("split_counts") or {}
    rows = int(counts.get("train") or 0) + int(counts.get("validation") or 0)
    seen = [
        m["name"].upper() for m in rep.get("models") or [] if m.get("trained_on_data") is not False
    ]
    if not rows or not seen:
        return ""
    who = "both models were" if len(seen) > 1 else f"model {seen[0]} was"
    return f" ({rows} of them in the train and validation splits {who} trained on: not held out)"


def copy_notes(rep: dict[str, Any]) -> list[tuple[str, str]]:
    """(model side "a" / "b", warning) for each model of a comparison report that has
    scored passages near-copying its own training rows (``training_near_copies``)."""
    counts = rep.get("training_near_copies") or {}
    versions = {m["name"]: m["version"] for m in rep.get("models") or []}
    return [
        (side, text)
        for side in ("a", "b")
        if (text := near_copy_note(counts.get(side), versions.get(side, side), REPORT_FILE))
    ]


# one model shown on at least this many times the other's passages: the comparison
# favours it (break6 K10: 500 against 3 said nothing of which way it leans)
FAVOURS_RATIO = 2


def anchor_notes(rep: dict[str, Any]) -> list[tuple[str, str]]:
    """(model side "a" / "b", warning) for each model of a comparison report some of whose
    scored passages were labelled by reviewers shown that model's own pre-labels
    (``models[i]["anchored"]``, :func:`annotate.evaluation.evaluate.anchored_note`): its
    figures there are biased upward by anchoring, and so is its side of B - A. Where one
    model was shown on :data:`FAVOURS_RATIO` times as many passages as the other or more
    (the other on none: passD51 D11; on a few: break6 K10), each note says the comparison
    favours it, with both counts; where both were shown on about as many, that it leans
    neither way clearly."""
    models = rep.get("models") or []
    shown = {m["name"]: int((m.get("anchored") or {}).get("passages") or 0) for m in models}
    out = []
    for m in models:
        side = m["name"]
        text = anchored_note({"anchored": m.get("anchored")})
        if not text:
            continue
        other = next((k for k in shown if k != side), None)
        if other is not None and not shown[other]:
            text += (
                f"; model {other.upper()} was shown on none of them, so the comparison favours "
                f"model {side.upper()} there"
            )
        elif other is not None:
            big, small = sorted((side, other), key=lambda k: -shown[k])
            counts = " and ".join(f"model {k.upper()} on {shown[k]:,}" for k in sorted(shown))
            if shown[big] >= FAVOURS_RATIO * shown[small]:
                text += (
                    f"; of the scored passages, reviewers were shown {counts}, so the "
                    f"comparison favours model {big.upper()}"
                )
            else:
                text += (
                    f"; of the scored passages, reviewers were shown {counts}, about as many: "
                    "both sides are biased upward, and the comparison favours neither clearly"
                )
        out.append((side, text))
    return out


def _interval(v: list[float] | None) -> str:
    return "–" if v is None else f"[{v[0]:+.3f}, {v[1]:+.3f}]"


def _markdown(
    rep: dict[str, Any], labels: Sequence[str], versions: Sequence[str], sample: list[dict]
) -> str:
    a, b = versions
    bs = rep["bootstrap"]
    unit = (
        f"{counted(bs['units'], 'document')} resampled whole"
        if bs["unit"] == "document"
        else f"{counted(bs['units'], 'passage')} resampled one by one (every document has one "
        "passage)"
    )
    warning, note = held_out_notes(rep)
    lines = [
        f"# Comparison: A `{a}` vs B `{b}`",
        "",
        f"Split: {rep['split']} ({split_origin(rep)}); {counted(rep['n'], 'passage')}, scored "
        "by both. "
        "Each model at its own thresholds. Differences are B - A with a paired bootstrap "
        f"95 % interval ({bs['resamples']} resamples; {unit}).",
        "",
        *([f"**Not held out:** {warning}", ""] if warning else []),
        *([f"**Held out:** {note}.", ""] if note else []),
        *(f"**Near-copies ({side.upper()}):** {text}\n" for side, text in copy_notes(rep)),
        *(
            f"**Not held out (anchoring, {side.upper()}):** {text}.\n"
            for side, text in anchor_notes(rep)
        ),
        "| label | support | AUPRC A | AUPRC B | B - A | 95 % CI | F1 A | F1 B | B - A | 95 % CI "
        "| only A labels | only B labels |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    few = False
    for name in labels:
        m = rep["per_label"][name]
        if not m["n"]:
            continue
        star = "\\*" if 0 < m["support"] < FEW_POSITIVES else ""
        few |= bool(star)
        lines.append(
            f"| {name} | {m['support']}{star} | {_f(m['a']['auprc'])} | {_f(m['b']['auprc'])} | "
            f"{_d(m['auprc_diff'])} | {_interval(m['auprc_diff_ci'])} | {_f(m['a']['f1'])} | "
            f"{_f(m['b']['f1'])} | {_d(m['f1_diff'])} | {_interval(m['f1_diff_ci'])} | "
            f"{m['flips']['a_only']} | {m['flips']['b_only']} |"
        )
    mf = rep["macro_f1"]
    fl = rep["flips"]
    lines += [
        "",
        f"Macro F1 (labels with support): A {_f(mf['a'])}, B {_f(mf['b'])} ({_d(mf['diff'])}).",
        "An interval that spans 0 means these passages cannot tell the models apart on "
        "that label. A label without positives has no AUPRC or F1 (–: undefined, not 0).",
        *(["", FEW_NOTE] if few else []),
        "",
        "## Passages whose labels differ",
        "",
        f"{fl['passages']} of {counted(rep['n'], 'passage')} get different labels from A and B; "
        f"{fl['sample_size']} are in `{FLIPS_FILE}` (gold, both models' labels and scores).",
    ]
    if sample:
        lines += ["", "| passage | gold | A | B | text |", "|---|---|---|---|---|"]
        for r in sample[:10]:
            text = r["text"][:80] + ("…" if len(r["text"]) > 80 else "")
            lines.append(
                table_row(
                    [
                        r["id"],
                        ", ".join(r["gold"]),
                        ", ".join(r["labels_a"]) or "–",
                        ", ".join(r["labels_b"]) or "–",
                        text,
                    ]
                )
            )
    return "\n".join(lines) + "\n"
