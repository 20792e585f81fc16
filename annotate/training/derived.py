"""Derived training rows (taxonomy examples, span examples, mixed and untitled
documents) and the span targets of candidate segments."""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np

from annotate.classifier.features import candidate_segments, quote_ranges
from annotate.errors import TrainingError
from annotate.taxonomy import Taxonomy
from annotate.training.config import TrainConfig
from annotate.training.sources import Example

# the sources of the derived rows: labels.yaml's examples, and span examples (their
# passage's source + this suffix)
TAXONOMY_SOURCE = "labels.yaml"
SPAN_SOURCE_SUFFIX = ":spans"
SENTENCE_SOURCE_SUFFIX = ":sentences"
# a span or sentence example's least length (characters)
MIN_EXAMPLE_CHARS = 12


def derived_source(source: str) -> bool:
    """Whether a row of ``source`` is a derived row (taxonomy, span or sentence examples),
    not a row of the config's data."""
    return source == TAXONOMY_SOURCE or str(source).endswith(
        (SPAN_SOURCE_SUFFIX, SENTENCE_SOURCE_SUFFIX)
    )


def is_derived(sources: Sequence[str]) -> np.ndarray:
    """(n,) bool: which rows (by their ``source``) are derived rows (:func:`derived_source`)."""
    return np.array([derived_source(s) for s in sources], bool)


def taxonomy_examples(tax: Taxonomy, weight: float) -> list[Example]:
    """The labeled examples of labels.yaml, as training rows (always in the train split),
    read as the classifier reads a passage (:func:`annotate.training.reading.read_examples`)."""
    from annotate.training.reading import read_examples

    out = []
    for cat in tax.categories:
        for n, ex in enumerate(cat.examples):
            spans = []
            for s in ex.spans:
                a = ex.text.find(s.text)
                if a >= 0:
                    spans.append((a, a + len(s.text), s.label))
            out.append(
                Example(
                    text=ex.text,
                    labels=set(ex.labels),
                    known=set(tax.category_names),
                    split="train",
                    source=TAXONOMY_SOURCE,
                    doc_key=f"labels.yaml:{cat.name}:{n}",
                    spans=spans,
                    weight=weight,
                    id=f"labels.yaml:{cat.name}:{n}",
                )
            )
    return read_examples(out)


def mixed_documents(examples: Sequence[Example], n_docs: int, seed: int) -> list[Example]:
    """``n_docs`` synthetic training documents: a multi-passage training document of the
    project data (not a mapped public table) with one passage of another such document
    inserted at a random position. Every passage keeps its own labels."""
    import dataclasses

    rng = random.Random(f"mixed:{seed}")
    docs: dict[str, list[Example]] = {}
    for ex in examples:
        if ex.split == "train" and not ex.meta.get("public") and not ex.meta.get("whole_text_span"):
            docs.setdefault(ex.doc_key, []).append(ex)
    hosts = sorted(k for k, v in docs.items() if len(v) >= 2)
    keys = sorted(docs)
    out: list[Example] = []
    if not hosts or len(keys) < 2:
        return out
    for n in range(n_docs):
        host = rng.choice(hosts)
        guest_doc = rng.choice([k for k in keys if k != host])
        guest = rng.choice(docs[guest_doc])
        members = sorted(docs[host], key=lambda e: e.index)
        pos = rng.randint(0, len(members))
        members = [*members[:pos], guest, *members[pos:]]
        key = f"mixed:{n}:{host}"
        for i, ex in enumerate(members):
            out.append(
                dataclasses.replace(
                    ex,
                    doc_key=key,
                    index=i,
                    title=members[0].title if ex is guest else ex.title,
                    id=f"{key}:{i}",
                    meta={**ex.meta, "mixed": True},
                )
            )
    return out


def untitled_documents(examples: Sequence[Example], share: float, seed: int) -> list[Example]:
    """Copies of a ``share`` of the titled project training documents, without title."""
    import dataclasses

    rng = random.Random(f"untitled:{seed}")
    docs: dict[str, list[Example]] = {}
    for ex in examples:
        if ex.split == "train" and ex.title and not ex.meta.get("public"):
            docs.setdefault(ex.doc_key, []).append(ex)
    out: list[Example] = []
    for key in sorted(docs):
        if rng.random() >= share:
            continue
        new_key = f"untitled:{key}"
        out.extend(
            dataclasses.replace(
                ex,
                doc_key=new_key,
                title=None,
                id=f"{new_key}:{ex.index}",
                meta={**ex.meta, "untitled": True},
            )
            for ex in docs[key]
        )
    return out


def span_examples(examples: Sequence[Example], tax: Taxonomy, cfg: TrainConfig) -> list[Example]:
    """Gold own-voice evidence spans of training passages as passages of their own."""
    for span, cat in cfg.span_categories.items():
        if span not in tax.span_names or cat not in tax.category_names:
            raise TrainingError(
                f"span_categories: {span!r} -> {cat!r} names an unknown span label or category.",
                fix="use names from labels.yaml.",
            )
    harmful = set(tax.harmful)
    out = []
    seen = set()
    for ex in examples:
        if ex.split != "train" or not ex.spans or ex.meta.get("whole_text_span"):
            continue
        if ex.meta.get("spans_only"):  # evidence-span data only: no category rows
            continue
        for a, b, label in ex.spans:
            cat = cfg.span_categories.get(label)
            text = ex.text[a:b].strip(" \"'“”‘’,;:")
            if cat is None or cat not in ex.labels or len(text) < MIN_EXAMPLE_CHARS or text in seen:
                continue
            seen.add(text)
            out.append(
                Example(
                    text=text,
                    labels={cat},
                    # the words alone: their own category, not a report, not a rebuttal,
                    # not harmless; the other harmful labels are left open
                    known=({cat} | set(tax.category_names)) - (harmful - {cat}),
                    split="train",
                    source=f"{ex.source}{SPAN_SOURCE_SUFFIX}",
                    # a document of its own per span: two passages of one document
                    # can hold spans at the same offset (11 keys were shared, and the
                    # rows sharing one read each other as neighbouring passages)
                    doc_key=f"span:{ex.doc_key}:{ex.index}:{a}-{b}",
                    spans=[(0, len(text), label)],
                    weight=cfg.span_examples_weight,
                    id=f"{ex.id}:{a}-{b}",
                    meta={"whole_text_span": True},
                )
            )
    return out


def sentence_examples(
    examples: Sequence[Example],
    tax: Taxonomy,
    weight: float,
    labels: Sequence[str] | None = None,
) -> list[Example]:
    """The sentences of harmless project training passages as negatives of the harmful
    labels (``sentence_examples_weight``).

    A passage qualifies when it is a train-split passage of the data (not public, not a
    derived row, not evidence-span data only), supervises every harmful label and has
    none of them, and has at least two sentences. Each of its sentences
    (:func:`annotate.classifier.features.sentence_ranges`) of at least
    :data:`MIN_EXAMPLE_CHARS` characters becomes a row with every harmful label 0 and the
    others unsupervised (-1), unless it overlaps a quotation or a gold or undecided
    span (a quoted threat in a news passage is harmful words alone); a sentence text seen
    before is kept once. ``labels``: the harmful labels the rows supervise (0), None:
    every harmful label. Rows are in the train split, one document each, source
    ``<passage source>:sentences`` (:func:`is_derived`). Returns [] when ``weight`` is 0.
    Raises TrainingError for a name in ``labels`` that is not a harmful category."""
    from annotate.classifier.features import sentence_ranges

    if weight <= 0:
        return []
    harmful = set(tax.harmful)
    supervised = harmful if labels is None else set(labels)
    if not supervised or not supervised <= harmful:
        raise TrainingError(
            f"sentence_examples_labels: {sorted(supervised - harmful) or 'none given'} "
            "is not a list of harmful categories.",
            fix=f"name some of {sorted(harmful)} (or leave it out: all of them).",
        )
    out: list[Example] = []
    seen: set[str] = set()
    for ex in examples:
        if (
            ex.split != "train"
            or ex.meta.get("public")
            or ex.meta.get("whole_text_span")
            or ex.meta.get("spans_only")
            or derived_source(ex.source)
            or not harmful <= ex.known
            or ex.labels & harmful
        ):
            continue
        sentences = sentence_ranges(ex.text)
        if len(sentences) < 2:
            continue
        blocked = list(quote_ranges(ex.text))
        blocked += [(a, b) for a, b, _ in (ex.spans or [])]
        blocked += [(a, b) for a, b, _ in ex.undecided_spans]
        for a, b in sentences:
            if any(a < qb and qa < b for qa, qb in blocked):
                continue
            text = ex.text[a:b]
            if len(text) < MIN_EXAMPLE_CHARS or text in seen:
                continue
            seen.add(text)
            out.append(
                Example(
                    text=text,
                    labels=set(),
                    known=set(supervised),
                    split="train",
                    source=f"{ex.source}{SENTENCE_SOURCE_SUFFIX}",
                    doc_key=f"sentence:{ex.doc_key}:{ex.index}:{a}-{b}",
                    weight=weight,
                    id=f"{ex.id}:s{a}-{b}",
                )
            )
    return out


def gold_span_counts(examples: Sequence[Example]) -> dict[str, int]:
    """``{"passages_with_spans", "gold_spans"}``: the training passages of the data (not
    derived rows) that carry gold evidence spans, and their spans, quoted ones included:
    what the evidence-span model is trained on, whatever :func:`span_examples` keeps."""
    own = [
        ex
        for ex in examples
        if ex.split == "train"
        and ex.spans
        and not ex.meta.get("whole_text_span")
        and not derived_source(ex.source)
    ]
    return {"passages_with_spans": len(own), "gold_spans": sum(len(ex.spans) for ex in own)}


# ---- span targets -----------------------------------------------------------------------------
def span_rows(
    ex: Example, tax: Taxonomy, cfg: TrainConfig
) -> tuple[list[tuple[int, int, bool]], np.ndarray | None, np.ndarray | None]:
    """Candidate segments of an example and their span targets/mask (None: no span
    supervision for this example)."""
    names = tax.span_names
    text = ex.text
    harmful = set(tax.harmful)
    if ex.spans is None:
        if ex.labels == {tax.none_label}:
            # a whole post that is not harmful: no evidence anywhere in it
            segs = [(0, len(text), False)]
            return segs, np.zeros((1, len(names)), np.float32), np.ones((1, len(names)), np.float32)
        return [], None, None
    if ex.meta.get("whole_text_span"):
        # a mapped public post: the whole text is own-voice evidence of one kind
        label = ex.spans[0][2]
        y = np.zeros((1, len(names)), np.float32)
        m = np.zeros((1, len(names)), np.float32)
        y[0, names.index(label)] = 1
        m[0, names.index(label)] = 1
        if cfg.quoted_span in names:
            m[0, names.index(cfg.quoted_span)] = 1
        return [(0, len(text), False)], y, m
    if not ex.spans and (ex.labels & harmful):
        return [], None, None  # harmful but no spans marked: unknown where the evidence is
    quotes = quote_ranges(text)
    segs = candidate_segments(text)
    have = {(a, b) for a, b, _ in segs}
    for a, b, _ in ex.spans:
        if (a, b) not in have:
            segs.append((a, b, any(qa <= a + 1 and b - 1 <= qb for qa, qb in quotes)))
            have.add((a, b))
    y = np.zeros((len(segs), len(names)), np.float32)
    m = np.ones_like(y)
    for j, (a, b, _) in enumerate(segs):
        for ga, gb, lab in ex.spans:
            if _covers(a, b, ga, gb):
                y[j, names.index(lab)] = 1
        # a span a tied vote left undecided (no lead yet): the segments it would make
        # positive are masked for its label, neither evidence nor a decided no
        for ga, gb, lab in ex.undecided_spans:
            if lab in names and _covers(a, b, ga, gb) and not y[j, names.index(lab)]:
                m[j, names.index(lab)] = 0
    return segs, y, m


def _covers(a: int, b: int, ga: int, gb: int) -> bool:
    """Whether segment ``a:b`` is (mostly) the span ``ga:gb``: at least half of each
    covers the other."""
    inter = min(b, gb) - max(a, ga)
    return inter > 0 and inter >= 0.5 * (b - a) and inter >= 0.5 * (gb - ga)
