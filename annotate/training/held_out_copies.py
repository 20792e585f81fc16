"""Test passages whose text a training or validation row also has.

Each source is split by document (an export keeps the splits it was exported with, a
project table is split by a seeded hash of its documents), so two sources that hold the
same passage, e.g. a reviewed export and the project table its documents came from, or
one text posted as two documents, can put it in the test split of one and the train
split of the other. The model is then fitted (or calibrated) on a passage its held-out
figures count. ``train`` measures how many test passages are such copies: the text
compared with case and runs of white space folded, as the audit report's leakage check
compares an export's splits. Recorded as ``metrics.test_copies`` in
``annotate_model.json``; ``train`` warns and the model card says so
(:func:`annotate.training.card_limits.copy_lines`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from annotate._util.folding import folded
from annotate.corpus.schema import FIT_SPLITS

EXAMPLES_KEPT = 5  # copies named in the record


def find_test_copies(
    texts: Sequence[str],
    splits: Sequence[str],
    sources: Sequence[str],
    ids: Sequence[str],
) -> dict[str, Any] | None:
    """Of the rows (aligned sequences; the rows the test report scores, and every train
    and validation row), the test rows whose :func:`annotate._util.folding.folded` text
    a train or validation row has. None without a test row; else ``{"count",
    "test_passages", "by_source": {test source: count}, "examples": [{"id", "source",
    "copy_source", "copy_split"}]}`` (up to :data:`EXAMPLES_KEPT` examples, in row order)."""
    fitted: dict[str, tuple[str, str]] = {}
    for text, split, source in zip(texts, splits, sources, strict=True):
        if split in FIT_SPLITS:
            fitted.setdefault(folded(text), (str(source), str(split)))
    n_test, count = 0, 0
    by_source: dict[str, int] = {}
    examples: list[dict[str, str]] = []
    for text, split, source, row_id in zip(texts, splits, sources, ids, strict=True):
        if split != "test":
            continue
        n_test += 1
        hit = fitted.get(folded(text))
        if hit is None:
            continue
        count += 1
        by_source[str(source)] = by_source.get(str(source), 0) + 1
        if len(examples) < EXAMPLES_KEPT:
            examples.append(
                {
                    "id": str(row_id),
                    "source": str(source),
                    "copy_source": hit[0],
                    "copy_split": hit[1],
                }
            )
    if n_test == 0:
        return None
    return {
        "count": count,
        "test_passages": n_test,
        "by_source": dict(sorted(by_source.items())),
        "examples": examples,
    }


def copy_warning(record: dict[str, Any] | None) -> str:
    """What :func:`find_test_copies`' record means, for ``train``'s warning and the card; ""
    when no test passage is a copy (or nothing was recorded)."""
    if not record or not record.get("count"):
        return ""
    n, total = int(record["count"]), int(record.get("test_passages") or 0)
    first = (record.get("examples") or [{}])[0]
    example = (
        f" (e.g. {first['id']} of {first['source']}, also in {first['copy_source']}'s "
        f"{first['copy_split']} split)"
        if first.get("id")
        else ""
    )
    return (
        f"{n:,} of {total:,} test passages have the same text (case and spacing aside) as a "
        f"training or validation row{example}, so the held-out figures count passages the "
        "model was fitted or calibrated on (`metrics.test_copies` in annotate_model.json): "
        "a passage in two sources (an export and the table its documents came from) or "
        "posted as two documents; train on one copy of each, or evaluate on labeled data "
        "the model has not seen"
    )
