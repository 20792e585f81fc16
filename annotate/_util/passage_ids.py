"""Passage ids (``annotate ingest``'s ``id`` column) and text digests (its exact-duplicate
key), here so that a command that only needs them (push, finding the task of a neighbour a
row carries or of a re-posted text) does not import the ingest package (pyarrow, the
readers)."""

from __future__ import annotations

import hashlib


def passage_id(doc_id: str, text: str) -> str:
    """Stable ID from the document and the passage's content."""
    digest = hashlib.sha256(f"{doc_id}\x00{text}".encode()).hexdigest()
    return f"p_{digest[:20]}"


def text_digest(text: str) -> bytes:
    """16-byte digest of a passage's text (equal texts, equal digests): the key ingest
    drops exact duplicates by, of the text as ingest writes it (control characters
    removed, ``annotate._util.encoding.clean_text``)."""
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def text_key(text: str) -> int:
    """:func:`text_digest` as a signed 128-bit integer (a DuckDB ``HUGEINT``)."""
    return int.from_bytes(text_digest(text), "big", signed=True)
