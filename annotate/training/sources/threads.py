"""Reply threads of a training table's rows, so that a re-split keeps a thread in one split.

`annotate export` puts the comments of one reply thread in one split (a reply quoting a
threat in train while the threat is in test is leakage:
:func:`annotate.corpus.splits.thread_roots`). `annotate train` splits the rows of a table
without a ``split`` column (and of an export's split file without one) itself, and links
them the same way: a row's parent is its parent-like column (``parent_id``,
``in_reply_to_status_id``, ...: :data:`annotate.review.parents.PARENT_KEYS`), at the top
level of the table or in its ``meta`` (JSON, as export writes it), read as push reads it
(:func:`annotate.review.parents.parent_doc_id`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from annotate._util.coerce import json_cell
from annotate.review.parents import parent_doc_id, parent_key


def row_parent(row: Mapping[str, Any]) -> str | None:
    """The document id ``row`` replies to (None: none): its ``meta``'s parent-like key,
    else a parent-like column of the row itself; the ``ingest_run`` record's
    ``parent_column`` where the row carries one."""
    meta = json_cell(row.get("meta"))
    view_meta = dict(meta) if isinstance(meta, dict) else {}
    for key, value in row.items():
        if parent_key(key) and key not in view_meta:
            view_meta[key] = value
    view = {
        "meta": view_meta,
        "doc_id": row.get("doc_id"),
        "ingest_run": row.get("ingest_run"),
        "redaction": row.get("ingest_redaction"),
    }
    return parent_doc_id(view)
