"""Reply threads and split groups of passage rows: export's, verify's and train's.

A comments table's parent column (``parent_id``, ``in_reply_to_status_id``, ...: see
:mod:`annotate.review.parents`) makes each comment a document of its own; a reply that
quotes a threat in train while the threat is in test is leakage. Export links the
documents of one reply thread like near-duplicates (:func:`annotate.corpus.splits.thread_roots`,
:func:`annotate.corpus.splits.leakage_groups`). Each row's parent is read as push reads it
(:func:`annotate.review.parents.parent_doc_id`): the row's ``meta`` (and a parent-like
column of the row itself, as a plain table has one), its ingest run's ``parent_column``
and ``id_prefix`` (the manifest's ``ingest_runs``, or the run record an ingest table
carries in its ``ingest_run`` column), and under ingest ``--redact`` the keyed
pseudonym of a parent id holding personal data (the row's ``ingest_redaction``), so it
names the parent as the parent's row names its ``doc_id``.

:func:`split_links` forms the links a split group follows (ingest's near-duplicate
groups and the reply threads): `annotate export` splits by them, `annotate verify`
recomputes the splits by them (:mod:`annotate.audit.splits_fit`) and `annotate train`
re-splits by them an export's split file whose rows lost their split
(:func:`annotate.training.sources.exports.read_export_rows_file`). That file is read
without its folder, so without the manifest's ingest runs: its threads are linked by the
rows' meta and parent-like columns only, and an ingest's ``--parent-column`` /
``--id-prefix`` are not applied there (reader63 #4; the rows carry only their run's id).
A plain table's re-split reads each row's parent with :func:`row_parent` too but forms
its groups itself (:mod:`annotate.training.sources.native`: it also links a passage that
other rows name as their group, as ingest ``--previous`` writes them).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from annotate._util.coerce import json_cell
from annotate.corpus.splits import (
    cross_split_groups,
    ingest_group_column,
    leakage_groups,
    thread_roots,
)
from annotate.review.parents import parent_doc_id, parent_key

log = logging.getLogger(__name__)


def row_parent(
    row: Mapping[str, Any], runs: Mapping[str, Mapping[str, Any]] | None = None
) -> str | None:
    """The document id ``row`` replies to (None: none). ``row``: an export row or a
    table's (``meta``, ``doc_id`` or else ``id``, ``ingest_run``, ``ingest_redaction``);
    its parent-like columns (:data:`annotate.review.parents.PARENT_KEYS`) are read beside
    its ``meta``'s keys, which win. Its ingest run's record (``settings``: the
    ``parent_column`` and ``id_prefix`` it ran with) is ``runs[row["ingest_run"]]``
    (``runs``: run id -> record, as collected from the tasks or a manifest's
    ``ingest_runs``), else the row's own ``ingest_run`` cell where that holds the
    record (JSON, as an ingest table writes it); a row with neither reads the parent-like
    keys (:func:`annotate.review.parents.parent_doc_id`)."""
    meta = json_cell(row.get("meta"))
    view_meta = dict(meta) if isinstance(meta, dict) else {}
    for key, value in row.items():
        if parent_key(key) and key not in view_meta:
            view_meta[key] = value
    run = row.get("ingest_run")
    if isinstance(run, str) and runs is not None and run in runs:
        run = runs[run]
    view = {
        "meta": view_meta,
        "doc_id": row.get("doc_id") or row.get("id"),
        "ingest_run": run,
        "redaction": row.get("ingest_redaction"),
    }
    return parent_doc_id(view)


def row_parents(
    rows: Sequence[Mapping[str, Any]], runs: Mapping[str, Mapping[str, Any]] | None = None
) -> list[str | None]:
    """Each row's parent document id (None: it replies to none): :func:`row_parent`."""
    return [row_parent(r, runs) for r in rows]


@dataclass(frozen=True)
class SplitLinks:
    """What the split groups of rows follow from, one entry per row: ``doc_ids`` (each
    row's ``doc_id``, else its ``id``), ``ingest`` (ingest's near-duplicate group,
    :func:`annotate.corpus.splits.ingest_group_column`) and ``threads`` (the reply thread,
    :func:`thread_column`)."""

    doc_ids: list[str]
    ingest: list[str | None]
    threads: list[str | None]

    def groups(self, *found: Sequence[str | None], keys: Sequence[str] | None = None) -> list[str]:
        """Each row's split group (:func:`annotate.corpus.splits.leakage_groups`): its
        document merged with those it shares an ingest group, a reply thread or a group
        of ``found`` (export's own near-duplicate search, one per row) with. ``keys``:
        the documents' names in the groups (default ``doc_ids``; train names an export
        file's documents ``export:DOC``), one per row."""
        names = self.doc_ids if keys is None else list(keys)
        return leakage_groups(names, self.ingest, self.threads, *found)


def split_links(
    rows: Sequence[Mapping[str, Any]], runs: Mapping[str, Mapping[str, Any]] | None = None
) -> SplitLinks:
    """The links of ``rows`` a split group follows (:class:`SplitLinks`): ``runs`` as
    :func:`row_parent` takes them. Export, verify's split recompute and train's re-split
    of an export's split file all form them here."""
    return SplitLinks(
        doc_ids=[str(r.get("doc_id") or r.get("id")) for r in rows],
        ingest=ingest_group_column(rows),
        threads=thread_column(rows, runs),
    )


def thread_column(
    rows: Sequence[Mapping[str, Any]], runs: Mapping[str, Mapping[str, Any]] | None = None
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
