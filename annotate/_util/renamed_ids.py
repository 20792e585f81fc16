"""Passages a project holds under the document id an earlier annotate gave them.

Before 2026-12-05 ingest wrote an id that pandas stored as a float (an integer id column
with an empty cell, in Parquet or its JSON) as Python prints the float, ``7.0``; it
writes the integer now, ``7`` (:func:`annotate._util.coerce.id_str`). A passage id is a
hash of the document id and the text, so every passage of such a table ingested again has
a new id. A push finds them by their text as re-posts, which they are not: the same
passage of the same document. The rule both push paths apply (the plain push's in SQL,
:meth:`annotate.studio.staging.Staging.renamed`): a task of a passage the file does not
hold, holding the row's text at the row's ``passage_index``, whose document id is the
row's followed by :data:`FLOAT_ID_SUFFIX`.
"""

from __future__ import annotations

FLOAT_ID_SUFFIX = ".0"  # what the float's text added to the integer's


def earlier_document_id(
    row_doc: str | None, row_index: int | None, task_doc: str | None, task_index: int | None
) -> bool:
    """Whether a task of document ``task_doc`` at ``task_index``, holding a row's text,
    holds that row's passage (document ``row_doc``, at ``row_index``) under the document
    id an earlier annotate wrote for it. False when a document id or an index is missing."""
    if row_doc in (None, "") or task_doc in (None, "") or row_index is None:
        return False
    return task_index == row_index and task_doc == f"{row_doc}{FLOAT_ID_SUFFIX}"
