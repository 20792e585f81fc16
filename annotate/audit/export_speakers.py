"""The speakers of a conversation's passages, as ``export --redact`` masks them: found
across a document's exported rows read together, as ``ingest --redact`` finds them on
the document's whole text (:func:`annotate.ingestion.turns.find_turns`), so a chat split
a turn to a passage (ingest's default ``--turns``) has its speakers masked in every row,
numbered alike across the document (``[10:07] [NAME-1]: ...``); and the speaker a
passage's own label names (``[10:07] alex: ``,
:func:`annotate.ingestion.turn_labels.label_speakers`), for a document only one row of
which is exported.

Memory: one document's exported text at a time (its rows' texts joined), and the
speakers found per document.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from annotate.audit.redact import Redactor, speaker_labels


def _place(row: dict[str, Any], i: int) -> tuple[int, int, int]:
    """Where a row is in its document: by ``start``, then ``passage_index``, then order."""
    start, index = row.get("start"), row.get("passage_index")
    return (
        start if isinstance(start, int) else -1,
        index if isinstance(index, int) else -1,
        i,
    )


def row_speakers(texts: Sequence[str], conversation: bool) -> list[str]:
    """The speaker labels (:func:`annotate.audit.redact.speaker_labels`: those that are
    phone numbers or name someone) of a document's passage ``texts``, in document order:
    the turns of the texts read together (one line break between two) and each text's
    own labels (``conversation``: the document is one, ingest's ``conversation`` column,
    so plain ``Dave: `` labels count)."""
    from annotate.ingestion.turn_labels import label_speakers
    from annotate.ingestion.turns import find_turns

    found = [t.speaker for t in find_turns("\n".join(texts)) if t.speaker]
    for text in texts:
        found += label_speakers(text, conversation=conversation)
    return speaker_labels(found)


def document_speakers(rows: Sequence[dict[str, Any]], redactor: Redactor) -> dict[str, list[str]]:
    """``doc_id`` -> the speaker labels of the document's rows (:func:`row_speakers`),
    for the documents that have any; a row without a ``doc_id`` is read alone, under the
    key ``"#N"`` (its position). {} with settings that mask neither names nor phone
    numbers."""
    if not {"name", "phone"} & set(redactor.settings.kinds):
        return {}
    by_doc: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        if not isinstance(row.get("text"), str):
            continue
        doc = row.get("doc_id")
        by_doc.setdefault(str(doc) if doc is not None else f"#{i}", []).append(i)
    out: dict[str, list[str]] = {}
    for doc, at in by_doc.items():
        at.sort(key=lambda i: _place(rows[i], i))
        conversation = any(bool(rows[i].get("conversation")) for i in at)
        labels = row_speakers([rows[i]["text"] for i in at], conversation)
        if labels:
            out[doc] = labels
    return out


def speakers_of(speakers: dict[str, list[str]], row: dict[str, Any], position: int) -> list[str]:
    """The speaker labels :func:`document_speakers` found for ``row`` (at ``position``
    in the rows it was given)."""
    doc = row.get("doc_id")
    return speakers.get(str(doc) if doc is not None else f"#{position}", [])
