"""A model's record of the data it was trained on, and the split its training put every
row of a data source into (a config entry's ``split: test``, e.g. the Gab Hate Corpus's
own test file), so that evaluating the model on that source again scores its rows in the
same split: a held-out test file is held out whole, not re-split by document hash into
"train" rows the model never saw.

A project table is split by a seeded hash of its name (the file's stem) and each
document's id, its near-copy documents together where training grouped them; so the
same bytes under another file name (``reviewed-2026-12.csv``, a copy) would split
otherwise and put training rows in "test". A table whose bytes (SHA-256) are those of a
project table the model was trained on is split as that one was: under its recorded name,
with the near-copy grouping its record names (``near_dup_documents``).

Public interface (also read by :mod:`annotate.evaluation.near_copies` and
:mod:`annotate.evaluation.trained_on`): :func:`training_data` (the model's
``training.data`` entries), :func:`source_split` (the one split an entry's rows went to),
:func:`trained_table` (how a native entry's rows were split) and
:func:`with_trained_splits`."""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from annotate._util.digest import sha256_file
from annotate._util.shown import shown
from annotate.classifier.base import Classifier, training_record
from annotate.corpus.schema import SPLITS
from annotate.settings import PROJECT_ROOT, display_path, in_checkout
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
    names = {display_path(path), display_path(Path(path).absolute())}
    if in_checkout():  # as models trained before 6 Dec 2026 named data outside the checkout
        names.add(Path(os.path.relpath(Path(path).absolute(), PROJECT_ROOT)).as_posix())
    return names


def trained_table(entry: dict[str, Any]) -> tuple[str, bool]:
    """How a ``training.data`` entry of kind ``native`` (a project table) was split: the
    name its document keys had (its file's stem) and whether near-copy documents were
    grouped (recorded as ``near_dup_documents`` only where the search moved a split group:
    without it, splitting with or without the search gives the same splits)."""
    return Path(str(entry.get("path") or "")).stem, bool(entry.get("near_dup_documents"))


def _native_digests(entry: dict[str, Any]) -> set[str]:
    """The SHA-256 of a native entry's data file (none for a file of no rows)."""
    if entry.get("kind") != "native":
        return set()
    return {
        str(f["sha256"])
        for f in entry.get("files") or []
        if isinstance(f, dict)
        and f.get("role") == "data"
        and f.get("sha256")
        and f.get("rows") != 0
        and f.get("bytes") != 0
    }


def _same_bytes(clf: Classifier, src: DataSource) -> dict[str, Any] | None:
    """The native ``training.data`` entry of ``clf`` whose data file has the bytes of
    ``src``'s file (a project table given without a mapping), or None."""
    entries = [e for e in training_data(clf) if _native_digests(e)]
    path = Path(src.path)
    if not entries or src.mapping or not path.is_file():
        return None
    try:
        digest = sha256_file(path)
    except OSError:  # said when the table is read
        return None
    return next((e for e in entries if digest in _native_digests(e)), None)


def with_trained_splits(clf: Classifier, data: Sequence[DataSource]) -> list[DataSource]:
    """``data`` with ``split`` set on each source that ``clf`` was trained on with all its
    rows in one split (same path, and same mapping where either has one; or a project
    table of the same bytes); and on a project table with the bytes of one ``clf`` was
    trained on, the name and near-copy grouping it was split with
    (:func:`trained_table`), with a warning where its file name differs. A source an
    earlier model already named (a comparison) is left as it is."""
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
        same = _same_bytes(clf, src) if src.split_name is None else None
        if match is None and same is not None:
            match = source_split(same)
        if src.split is None and match is not None:
            log.info("%s: every row is %s, as when %s was trained", src.path, match, clf.version)
            src = dataclasses.replace(src, split=match)
        if same is not None:
            name, near_dups = trained_table(same)
            if name != Path(src.path).stem:
                log.warning(
                    "%s has the same bytes (SHA-256) as %s, which %s was trained on: its "
                    "rows are split as that table's were (a table's split follows its file "
                    "name), and named %r in the report, so that --split test scores the "
                    "passages held out in training",
                    shown(src.path),
                    same.get("path"),
                    clf.version,
                    name,
                )
            src = dataclasses.replace(src, split_name=name, near_dups=near_dups)
        out.append(src)
    return out
