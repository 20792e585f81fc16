"""Near-duplicates among the exported passages, whatever ingest they came from.

Ingest links near-duplicate passages of one ingest run (``near_dup_group``); a corpus
reviewed in batches (one ingest per week, say) has copies across batches that no ingest
saw together: a re-posted statement in March's batch and in May's could land in train
and test and inflate the test scores (the leakage that grouping documents exists to
prevent). Export therefore searches all its rows again, with the same MinHash LSH as
ingest (:mod:`annotate.ingestion.near_dups`), and the split groups merge the documents
either search links (:func:`annotate.corpus.splits.leakage_groups`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from annotate.ingestion.near_dups import near_dup_index

log = logging.getLogger(__name__)

CHUNK = 5_000  # rows hashed at a time


def export_near_dup_groups(
    rows: Sequence[dict[str, Any]],
    threshold: float,
    advance: Callable[[int], None] | None = None,
) -> list[str | None]:
    """Per row (in order): the id of the first row of its near-duplicate group found
    over all ``rows`` (Jaccard similarity of word 3-gram shingles at least
    ``threshold``, MinHash LSH as at ingest), None when no passage of another document
    is near it. ``rows`` must hold a document's passages together (export sorts them by
    ``doc_id``). ``advance(n)`` is called as rows are hashed. Raises InputError for a
    threshold outside (0, 1)."""
    with near_dup_index(threshold) as index:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            index.add(
                [str(r["id"]) for r in chunk],
                [str(r["doc_id"] or r["id"]) for r in chunk],
                [str(r["text"] or "") for r in chunk],
            )
            if advance is not None:
                advance(len(chunk))
        index.group()
        found = index.groups_of(0, len(rows))
    return [found.get(i) for i in range(len(rows))]


def export_search_report(
    doc_ids: Sequence[str],
    ingest_split_groups: Sequence[str],
    split_groups: Sequence[str],
    found: Sequence[str | None],
    threshold: float,
) -> dict[str, Any]:
    """The manifest's ``near_duplicates.export_search``: the threshold, the groups and
    passages found over the exported rows (``found``, per row), and how many documents
    they joined to a split group that ingest's groups alone did not
    (``documents_linked_beyond_ingest``). ``ingest_split_groups`` and ``split_groups``:
    each row's :func:`leakage_groups` from ingest's groups (and reply threads) alone and
    with ``found``."""
    before = dict(zip(doc_ids, ingest_split_groups, strict=True))
    after = dict(zip(doc_ids, split_groups, strict=True))
    moved = sum(1 for d in before if before[d] != after[d])
    marked = [g for g in found if g is not None]
    if moved:
        log.info(
            "export near-duplicate search: %d document(s) joined a split group ingest did "
            "not link (near-copies across ingest runs)",
            moved,
        )
    return {
        "threshold": threshold,
        "groups": len(set(marked)),
        "passages": len(marked),
        "documents_linked_beyond_ingest": moved,
    }
