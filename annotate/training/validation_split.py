"""A validation split for data that has none.

Calibration and thresholds are fitted on the validation split only. An ``annotate
export`` of a small project can have none: its hash split puts each document in
validation with about a tenth's chance, so a few documents may all land elsewhere. Then a
seeded share of the training documents is held out instead, whole documents only (no
passage of a held-out document stays in train).
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections.abc import Sequence

from annotate.errors import TrainingError
from annotate.training.sources import Example

log = logging.getLogger(__name__)

# share of the training documents held out when the data has no validation split
VALIDATION_FROM_TRAIN = 0.2


def validation_documents(doc_ids: Sequence[str], seed: int) -> set[str]:
    """``ceil(VALIDATION_FROM_TRAIN * n)`` of the ``n`` distinct ``doc_ids`` (at least 1,
    at most n - 1), taken in a seeded SHA-256 order of the ids, so the same documents and
    seed always give the same choice. Empty when ``n < 2``."""
    docs = sorted(set(doc_ids))
    if len(docs) < 2:
        return set()
    k = min(len(docs) - 1, max(1, math.ceil(VALIDATION_FROM_TRAIN * len(docs))))
    order = sorted(docs, key=lambda d: hashlib.sha256(f"{seed}\x00{d}".encode()).hexdigest())
    return set(order[:k])


def hold_out_validation(examples: Sequence[Example], seed: int) -> int:
    """When no example is in the validation split, move the examples of
    :func:`validation_documents` of the train split there (in place) and log a warning.
    Returns the number of documents moved (0 when the data has a validation split or
    fewer than 2 training documents)."""
    if any(ex.split == "validation" for ex in examples):
        return 0
    held = validation_documents([ex.doc_key for ex in examples if ex.split == "train"], seed)
    for ex in examples:
        if ex.split == "train" and ex.doc_key in held:
            ex.split = "validation"
    if held:
        log.warning(
            "the data has no validation split: %d of %d training documents are held out "
            "to calibrate the model and choose its thresholds",
            len(held),
            len({ex.doc_key for ex in examples if ex.split in ("train", "validation")}),
        )
    return len(held)


def require_fit_splits(sizes: dict[str, int], what: str = "rows") -> None:
    """Raise TrainingError naming the first of the train and validation splits that is
    empty; ``sizes``: rows (or examples) per split name."""
    for s in ("train", "validation"):
        if sizes.get(s, 0) == 0:
            raise TrainingError(
                f"the {s} split is empty ({sum(sizes.values())} {what} in all).",
                fix=(
                    "give labelled passages of at least two documents (with no validation "
                    "split, some training documents are held out for it)."
                ),
            )
