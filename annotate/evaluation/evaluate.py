"""`annotate evaluate`: measure a model on labeled data and write a report.

Per-label precision/recall/F1 at the model's own thresholds, AUPRC, expected
calibration error, how often gold context passages (news_reporting, counter_speech)
get a harmful label (false-flag rate), threat/incitement recall, evidence-span
agreement, plus PR curves and a reliability diagram (PNG).
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from annotate._util.atomic import (
    atomic_write_text,
    commit,
    discard,
    discard_stale_partials,
    disk_full_named,
    fsync_path,
    fsync_tree,
    require_replaceable,
    temp_sibling,
)
from annotate._util.plural import counted
from annotate._util.windows import document_windows
from annotate.classifier.base import (
    Classifier,
    PassageInput,
    Prediction,
    context_passages,
    training_record,
)
from annotate.classifier.cue_sentences import sentence_reach
from annotate.classifier.turn_text import predict_turns
from annotate.corpus.schema import FIT_SPLITS, SPLITS
from annotate.errors import InputError, ModelError
from annotate.evaluation.metrics import classification_report, reliability
from annotate.evaluation.near_copies import near_copy_note, training_near_copies
from annotate.evaluation.spans import matches, span_scores
from annotate.evaluation.trained_on import trained_on_data
from annotate.evaluation.trained_splits import with_trained_splits
from annotate.taxonomy import Taxonomy
from annotate.training.reading import passage_input
from annotate.training.sources import DataSource, Example, load_examples

log = logging.getLogger(__name__)

SPLIT_CHOICES = ("all", *SPLITS)
CHUNK_SIZE = 512  # passages per classifier call (plus context), as prelabel; bounds memory


@dataclass
class EvalResult:
    report: dict[str, Any]
    out: Path


def predict_examples(
    clf: Classifier, examples: Sequence[Example], progress: Callable[[int], None] | None = None
) -> list[Prediction]:
    """Predictions in the order of ``examples``, each passage read as ``prelabel`` reads
    it (:func:`annotate.classifier.turn_text.predict_turns`: without subtitle markup and
    a conversation's speaker labels, compatibility letters folded, a subtitle cue within
    its sentence; the spans on the passage's own characters); each document's passages
    in order, in windows with the neighbours the model reads (whole documents for one
    that reads them) and, in a subtitle file, the cues a sentence reaches, as prelabel
    sends them."""
    return predict_passages(
        clf, [passage_input(ex, str(i)) for i, ex in enumerate(examples)], progress
    )


def predict_passages(
    clf: Classifier,
    passages: Sequence[PassageInput],
    progress: Callable[[int], None] | None = None,
) -> list[Prediction]:
    """Predictions in the order of ``passages`` (each with its ``doc_id`` and
    ``passage_index``), as :func:`predict_examples` makes them: what ``evaluate`` scores
    and what ``annotate train`` puts in the model card's test tables
    (annotate.training.row_training.predicted_report)."""
    order = sorted(
        range(len(passages)),
        key=lambda i: (passages[i].doc_id or "", passages[i].passage_index or 0),
    )
    inputs = [passages[i] for i in order]
    preds: list[Prediction | None] = [None] * len(passages)
    # windows of positions in `inputs`, each with the neighbours the model reads, as
    # prelabel sends them (annotate/_util/windows.py): the same scores as whole documents
    positions = range(len(inputs))
    windows = document_windows(
        positions,
        CHUNK_SIZE,
        context_passages(clf),
        lambda j: inputs[j].doc_id,
        lambda j: sentence_reach(inputs[j].doc_id, inputs[j].subtitles),
    )
    for window in windows:
        got = predict_turns(clf, [inputs[j] for j in window.items])
        if len(got) != len(window.items):
            raise ModelError(
                f"model {clf.version!r} returned {len(got)} predictions for "
                f"{len(window.items)} passages.",
                fix="this is a bug in the classifier backend; report it.",
            )
        for j, p in zip(window.core, got[window.start : window.stop], strict=True):
            preds[order[j]] = p
        if progress is not None:
            progress(len(window.core))
    return preds  # type: ignore[return-value]


def warn_reading(clf: Classifier) -> None:
    """Warn when ``clf`` was trained on examples read otherwise than it is given them
    here (:func:`annotate.evaluation.model_card.reading_warning`): its figures are then
    those of a model given text it did not learn from."""
    from annotate.evaluation.model_card import reading_warning

    if said := reading_warning(training_record(clf), clf.version):
        log.warning("%s", said)


def span_agreement(examples: Sequence[Example], preds: Sequence[Prediction]) -> dict[str, Any]:
    """Precision and recall of the predicted evidence spans against the gold spans, per
    span label (:func:`annotate.evaluation.spans.span_scores`; the matching rules are in
    its ``rule`` and ``character_rule``). Passages without span annotations, and gold
    spans that are a whole text (a public dataset's label), are left out; so is a
    predicted span on a span a tied vote left undecided (``Example.undecided_spans``: one
    of two reviewers marked it, no lead yet), neither a hit nor a false positive."""
    gold = [None if e.meta.get("whole_text_span") else e.spans for e in examples]
    predicted = [
        [s for s in p.spans if not _on_undecided(s, e.undecided_spans, e.spans or [])]
        for e, p in zip(examples, preds, strict=True)
    ]
    return span_scores(gold, predicted)


def _on_undecided(span: Any, undecided: Sequence[Any], gold: Sequence[Any]) -> bool:
    """Whether a predicted ``span`` matches (same label, :func:`matches`) an undecided
    span and no gold span."""

    def hit(spans: Sequence[Any]) -> bool:
        return any(
            span.label == g[2] and matches((span.start, span.end), (g[0], g[1])) for g in spans
        )

    return bool(undecided) and hit(undecided) and not hit(gold)


def scored_examples(
    clfs: Sequence[Classifier], tax: Taxonomy, data: Sequence[DataSource], split: str, seed: int
) -> tuple[list[Example], list[dict[str, Any]]]:
    """The labeled passages of ``data`` in ``split`` ("all": every one), and the data's
    description (``load_examples``). A source one of ``clfs`` was trained on whole in one
    split keeps that split (the first model's where they differ); project tables are
    split by document with ``seed``.

    Raises InputError (the split is empty, no labeled passages), TrainingError."""
    for clf in clfs:
        data = with_trained_splits(clf, data)
    # an export's warnings of rows left out or masked: of the scored split's rows only
    scope = None if split == "all" else split
    examples, described = load_examples(data, tax, seed, warn_split=scope)
    if split != "all":
        _warn_sources_without_split(examples, described, split)
        found = Counter(e.split for e in examples)
        examples = [e for e in examples if e.split == split]
        if not examples and found:
            have = ", ".join(counted(n, f"{s} passage") for s, n in sorted(found.items()))
            raise InputError(
                f"the {split} split of the given data is empty (it has {have}): "
                "splits keep whole documents together and each document's split is a "
                "seeded hash of its id, so a corpus of few documents may leave "
                f"{split} empty.",
                fix="review and export more documents, or evaluate on other labeled data "
                "(`--data`); `--split all` also scores passages the model was trained on.",
            )
    if not examples:
        raise InputError(
            f"no labeled passages in split {split!r} of the given data.",
            fix="pass --split all, or data that has that split.",
        )
    return examples, described


def _warn_sources_without_split(
    examples: Sequence[Example], described: Sequence[dict[str, Any]], split: str
) -> None:
    """Warn naming each data source, of several, with no passage in ``split`` but some in
    others: it adds nothing to the scores (alone, that is an error). ``examples`` are
    ``load_examples``'s, in the order of ``described`` (each source's ``rows`` of them)."""
    if len(described) < 2:
        return
    start = 0
    for d in described:
        rows = int(d.get("rows") or 0)
        found = Counter(e.split for e in examples[start : start + rows])
        start += rows
        if not found or found[split]:
            continue
        have = ", ".join(counted(n, f"{s} passage") for s, n in sorted(found.items()))
        log.warning(
            "%s has no passage in the %s split (it has %s), so it adds nothing to these "
            "scores: splits keep whole documents together, and a source of few documents "
            "may have none there. Score it with another --split, or --split all where no "
            "model was trained on it",
            d.get("given") or d.get("path"),
            split,
            have,
        )


def evaluate(
    clf: Classifier,
    tax: Taxonomy,
    data: Sequence[DataSource],
    out: str | Path,
    *,
    split: str = "all",
    seed: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> EvalResult:
    """Score ``clf`` on the labeled passages of ``data`` and write a report into ``out``.

    ``data``: exports of this tool or mapped public datasets (``DataSource``), split by
    document with ``seed`` (None: the seed ``clf`` was trained with, see
    :func:`split_seed`); ``split`` restricts to train/validation/test ("all": every
    row). ``out`` gets ``report.json`` and ``report.md`` (per-label precision, recall,
    F1 at the model's thresholds, AUPRC, expected calibration error, context-vs-harmful
    confusion, span agreement, per-source breakdown) and ``pr_curves.png``,
    ``reliability.png``. ``progress(n)`` is called as passages are scored.

    ``report.json``'s ``training_near_copies``: how many scored passages are near-copies
    of ``clf``'s own training rows (:mod:`annotate.evaluation.near_copies`; None when its
    training record names no project data found here), ``training_near_copy_search``
    what was searched.

    Raises InputError (unknown split, no labeled passages), TrainingError (unreadable
    data or mapping), ModelError.
    """
    if split not in SPLIT_CHOICES:
        raise InputError(f"unknown split {split!r}.", fix=f"use one of {', '.join(SPLIT_CHOICES)}.")
    require_report_target(Path(out))
    if seed is None:
        seed = split_seed(clf, None)[0]
    examples, described = scored_examples([clf], tax, data, split, seed)
    warn_reading(clf)
    near = training_near_copies(clf, tax, examples)
    preds = predict_examples(clf, examples, progress)
    labels = tax.category_names
    probs = np.array([[p.scores[n] for n in labels] for p in preds], np.float32)
    pred = np.array([[float(n in p.labels) for n in labels] for p in preds], np.float32)
    gold = np.array([[float(n in e.labels) for n in labels] for e in examples], np.float32)
    known = np.array([[float(n in e.known) for n in labels] for e in examples], np.float32)
    rep = classification_report(probs, gold, known, pred, labels, tax.harmful, tax.context)
    by_src = {}
    for s in sorted({e.source for e in examples}):
        sel = np.array([e.source == s for e in examples])
        by_src[s] = classification_report(
            probs[sel], gold[sel], known[sel], pred[sel], labels, tax.harmful, tax.context
        )
    rep["by_source"] = by_src
    # passages whose reviewers were shown this model's own pre-labels (anchoring), and the
    # figures split by it where both parts hold passages
    shown = np.array(
        [same_model(clf.version, e.meta.get("shown_model_versions")) for e in examples]
    )
    rep["anchored"] = anchored_record(clf.version, examples, shown)
    if shown.any() and not shown.all():
        rep["by_anchoring"] = {
            part: classification_report(
                probs[sel], gold[sel], known[sel], pred[sel], labels, tax.harmful, tax.context
            )
            for part, sel in (("shown_this_model", shown), ("not_shown_this_model", ~shown))
        }
    rep["spans"] = span_agreement(examples, preds)
    rep["model_version"] = clf.version
    rep["split"] = split
    rep["split_seed"] = seed
    rep["split_counts"] = {
        name: n for name in SPLITS if (n := sum(e.split == name for e in examples))
    }
    rep["data"] = described
    rep["trained_on_data"] = trained_on_data(clf, described)
    rep["thresholds"] = dict(getattr(clf, "thresholds", {}) or {})
    rep["training_near_copies"] = near.count
    rep["training_near_copy_search"] = near.as_dict()
    out = Path(out)
    staged = _staged(out)
    try:
        atomic_write_text(staged / "report.json", json.dumps(rep, indent=2) + "\n", durable=False)
        _plots(staged, probs, gold, known, labels)
        atomic_write_text(staged / "report.md", _markdown(rep, labels, tax), durable=False)
        out.mkdir(parents=True, exist_ok=True)
        # every file flushed before the first rename: a flush refused for a later one
        # (ENOSPC or EDQUOT at fsync) left a mix of the new and old report (reader61 #11)
        fsync_tree(staged)
        for name in REPORT_FILES:
            commit(staged / name, out / name, replace=True)  # renames: no space needed
        fsync_path(out)
    except BaseException as exc:
        named = disk_full_named(exc, staged, out)
        if named is not None:
            raise named from exc
        raise
    finally:
        discard(staged)
    log.info("wrote %s", out)
    return EvalResult(rep, out)


# the files evaluate writes into --out (other files there stay)
REPORT_FILES = ("report.json", "pr_curves.png", "reliability.png", "report.md")


def _staged(out: Path) -> Path:
    """A hidden folder beside ``out`` (:func:`annotate._util.atomic.temp_sibling`) where
    the report's files are written before they are moved into ``out``: a write that fails
    (a full disk) leaves ``out`` as it was, with no half-written plot in it; those of
    runs killed outright are removed first."""
    out.parent.mkdir(parents=True, exist_ok=True)
    discard_stale_partials(out)
    staged = temp_sibling(out)
    staged.mkdir()
    return staged


def same_model(version: str, versions: Any) -> bool:
    """Whether ``version`` (the evaluated model's, ``name@hash``) is one of ``versions``
    (an export row's ``shown_model_versions``): the same string, or the same content hash
    after the ``@`` (a model folder renamed or copied keeps its hash)."""
    if not versions:
        return False
    digest = version.rpartition("@")[2] if "@" in version else None
    return any(v == version or (digest and str(v).rpartition("@")[2] == digest) for v in versions)


def anchored_record(version: str, examples: Sequence[Example], shown: np.ndarray) -> dict[str, Any]:
    """report.json's ``anchored``: of the scored passages, how many were labelled by
    reviewers whose tasks showed ``version``'s own pre-labels (``passages``), how many of
    those record an answer starting from them (``started_from``), of ``scored``."""
    started = sum(
        bool(s) and same_model(version, e.meta.get("started_from_versions"))
        for e, s in zip(examples, shown, strict=True)
    )
    return {
        "model_version": version,
        "passages": int(shown.sum()),
        "started_from": int(started),
        "scored": len(examples),
    }


def anchored_note(rep: dict[str, Any]) -> str:
    """The warning when some scored passages were labelled by reviewers shown this model's
    own pre-labels ("" when none): agreement with its own suggestions is inflated by
    anchoring, so these figures are no held-out measure (passD51 D11)."""
    a = rep.get("anchored") or {}
    n, of = int(a.get("passages") or 0), int(a.get("scored") or 0)
    if not n:
        return ""
    started = int(a.get("started_from") or 0)
    start = (
        f" ({started} of them record an answer that started from that suggestion)"
        if started
        else ""
    )
    split = (
        "; report.md gives the figures on those passages and on the others apart"
        if rep.get("by_anchoring")
        else ""
    )
    return (
        f"{n} of {counted(of, 'scored passage')} were labelled by reviewers shown this "
        f"model's ({a.get('model_version')}) own pre-labels{start}: its scores on them are "
        "biased upward by anchoring, so they are not a held-out measure of this model. "
        "Evaluate on data reviewed blind to it (gold passages, or labels made without "
        "its pre-labels) or on passages another model pre-labelled" + split
    )


def _plots(out: Path, probs: np.ndarray, gold: np.ndarray, known: np.ndarray, labels: list[str]):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import precision_recall_curve

    fig, ax = plt.subplots(figsize=(7, 5))
    try:
        for j, name in enumerate(labels):
            m = known[:, j] > 0
            y = gold[m, j]
            if y.sum() == 0 or y.sum() == len(y):
                continue
            p, r, _ = precision_recall_curve(y, probs[m, j])
            ax.plot(r, p, label=name)
        ax.set_xlabel("recall")
        ax.set_ylabel("precision")
        ax.set_title("Precision-recall per label")
        if ax.get_lines():
            ax.legend(fontsize=8)
        else:  # no label has both classes in the scored passages
            ax.text(0.5, 0.5, "no label with positives and negatives", ha="center", va="center")
        ax.grid(alpha=0.3)
        fig.tight_layout()
        fig.savefig(out / "pr_curves.png", dpi=100)
    finally:  # a failed save (a full disk) leaves no figure in pyplot's registry
        plt.close(fig)

    fig, ax = plt.subplots(figsize=(5, 5))
    try:
        rel = reliability(probs[known > 0], gold[known > 0])
        ax.plot([0, 1], [0, 1], "k--", lw=1)
        if rel:
            xs, ys, _ = zip(*rel, strict=True)
            ax.plot(xs, ys, "o-", label="all labels")
            for x, y, n in rel:
                ax.annotate(str(n), (x, y), fontsize=7, xytext=(3, -8), textcoords="offset points")
        ax.set_xlabel("mean predicted probability")
        ax.set_ylabel("observed frequency")
        ax.set_title("Reliability diagram")
        if rel:
            ax.legend()
        fig.tight_layout()
        fig.savefig(out / "reliability.png", dpi=100)
    finally:  # a failed save (a full disk) leaves no figure in pyplot's registry
        plt.close(fig)


def _fmt(v: Any) -> str:
    return "–" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v)


REPORT_MARKERS = ("pr_curves.png", "reliability.png")  # what makes a folder a previous one


def require_report_target(out: Path) -> None:
    """Refuse an ``--out`` that is a file, or a folder holding other files that is not a
    previous evaluation report: the report's files would be written among them (into an
    export, which then fails ``annotate verify``; into a folder of documents, which the
    next ``annotate ingest`` reads). Raises InputError before any work."""
    require_replaceable(
        out,
        REPORT_MARKERS,
        "an evaluation report folder",
        "reports/NAME",
        consequence="the report would be written among them.",
        reuse="overwrite it",
    )


DEFAULT_SPLIT_SEED = 13  # models/default.train.yaml's seed


def trained_seed(clf: Classifier) -> int | None:
    """The seed ``clf`` was trained with (its model file's ``training.seed``), or None
    when the model does not record one (a transformers model, an older model)."""
    seed = training_record(clf).get("seed")
    return seed if isinstance(seed, int) and not isinstance(seed, bool) else None


def split_seed(clf: Classifier, given: int | None) -> tuple[int, str]:
    """The seed that splits project tables for evaluating ``clf``, and a warning ("" if
    none): by default the seed the model was trained with, since another seed puts some
    of its training documents into the test split (and its figures overstate it)."""
    trained = trained_seed(clf)
    if given is None:
        return (DEFAULT_SPLIT_SEED if trained is None else trained), ""
    if trained is not None and given != trained:
        return given, (
            f"--seed {given} is not the seed {clf.version} was trained with ({trained}): "
            "project tables split with another seed put some of its training documents "
            f"into the test split, so those figures overstate it. Drop --seed (or pass "
            f"--seed {trained}) to score its own held-out split."
        )
    return given, ""


def seen_note(rep: dict[str, Any]) -> str:
    """A warning when the scored passages include training or validation rows; "" if not.

    A model trained on the same data was fitted (train) and calibrated (validation) on
    those rows, so figures over them are not held-out figures.
    """
    counts = rep.get("split_counts") or {}
    seen = {k: counts[k] for k in FIT_SPLITS if counts.get(k)}
    if not seen or rep.get("trained_on_data") is False:
        return ""
    parts = ", ".join(f"{k} {v}" for k, v in counts.items())
    return (
        f"these figures include {counted(sum(seen.values()), 'passage')} of the train and "
        "validation "
        f"splits ({parts}): a model trained on this data has already seen them, so they "
        "overstate it. `--split test` scores only the held-out passages."
    )


def held_out_note(rep: dict[str, Any]) -> str:
    """A note when the scored passages include train and validation rows of data that the
    model's training record does not name (``rep["trained_on_data"]`` False): those
    splits are held out for this model too, by that record (scored passages that are
    near-copies of its training rows, ``rep["training_near_copies"]``, are said to belie
    it); "" otherwise."""
    counts = rep.get("split_counts") or {}
    if rep.get("trained_on_data") is not False or not (
        counts.get("train") or counts.get("validation")
    ):
        return ""
    copies = int(rep.get("training_near_copies") or 0)
    if copies:
        # "held out for it as well" above a warning that every passage is a near-copy of
        # its training rows read as a contradiction (passF52 F11): the record alone says so
        one = copies == 1
        return (
            "the model's training record (annotate_model.json training.data) names none of "
            "these data sources (by file SHA-256, path, mapped data set or export project), "
            "so by that record their train and validation splits would be held out for it "
            f"as well; but {copies} scored passage{'' if one else 's'} "
            f"{'is a near-copy' if one else 'are near-copies'} of its training passages "
            "(the near-copy warning), so the data is not held out as its record says; every "
            "passage is scored"
        )
    return (
        "the model's training record (annotate_model.json training.data) names none of "
        "these data sources (by file SHA-256, path, mapped data set or export project), so "
        "their train and validation splits are held out for it as well; every passage is "
        "scored"
        + (
            " (held out of its training only: its own pre-labels anchored some labels, above)"
            if (rep.get("anchored") or {}).get("passages")
            else ""
        )
    )


def split_origin(rep: dict[str, Any]) -> str:
    """Where the scored passages' splits come from, for the report's first line: an
    export keeps the split it was exported with; other tables are split by document with
    the report's seed (which says nothing about an export's rows)."""
    kinds = {d.get("kind") for d in rep.get("data") or []}
    out = []
    if "export" in kinds:
        out.append("exports keep the splits they were exported with")
    if "saved dataset" in kinds:
        out.append("saved datasets keep their own splits")
    if kinds - {"export", "saved dataset"} or not kinds:
        seed = rep.get("split_seed", DEFAULT_SPLIT_SEED)
        out.append(f"project tables split by document with seed {seed}")
    return "; ".join(out)


def _markdown(rep: dict[str, Any], labels: list[str], tax: Taxonomy) -> str:
    from annotate.evaluation.model_card import context_lines, metrics_table

    copies = near_copy_note(rep.get("training_near_copies"), rep["model_version"])
    lines = [
        f"# Evaluation of `{rep['model_version']}`",
        "",
        f"Split: {rep['split']} ({split_origin(rep)}); {counted(rep['n'], 'passage')}. "
        "Thresholds: the model's own.",
        "",
        *(
            [f"**Not held out (anchoring):** {anchored_note(rep)}.", ""]
            if anchored_note(rep)
            else []
        ),
        *([f"**Not held out:** {seen_note(rep)}", ""] if seen_note(rep) else []),
        *([f"**Held out:** {held_out_note(rep)}.", ""] if held_out_note(rep) else []),
        *([f"**Near-copies:** {copies}", ""] if copies else []),
        *metrics_table(rep, labels),
        "",
        f"Macro F1 {_fmt(rep['macro_f1'])}; expected calibration error {_fmt(rep['ece'])}.",
        "",
        "## Context vs harmful",
        "",
        *(context_lines(rep) or ["No gold context passages in this data."]),
        "",
    ]
    for h in tax.harmful:
        m = rep["per_label"].get(h)
        if m and m["support"]:
            lines.append(f"- recall of `{h}`: **{_fmt(m['recall'])}** (n={m['support']})")
    lines += span_lines(rep.get("spans") or {})
    for part, r in (rep.get("by_anchoring") or {}).items():
        whose = "shown" if part == "shown_this_model" else "not shown"
        lines += [
            "",
            f"## Passages whose reviewers were {whose} this model's pre-labels (n={r['n']})",
            "",
            *metrics_table(r, labels),
        ]
    for src, r in rep.get("by_source", {}).items():
        lines += ["", f"## Source: {src} (n={r['n']})", "", *metrics_table(r, labels)]
        cl = context_lines(r)
        if cl:
            lines += ["", *cl]
    lines += ["", "![PR curves](pr_curves.png) ![Reliability](reliability.png)", ""]
    return "\n".join(lines)


def span_lines(sp: dict[str, Any]) -> list[str]:
    """The report's "Evidence spans" section: precision and recall per span label."""
    if not sp.get("passages"):
        return []
    lines = [
        "",
        "## Evidence spans",
        "",
        f"{counted(sp['passages'], 'passage')} with gold span annotations; "
        f"{counted(sp['spans_on_passages_without_gold_spans'], 'span')} predicted on "
        "passages whose gold has none.",
        "",
        f"- Match rule, {sp['rule']}.",
        f"- {sp['character_rule'][0].upper()}{sp['character_rule'][1:]}.",
        "",
        "| span label | predicted | gold | matched | precision | recall | F1 "
        "| char precision | char recall |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    rows = [*sp["per_label"].items(), ("**all**", sp["overall"])]
    for name, v in rows:
        lines.append(
            f"| {name} | {v['predicted']} | {v['gold']} | {v['matched']} "
            f"| {_fmt(v['precision'])} | {_fmt(v['recall'])} | {_fmt(v['f1'])} "
            f"| {_fmt(v['char_precision'])} | {_fmt(v['char_recall'])} |"
        )
    return lines
