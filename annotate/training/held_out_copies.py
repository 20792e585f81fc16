"""Test passages whose text a training or validation row also has.

Each source is split by document (an export keeps the splits it was exported with, a
project table is split by a seeded hash of its documents), so two sources that hold the
same passage, e.g. a reviewed export and the project table its documents came from, or
one text posted as two documents, can put it in the test split of one and the train
split of the other. The model is then fitted (or calibrated) on a passage its held-out
figures count. ``train`` measures how many test passages are such copies: the text
compared with case and runs of white space folded, as the audit report's leakage check
compares an export's splits; and how many other test passages are near-copies of a
training or validation row (a repost with a word added: shingle Jaccard at least
``DEFAULT_NEAR_DUP_THRESHOLD``, the MinHash LSH search `evaluate` runs against a model's
training rows, :func:`annotate.evaluation.near_copies.near_copy_pairs`). Recorded as
``metrics.test_copies`` in ``annotate_model.json``; ``train`` warns and the model card
says so (:func:`annotate.training.card_limits.copy_lines`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from annotate._util.folding import folded
from annotate.corpus.schema import FIT_SPLITS
from annotate.defaults import DEFAULT_NEAR_DUP_THRESHOLD

EXAMPLES_KEPT = 5  # copies named in the record


def find_test_copies(
    texts: Sequence[str],
    splits: Sequence[str],
    sources: Sequence[str],
    ids: Sequence[str],
    copies_at: list[int] | None = None,
) -> dict[str, Any] | None:
    """Of the rows (aligned sequences; the rows the test report scores, and every train
    and validation row), the test rows whose :func:`annotate._util.folding.folded` text
    a train or validation row has, and the other test rows that are near-copies of one
    (:func:`near_copies`). None without a test row; else ``{"count", "test_passages",
    "by_source": {test source: count}, "examples": [{"id", "source", "copy_source",
    "copy_split"}], "near_count", "near_threshold", "near_by_source", "near_examples":
    [{"id", "source", "copy_id", "copy_source", "copy_split", "jaccard"}]}`` (up to
    :data:`EXAMPLES_KEPT` examples each, in row order; ``near_count`` does not count the
    exact copies). ``copies_at``: a list given is filled with the positions of the test
    rows that are copies or near-copies (for the figures without them, passJ L2)."""
    fitted: dict[str, tuple[str, str]] = {}
    for text, split, source in zip(texts, splits, sources, strict=True):
        if split in FIT_SPLITS:
            fitted.setdefault(folded(text), (str(source), str(split)))
    n_test, count = 0, 0
    by_source: dict[str, int] = {}
    examples: list[dict[str, str]] = []
    others: list[int] = []  # test rows that are no exact copy
    for i, (text, split, source, row_id) in enumerate(
        zip(texts, splits, sources, ids, strict=True)
    ):
        if split != "test":
            continue
        n_test += 1
        hit = fitted.get(folded(text))
        if hit is None:
            others.append(i)
            continue
        if copies_at is not None:
            copies_at.append(i)
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
        **near_copies(texts, splits, sources, ids, others, copies_at),
    }


def near_copies(
    texts: Sequence[str],
    splits: Sequence[str],
    sources: Sequence[str],
    ids: Sequence[str],
    test_rows: Sequence[int],
    copies_at: list[int] | None = None,
) -> dict[str, Any]:
    """Of the rows ``test_rows`` (positions in the aligned sequences), those that are
    near-copies of a train or validation row: ``{"near_count", "near_threshold",
    "near_by_source", "near_examples"}`` (see :func:`find_test_copies`)."""
    from annotate.evaluation.near_copies import near_copy_pairs

    fit = [i for i, split in enumerate(splits) if split in FIT_SPLITS]
    pairs = near_copy_pairs([texts[i] for i in test_rows], [texts[j] for j in fit])
    by_source: dict[str, int] = {}
    examples: list[dict[str, Any]] = []
    for a, b, jaccard in pairs:
        i, j = test_rows[a], fit[b]
        if copies_at is not None:
            copies_at.append(i)
        by_source[str(sources[i])] = by_source.get(str(sources[i]), 0) + 1
        if len(examples) < EXAMPLES_KEPT:
            examples.append(
                {
                    "id": str(ids[i]),
                    "source": str(sources[i]),
                    "copy_id": str(ids[j]),
                    "copy_source": str(sources[j]),
                    "copy_split": str(splits[j]),
                    "jaccard": jaccard,
                }
            )
    return {
        "near_count": len(pairs),
        "near_threshold": DEFAULT_NEAR_DUP_THRESHOLD,
        "near_by_source": dict(sorted(by_source.items())),
        "near_examples": examples,
    }


def copy_warning(record: dict[str, Any] | None) -> str:
    """What :func:`find_test_copies`' record means, for ``train``'s warning and the card; ""
    when no test passage is a copy or a near-copy (or nothing was recorded). A record
    without ``near_count`` (a model trained before the near-copy search) says what it did."""
    if not record:
        return ""
    n, total = int(record.get("count") or 0), int(record.get("test_passages") or 0)
    near = int(record.get("near_count") or 0)
    if not n and not near:
        return ""
    first = (record.get("examples") or [{}])[0]
    example = (
        f" (e.g. {first['id']} of {first['source']}, also in {first['copy_source']}'s "
        f"{first['copy_split']} split)"
        if first.get("id")
        else ""
    )
    without = record.get("macro_f1_without_copies")
    kept = record.get("test_passages_without_copies")
    figure = (
        f"; without them, macro F1 {without} on {kept:,} test passages"
        if without is not None and isinstance(kept, int)
        else ""
    )
    why = (
        "so the held-out figures count passages the model was fitted or calibrated on "
        f"(`metrics.test_copies` in annotate_model.json{figure}): "
    )
    if not near:
        return (
            f"{n:,} of {total:,} test passages have the same text (case and spacing aside) "
            f"as a training or validation row{example}, {why}"
            "a passage in two sources (an export and the table its documents came from) or "
            "posted as two documents; train on one copy of each, or evaluate on labeled data "
            "the model has not seen"
        )
    threshold = record.get("near_threshold", DEFAULT_NEAR_DUP_THRESHOLD)
    one = (record.get("near_examples") or [{}])[0]
    near_example = (
        f"; e.g. {one['id']} of {one['source']}, near {one['copy_id']} of "
        f"{one['copy_source']}'s {one['copy_split']} split"
        if one.get("id")
        else ""
    )
    same_example = (
        f"; e.g. {first['id']} of {first['source']}, also in {first['copy_source']}'s "
        f"{first['copy_split']} split"
        if first.get("id")
        else ""
    )
    same = f"{n:,} with the same text (case and spacing aside{same_example}) and " if n else ""
    return (
        f"{n + near:,} of {total:,} test passages are copies of a training or validation "
        f"row: {same}{near:,} near-copies (Jaccard >= {threshold} of word 3-grams, character "
        f"n-grams in Chinese, Japanese or Thai{near_example}), "
        f"{why}a passage in two sources or posted again as another document (a repost "
        "with a word added); train on one copy of each (a project table's near-copy "
        "documents are split together unless its data entry sets `near_dup_split: "
        "false`), or evaluate on labeled data the model has not seen"
    )
