"""Passage ids (``annotate ingest``'s ``id`` column), here so that a command that only
needs the id (push, finding the task of a neighbour a row carries) does not import the
ingest package (pyarrow, the readers)."""

from __future__ import annotations

import hashlib


def passage_id(doc_id: str, text: str) -> str:
    """Stable ID from the document and the passage's content."""
    digest = hashlib.sha256(f"{doc_id}\x00{text}".encode()).hexdigest()
    return f"p_{digest[:20]}"
