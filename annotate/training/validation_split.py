"""A validation split for data that has none.

Calibration and thresholds are fitted on the validation split only. An ``annotate
export`` of a small project can have none: its hash split puts each document in
validation with about a tenth's chance, so a few documents may all land elsewhere; a
single split file of an export (``train.jsonl``) or a table whose rows all say ``train``
has none either. Then a seeded share of the training documents is held out instead,
whole leakage groups only: a document together with every document it shares a
near-duplicate with (connected components, :func:`annotate.corpus.splits.leakage_groups`,
as ``annotate export`` groups its splits). The near-duplicate links are the data's own
(an export's ``near_dup_group``, :attr:`Example.near_dup_group`) and those of a MinHash
LSH search over the training passages with ingest's code
(:func:`annotate.corpus.export_near_dups.export_near_dup_groups`, threshold
``DEFAULT_NEAR_DUP_THRESHOLD``), so a near-copy of a training passage never lands in
validation and inflates the figures and thresholds chosen there, whatever the input.
Data that has a validation split is left as it is (no search).
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections import defaultdict
from collections.abc import Sequence

from annotate.corpus.schema import SPLITS
from annotate.corpus.splits import leakage_groups
from annotate.defaults import DEFAULT_NEAR_DUP_THRESHOLD
from annotate.errors import TrainingError
from annotate.training.sources import Example

log = logging.getLogger(__name__)

# share of the training documents held out when the data has no validation split
VALIDATION_FROM_TRAIN = 0.2


def _order(name: str, seed: int) -> str:
    return hashlib.sha256(f"{seed}\x00{name}".encode()).hexdigest()


def validation_documents(
    doc_ids: Sequence[str], seed: int, near_dup_groups: Sequence[Sequence[str | None]] = ()
) -> set[str]:
    """The documents to hold out: about ``ceil(VALIDATION_FROM_TRAIN * n)`` of the ``n``
    distinct ``doc_ids`` (one per row), as whole leakage groups.

    ``near_dup_groups``: columns aligned with ``doc_ids``, each a near-duplicate group per
    row (None: none); documents sharing a group in any column form one leakage group
    (connected components). Groups are taken in a seeded SHA-256 order of their names
    (the smallest document id of each), each one that keeps the held-out documents within
    ``k = min(n - 1, max(1, ceil(VALIDATION_FROM_TRAIN * n)))``, until ``k`` are held out;
    when every group is larger than ``k``, the smallest one (first in that order). So the
    same documents, groups and seed always give the same choice, and without
    near-duplicates it is the first ``k`` documents in that order. Never every group:
    empty when there are fewer than two groups.
    """
    comps = leakage_groups(list(doc_ids), *near_dup_groups)
    members: dict[str, set[str]] = defaultdict(set)
    for doc, comp in zip(doc_ids, comps, strict=True):
        members[comp].add(doc)
    if len(members) < 2:
        return set()
    n = sum(len(m) for m in members.values())
    k = min(n - 1, max(1, math.ceil(VALIDATION_FROM_TRAIN * n)))
    order = sorted(members, key=lambda c: _order(c, seed))
    held: set[str] = set()
    for comp in order:
        if len(held) + len(members[comp]) <= k:
            held |= members[comp]
        if len(held) == k:
            break
    if not held:  # every group is larger than k: the smallest one
        held = set(members[min(order, key=lambda c: len(members[c]))])
    return held


def searched_groups(examples: Sequence[Example]) -> list[str | None]:
    """Per example (in order): its near-duplicate group found by a MinHash LSH search over
    ``examples`` (word 3-gram shingles, Jaccard similarity at least
    ``DEFAULT_NEAR_DUP_THRESHOLD``; ingest's index, :mod:`annotate.ingestion.near_dups`),
    None when no passage of another document is near it. Passages of one document are
    never linked (they are held out together anyway)."""
    from annotate.corpus.export_near_dups import export_near_dup_groups

    # the index takes a document's passages together
    order = sorted(range(len(examples)), key=lambda i: examples[i].doc_key)
    rows = [{"id": str(i), "doc_id": examples[i].doc_key, "text": examples[i].text} for i in order]
    found = export_near_dup_groups(rows, DEFAULT_NEAR_DUP_THRESHOLD)
    out: list[str | None] = [None] * len(examples)
    for i, group in zip(order, found, strict=True):
        out[i] = group
    return out


def hold_out_validation(examples: Sequence[Example], seed: int, search: bool = True) -> int:
    """When no example is in the validation split, move the examples of
    :func:`validation_documents` of the train split there (in place) and log a warning.
    The leakage groups join the examples' own ``near_dup_group`` and, with ``search``,
    those of :func:`searched_groups` over the training examples. Returns the number of
    documents moved (0 when the data has a validation split, or fewer than two groups)."""
    if any(ex.split == "validation" for ex in examples):
        return 0
    train = [ex for ex in examples if ex.split == "train"]
    docs = [ex.doc_key for ex in train]
    n_docs = len(set(docs))
    if n_docs < 2:
        return 0
    columns: list[Sequence[str | None]] = [[ex.near_dup_group for ex in train]]
    if search:
        log.info(
            "near-duplicate search over %d training passages (validation hold-out)", len(train)
        )
        columns.append(searched_groups(train))
    held = validation_documents(docs, seed, columns)
    for ex in train:
        if ex.doc_key in held:
            ex.split = "validation"
    n_groups = len(set(leakage_groups(docs, *columns)))
    if held:
        log.warning(
            "the data has no validation split: %s of %s training documents are held out "
            "to calibrate the model and choose its thresholds%s",
            f"{len(held):,}",
            f"{n_docs:,}",
            f" (documents sharing near-duplicate passages held out together: {n_groups:,} groups)"
            if n_groups < n_docs
            else "",
        )
    else:
        log.warning(
            "the data has no validation split, and its %s training documents all share "
            "near-duplicate passages (one group): none can be held out without a near-copy "
            "of it staying in train",
            f"{n_docs:,}",
        )
    return len(held)


def split_sizes(examples: Sequence[Example]) -> dict[str, int]:
    """Examples per split name (train, validation, test; 0 for a split without any)."""
    return {s: sum(ex.split == s for ex in examples) for s in SPLITS}


def require_fit_splits(sizes: dict[str, int], what: str = "rows") -> None:
    """Raise TrainingError naming the first of the train and validation splits that is
    empty, with what the data has per split (e.g. "0 train, 2 validation and 9 test
    examples") and the fix; ``sizes``: rows (or examples) per split name."""
    from annotate._util.plural import counted

    have = [f"{sizes.get(s, 0)} {s}" for s in SPLITS]
    found = f"{', '.join(have[:-1])} and {have[-1]} {what}"
    if not sum(sizes.values()):
        found = f"no {what} at all"
    if sizes.get("train", 0) == 0:
        raise TrainingError(
            f"the train split is empty: the data has {found}; a model is fitted on the "
            "train split (calibrated on validation, measured on test).",
            fix="give labelled passages in the train split: more reviewed documents (an "
            "export splits its documents about 70/15/15), or a table whose rows say "
            "`split: train` or name no split (they are then split by document)."
            if sum(sizes.values())
            else "give labelled passages (reviewed rows with a category).",
        )
    if sizes.get("validation", 0) == 0:
        raise TrainingError(
            f"the validation split is empty: the data has {found}, and no training "
            f"document could be held out for it ({counted(sizes['train'], what[:-1])} of "
            "one document, or of documents that are all near-copies of each other).",
            fix=(
                "give labelled passages of at least two documents that are not "
                "near-copies of each other (with no validation split, some training "
                "documents are held out for it, with their near-copies)."
            ),
        )
