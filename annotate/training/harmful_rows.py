"""Refuse to train when no training passage of the data has a harmful label.

An export whose reviewers answered every passage `none` trained with exit 0, its harmful
heads fitted on labels.yaml's one or two examples per label, and a headline "macro F1
1.0" (retrain56 finding 9): such a model orders a riskiest-first queue by noise. Training
now stops before anything is embedded, unless the caller allows it (`annotate train
--allow-no-harmful-passages`): then it warns loudly, as it used to.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from annotate.taxonomy import Taxonomy
from annotate.training.derived import is_derived

if TYPE_CHECKING:
    from annotate.training.sources import Example

log = logging.getLogger(__name__)


def harmful_passage_counts(train: pd.DataFrame, tax: Taxonomy) -> dict[str, int]:
    """Harmful label -> training passages of the data (not derived rows: labels.yaml's
    examples, span and sentence examples, mixed or untitled copies) labelled with it;
    ``train`` is the training split's rows (:mod:`annotate.training.rows`)."""
    names = tax.category_names
    if len(train) == 0:
        return {h: 0 for h in tax.harmful}
    keep = ~is_derived(train["source"].astype(str).to_numpy())
    y = np.stack(train["labels"].to_list())[keep] if keep.any() else np.zeros((0, len(names)))
    return {h: int((y[:, names.index(h)] == 1).sum()) for h in tax.harmful}


ALLOW_OPTION = "--allow-no-harmful-passages"


def require_harmful_examples(
    examples: Sequence[Example], tax: Taxonomy, *, allow: bool = False
) -> bool:
    """:func:`require_harmful_passages` on :class:`~annotate.training.sources.Example`
    rows (the encoder-head trainer's data, any split: only ``split == "train"`` ones
    count), so every trainer refuses alike, with the same message. Raises TrainingError;
    True when ``allow`` let it train anyway, warned."""
    names = tax.category_names
    train = [ex for ex in examples if ex.split == "train"]
    frame = pd.DataFrame(
        {
            "source": [ex.source for ex in train],
            "labels": [
                np.array([int(n in ex.labels and n in ex.known) for n in names], np.int8)
                for ex in train
            ],
        }
    )
    return require_harmful_passages(frame, tax, allow=allow)


def require_harmful_passages(train: pd.DataFrame, tax: Taxonomy, *, allow: bool = False) -> bool:
    """Raise TrainingError when no training passage of the data (derived rows left out:
    :func:`harmful_passage_counts`) has any harmful label: the model's harmful heads
    would learn from labels.yaml's examples alone. With ``allow`` (the CLI's
    :data:`ALLOW_OPTION`) it warns loudly instead and returns True. A taxonomy without
    harmful labels, or data with a harmful passage, passes silently (False)."""
    from annotate._util.plural import counted
    from annotate.errors import TrainingError

    counts = harmful_passage_counts(train, tax)
    if not counts or any(counts.values()):
        return False
    if not allow:
        data = int((~is_derived(train["source"].astype(str).to_numpy())).sum())
        raise TrainingError(
            "expected at least one training passage of the data with a harmful label "
            f"({', '.join(counts)}); found {counted(data, 'training passage')}, none with one: the "
            "model's harmful heads would learn from labels.yaml's examples alone, a sentence "
            "or two each, and a riskiest-first review queue ordered by its scores would be "
            "noise.",
            fix="review (and export) passages with harmful content, add a table with "
            "harmful examples (--data), or train on the default model's data plus your "
            "export (--config models/default.train.yaml --data EXPORT); to train this model "
            f"anyway (e.g. to test the pipeline), pass {ALLOW_OPTION}.",
        )
    log.warning(
        "NO training passage of the data has a harmful label (%s): the model's harmful "
        "heads learn from labels.yaml's examples alone, a sentence or two each, so its "
        "harmful scores are noise and a riskiest-first review queue ordered by them is "
        "meaningless; do not prelabel with it. Review (and export) passages with harmful "
        "content, or add a table with harmful examples (--data), and train again (trained "
        "anyway: %s)",
        ", ".join(counts),
        ALLOW_OPTION,
    )
    return True
