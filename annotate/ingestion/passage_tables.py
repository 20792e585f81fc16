"""Tables that already hold passages: ingest's, prelabel's or an export's rows.

Such a table has several rows per document (``doc_id``), so ingest, which reads a table
as one document a row, stops at the second passage of the first document with "document
id ... is on row 1 and again on row 2". That message's fix (give each row its own id)
does not fit: the rows are passages already cut. :func:`passages_table_kind` tells such
a table by its columns and :func:`passages_table_error` says what to do with it instead.
"""

from __future__ import annotations

from collections.abc import Collection
from shlex import quote

from annotate._util.shell import sh
from annotate.errors import InputError

# the columns every passages table annotate writes has (ingest's output, prelabel's,
# an export's rows): the passage id, its document, its place in it and its offsets
PASSAGE_COLUMNS = frozenset({"id", "doc_id", "passage_index", "start", "end"})
EXPORT = "an annotate export's rows"
PRELABELS = "a pre-label table, annotate prelabel's output"
PASSAGES = "a passages table, annotate ingest's output"


def passages_table_kind(columns: Collection[str]) -> str | None:
    """Which passages table a table with ``columns`` is (:data:`EXPORT`,
    :data:`PRELABELS` or :data:`PASSAGES`), or None when it lacks a column of
    :data:`PASSAGE_COLUMNS`."""
    names = set(columns)
    if not names >= PASSAGE_COLUMNS:
        return None
    if {"scores", "model_version"} <= names:  # an export's rows pre-labelled are these
        return PRELABELS
    if {"split", "annotations"} <= names:
        return EXPORT
    return PASSAGES


def passages_table_error(conflict: InputError, path: str, kind: str) -> InputError:
    """``conflict`` (a document id on two rows of ``path``) with the fix for a table of
    passages of ``kind`` (:func:`passages_table_kind`): it needs no ingest."""
    return InputError(
        f"{conflict.what} {path} looks like {kind}, with the columns id, doc_id, "
        "passage_index, start and end: its rows are passages already cut, several per "
        "document, not documents to split.",
        fix=_fix(path, kind),
    )


def passages_table_given(path: str, kind: str) -> InputError:
    """A table of passages of ``kind`` (:func:`passages_table_kind`) given to ingest as
    documents without ``--id-column``: read so, each row would become a document again
    (a batch's passages sent for review as new documents), whether or not its document
    ids repeat; most often a second file meant for ``--previous`` (``--previous A B``
    reads B as an input). Passing ``--id-column id`` cuts each passage again on purpose."""
    return InputError(
        f"{path} looks like {kind}, with the columns id, doc_id, passage_index, start and "
        "end: its rows are passages already cut, not documents to split (read as documents, "
        "they would be sent for review again as new ones).",
        fix=_fix(path, kind, repeat=True),
    )


def _fix(path: str, kind: str, *, repeat: bool = False) -> str:
    shown = quote(path)
    if kind == PRELABELS:
        use = (
            f"push it as it is (`annotate push {sh(shown)} --project NAME`: it holds pre-labels "
            "already)"
        )
    else:
        use = (
            f"pre-label it as it is (`annotate prelabel {sh(shown)} --out prelabels.jsonl`, which "
            "reads a passages table, an export's rows too) and push the pre-labels"
        )
    previous = f"`annotate ingest NEW... --previous {shown}`" + (
        " (one file per --previous: `--previous EARLIER --previous "
        f"{shown}`, not `--previous EARLIER {shown}`, which reads it as an input)"
        if repeat
        else ""
    )
    return (
        f"to review these passages, {use}; to leave them out of a new batch, give it to "
        f"{previous}; to cut each passage again as a document of its own (new passage and "
        "document ids), pass --id-column id."
    )
