"""Training rows as a pandas DataFrame: one row per example, with its context text.

Columns: id, text, context, title, source, public, split, doc_id, passage_index,
near_dup_group (the data's own near-duplicate group, or None), labels (np.int8 array per
row, 1/0/-1 = positive/negative/not supervised, in the taxonomy's category order),
weight, spans_only (the row trains only the evidence-span model: every label -1), spans,
written_text (the passage as written, before it was read as prelabel reads it),
conversation and subtitles (as ingest recorded them),
seg (candidate segments (start, end, quoted)), seg_y / seg_m (span targets and mask per
segment, or None).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from annotate.classifier.pair_model import context_text
from annotate.corpus.schema import SPLITS, TRAIN
from annotate.taxonomy import Taxonomy
from annotate.training.config import TrainConfig, fit_to_taxonomy
from annotate.training.derived import (
    gold_span_counts,
    sentence_examples,
    span_examples,
    span_rows,
    taxonomy_examples,
)
from annotate.training.reading import WRITTEN_TEXT, read_examples
from annotate.training.sources import DataSource, Example, is_export_dir, load_examples
from annotate.training.sources.exports import refuse_moved_categories
from annotate.training.validation_split import (
    hold_out_validation,
    require_fit_splits,
    split_sizes,
)

log = logging.getLogger(__name__)


def _contexts(examples: Sequence[Example]) -> list[str]:
    """Title + previous + next passage of the same (split, document), per example."""
    docs: dict[tuple[str, str], list[int]] = {}
    for i, ex in enumerate(examples):
        docs.setdefault((ex.split, ex.doc_key), []).append(i)
    out = [""] * len(examples)
    for members in docs.values():
        members.sort(key=lambda i: examples[i].index)
        for k, i in enumerate(members):
            prev = examples[members[k - 1]].text if k > 0 else None
            nxt = examples[members[k + 1]].text if k + 1 < len(members) else None
            out[i] = context_text(examples[i].title, prev, nxt)
    return out


def examples_to_rows(
    examples: Sequence[Example], tax: Taxonomy, cfg: TrainConfig | None = None
) -> pd.DataFrame:
    """The DataFrame of ``examples`` (see the module docstring for the columns)."""
    cfg = fit_to_taxonomy(cfg or TrainConfig(), tax)
    names = tax.category_names
    ctx = _contexts(examples)
    recs = []
    for i, ex in enumerate(examples):
        lab = np.array(
            [(1 if n in ex.labels else 0) if n in ex.known else -1 for n in names], np.int8
        )
        segs, y, m = span_rows(ex, tax, cfg)
        recs.append(
            {
                "id": ex.id or f"{ex.doc_key}:{ex.index}",
                "text": ex.text,
                "context": ctx[i],
                "title": ex.title,
                "source": ex.source,
                "public": bool(ex.meta.get("public")),
                "spans_only": bool(ex.meta.get("spans_only")),
                "split": ex.split,
                "doc_id": ex.doc_key,
                "passage_index": ex.index,
                "near_dup_group": ex.near_dup_group,
                "labels": lab,
                "weight": float(ex.weight),
                "spans": ex.spans,
                # the passage as evaluate gives it to a model (row_training.predicted_report)
                "written_text": ex.meta.get(WRITTEN_TEXT, ex.text),
                "conversation": ex.conversation,
                "subtitles": ex.subtitles,
                "cue_start": ex.cue_start,
                "cue_end": ex.cue_end,
                "seg": segs if y is not None else [],
                "seg_y": y,
                "seg_m": m,
            }
        )
    return pd.DataFrame.from_records(recs)


def cap_rows(
    rows: pd.DataFrame, cap: int | None, seed: int, eval_cap: int | None = None
) -> pd.DataFrame:
    """At most ``cap`` training rows and ``eval_cap`` validation and test rows each per
    public source (seeded sample; public rows are single posts); project rows are kept
    whole."""
    keep = np.ones(len(rows), bool)
    for src in sorted(rows.source.unique()):
        for split in SPLITS:
            n = cap if split == TRAIN else eval_cap
            sel = np.flatnonzero((rows.source == src).values & (rows.split == split).values)
            if not n or not rows.public.values[sel].any() or len(sel) <= n:
                continue
            rng = random.Random(f"cap:{seed}:{src}:{split}")
            drop = sorted(set(sel.tolist()) - set(rng.sample(sel.tolist(), n)))
            keep[drop] = False
    return rows[keep].reset_index(drop=True)


def data_sources(cfg: TrainConfig) -> list[DataSource]:
    """One :class:`DataSource` per entry of ``cfg.data``, in order."""
    return [
        DataSource(
            d.path,
            d.mapping,
            d.split,
            d.weight,
            d.spans_only,
            tuple(d.supervises) if d.supervises is not None else None,
            d.given,
            d.given_in,
            near_dups=d.near_dup_split,
        )
        for d in cfg.data
    ]


def load_split_examples(cfg: TrainConfig, tax: Taxonomy) -> tuple[list[Example], list[dict]]:
    """Every passage of ``cfg.data`` (:func:`annotate.training.sources.load_examples`)
    with its split (validation held out by document, seeded by ``cfg.seed``), read as
    the classifier reads it (:func:`annotate.training.reading.read_examples`: without
    subtitle markup and speaker labels, its spans moved onto that text), and the
    description of every data source. Raises TrainingError when the data has no train
    passage of its own: checked before labels.yaml's examples join the train split (a
    model fitted on those alone is no model of the data); an empty validation split is
    checked on the rows the model is fitted with (derived rows may fill it)."""
    sources = data_sources(cfg)
    for src in sources:  # a labels.yaml giving an export's categories other ids (F4)
        if is_export_dir(Path(src.path)):
            refuse_moved_categories(Path(src.path), tax)
    examples, described = load_examples(sources, tax, cfg.seed, cfg.strict_labels)
    hold_out_validation(examples, cfg.seed)
    # each passage as prelabel and evaluate read it (split by its text as written)
    examples = read_examples(examples)
    sizes = split_sizes(examples)
    if sizes["train"] == 0:
        require_fit_splits(sizes, "passages")
    return examples, described


def load_rows(cfg: TrainConfig, tax: Taxonomy) -> tuple[pd.DataFrame, list[dict]]:
    """All rows of ``cfg.data`` plus the derived rows (labels.yaml examples, evidence
    spans as passages), public rows capped per source for the fine-tuning trainer; and
    the description of every data source (for the model card)."""
    cfg = fit_to_taxonomy(cfg, tax)  # defaulted label settings: the labels tax has
    examples, described = load_split_examples(cfg, tax)
    if cfg.taxonomy_examples_weight > 0:
        extra = taxonomy_examples(tax, cfg.taxonomy_examples_weight)
        examples.extend(extra)
        described.append({"path": "labels.yaml", "kind": "taxonomy examples", "rows": len(extra)})
    if cfg.span_examples_weight > 0 and cfg.span_categories:
        spans = gold_span_counts(examples)
        extra = span_examples(examples, tax, cfg)
        examples.extend(extra)
        described.append(
            {
                "path": "evidence spans of the training passages",
                "kind": "span examples",
                "rows": len(extra),
                **spans,
            }
        )
    # (a defaulted label list the taxonomy has none of is cut to []: no sentence examples)
    if cfg.sentence_examples_weight > 0 and cfg.sentence_examples_labels != []:
        extra = sentence_examples(
            examples, tax, cfg.sentence_examples_weight, cfg.sentence_examples_labels
        )
        examples.extend(extra)
        described.append(
            {
                "path": "sentences of the harmless training passages (negatives of "
                + ", ".join(cfg.sentence_examples_labels or ["every harmful label"])
                + ")",
                "kind": "sentence examples",
                "rows": len(extra),
            }
        )
    ft = cfg.finetune
    rows = examples_to_rows(examples, tax, cfg)
    if cfg.trainer == "finetune":  # the frozen trainer reads every row
        rows = cap_rows(rows, ft.max_rows_per_source, cfg.seed, ft.max_eval_rows_per_source)
    return rows, described
