"""A model's record of the data it was trained on, and the split its training put every
row of a data source into (a config entry's ``split: test``, e.g. the Gab Hate Corpus's
own test file), so that evaluating the model on that source again scores its rows in the
same split: a held-out test file is held out whole, not re-split by document hash into
"train" rows the model never saw.

Public interface (also read by :mod:`annotate.evaluation.near_copies` and
:mod:`annotate.evaluation.trained_on`): :func:`training_data` (the model's
``training.data`` entries), :func:`source_split` (the one split an entry's rows went to)
and :func:`with_trained_splits`."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from annotate.classifier.base import Classifier, training_record
from annotate.corpus.schema import SPLITS
from annotate.settings import display_path
from annotate.training.sources import DataSource

log = logging.getLogger(__name__)


def training_data(clf: Classifier) -> list[dict[str, Any]]:
    """The ``training.data`` entries of ``clf``'s training record (its
    ``annotate_model.json`` config, read as an attribute ``config.training`` or a
    mapping ``config["training"]``): one dict per data source it was trained on
    (``path``, ``kind``, ``split``, ``label_counts``, ``files`` ... as training wrote
    them). [] when the model records none (a transformers model, a model trained before
    those records); entries that are not dicts are left out. Never raises."""
    data = training_record(clf).get("data")
    return [d for d in data or [] if isinstance(d, dict)]


def source_split(entry: dict[str, Any]) -> str | None:
    """The split every row of a training source went to, for one :func:`training_data`
    entry: the recorded ``split`` of its config entry (one of
    :data:`annotate.corpus.schema.SPLITS`), else the one split its ``label_counts`` name
    (models trained before the entry's split was recorded); None when its rows went to
    several splits or the entry says nothing usable. Never raises."""
    split = entry.get("split")
    if split in SPLITS:
        return str(split)
    counts = entry.get("label_counts")
    if isinstance(counts, dict) and len(counts) == 1 and next(iter(counts)) in SPLITS:
        return str(next(iter(counts)))
    return None


def _names(path: str | None) -> set[str]:
    """How a model's training record may name ``path`` (see ``display_path``)."""
    if not path:
        return set()
    return {display_path(path), display_path(Path(path).absolute())}


def with_trained_splits(clf: Classifier, data: Sequence[DataSource]) -> list[DataSource]:
    """``data`` with ``split`` set on each source that ``clf`` was trained on with all its
    rows in one split (same path, and same mapping where either has one)."""
    known = [(e, s) for e in training_data(clf) if (s := source_split(e))]
    out = []
    for src in data:
        match = next(
            (
                split
                for entry, split in known
                if entry.get("path") in _names(src.path)
                and (
                    not (entry.get("mapping") or src.mapping)
                    or entry.get("mapping") in _names(src.mapping)
                )
            ),
            None,
        )
        if src.split is None and match is not None:
            log.info("%s: every row is %s, as when %s was trained", src.path, match, clf.version)
            src = dataclasses.replace(src, split=match)
        out.append(src)
    return out
