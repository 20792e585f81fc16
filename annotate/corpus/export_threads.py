"""Reply threads of the exported rows, for their split groups and the manifest.

A comments table's parent column (``parent_id``, ``in_reply_to_status_id``, ...: see
:mod:`annotate.review.parents`) makes each comment a document of its own; a reply that
quotes a threat in train while the threat is in test is leakage. Export links the
documents of one reply thread like near-duplicates (:func:`annotate.corpus.splits.thread_roots`,
:func:`annotate.corpus.splits.leakage_groups`). Each row's parent is read as push reads it
(:func:`annotate.review.parents.parent_doc_id`): the row's ``meta``, its ingest run's
``parent_column`` and ``id_prefix`` (the manifest's ``ingest_runs``), and under ingest
``--redact`` the keyed pseudonym of a parent id holding personal data (the row's
``ingest_redaction``), so it names the parent as the parent's row names its ``doc_id``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from annotate.corpus.splits import cross_split_groups, thread_roots
from annotate.review.parents import parent_doc_id

log = logging.getLogger(__name__)


def row_parents(
    rows: Sequence[Mapping[str, Any]], runs: Mapping[str, Mapping[str, Any]]
) -> list[str | None]:
    """Each export row's parent document id (None: it replies to none). ``rows``: export
    rows (``meta``, ``doc_id``, ``ingest_run`` id, ``ingest_redaction``); ``runs``: ingest
    run id -> its record (``settings``), as collected from the tasks; a row whose run has
    no record reads the parent-like meta keys (:data:`annotate.review.parents.PARENT_KEYS`)."""
    out: list[str | None] = []
    for r in rows:
        run = r.get("ingest_run")
        view = {
            "meta": r.get("meta"),
            "doc_id": r.get("doc_id") or r.get("id"),
            "ingest_run": runs.get(run) if isinstance(run, str) else None,
            "redaction": r.get("ingest_redaction"),
        }
        out.append(parent_doc_id(view))
    return out


def thread_column(
    rows: Sequence[Mapping[str, Any]], runs: Mapping[str, Mapping[str, Any]]
) -> list[str | None]:
    """Each row's reply thread (:func:`annotate.corpus.splits.thread_roots` of its
    document, ``doc_id`` or else its ``id``), None for a row in no thread."""
    docs = [str(r.get("doc_id") or r.get("id")) for r in rows]
    return thread_roots(docs, row_parents(rows, runs))


def threads_report(
    doc_ids: Sequence[str], threads: Sequence[str | None], splits: Sequence[str]
) -> dict[str, Any]:
    """The manifest's ``splits.reply_threads``: the threads among the rows (each named
    by its smallest exported ``doc_id``, never by a top comment not exported), their
    documents and passages, and any thread found in more than one split (logged; export
    keeps a thread in one split, so none unless splits were set otherwise)."""
    name: dict[str, str] = {}
    for doc, thread in zip(doc_ids, threads, strict=True):
        if thread is not None and (thread not in name or doc < name[thread]):
            name[thread] = doc
    named = [None if t is None else name[t] for t in threads]
    cross = cross_split_groups(named, splits)
    for thread, where in cross.items():
        log.warning("reply thread of document %s spans splits %s", thread, ", ".join(where))
    return {
        "threads": len(name),
        "documents": len({d for d, t in zip(doc_ids, threads, strict=True) if t is not None}),
        "passages": sum(t is not None for t in threads),
        "cross_split_threads": cross,
    }
