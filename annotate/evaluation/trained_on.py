"""Whether a model may have been trained on the data an evaluation scores: only then do
the data's train and validation splits hold passages the model has seen (a model trained
on other data has seen none of them, whatever split a hash puts them in)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from annotate.classifier.base import Classifier
from annotate.evaluation.trained_splits import training_data

# kinds of training record that are no data source a user passes (derived rows)
_DERIVED = {"taxonomy examples", "span examples"}


def _empty(f: dict[str, Any]) -> bool:
    """Whether a recorded data file holds no row (``rows`` 0, or 0 bytes): an empty
    split's file is the same bytes in every export (its schema alone), so its digest
    names no data."""
    return f.get("rows") == 0 or f.get("bytes") == 0


def _keys(entry: dict[str, Any]) -> set[tuple[str, str]]:
    """What may tie a data description (``training.data`` or an evaluation's ``data``
    entry) to another: each data file's SHA-256 (but a file without rows, :func:`_empty`),
    the resolved path, a mapped source's name, an export's project."""
    keys = {("path", str(entry[k])) for k in ("resolved", "path") if entry.get(k)}
    for f in entry.get("files") or []:
        if (
            isinstance(f, dict)
            and f.get("role") in ("data", "manifest")
            and f.get("sha256")
            and not _empty(f)
        ):
            keys.add(("sha256", str(f["sha256"])))
    if entry.get("kind") == "mapped" and entry.get("name"):
        keys.add(("mapped", str(entry["name"])))
    if entry.get("project"):
        keys.add(("project", str(entry["project"])))
    return keys


def trained_on_data(clf: Classifier, described: Sequence[dict[str, Any]]) -> bool | None:
    """True when a source of ``described`` (``load_examples``' descriptions of the scored
    data) may be one ``clf`` was trained on: a data file with the same SHA-256 (a file of
    no rows, such as an empty split's, ties nothing: it is the same in any export), the same
    resolved path, the same mapped data set (mapping ``name``) or an export of the same
    project as an entry of the model's ``training.data``. False when none is; None when
    the model records no training data (a transformers model, a model trained before
    those records), so nothing can be told."""
    trained = [e for e in training_data(clf) if e.get("kind") not in _DERIVED]
    if not trained:
        return None
    seen = set().union(*(_keys(e) for e in trained))
    return any(_keys(d) & seen for d in described if d.get("kind") not in _DERIVED)
