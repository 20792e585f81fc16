"""Passage ids (``annotate ingest``'s ``id`` column) and text digests (its exact-duplicate
key), here so that a command that only needs them (push, finding the task of a neighbour a
row carries or of a re-posted text) does not import the ingest package (pyarrow, the
readers)."""

from __future__ import annotations

import hashlib
import unicodedata


def passage_id(doc_id: str, text: str) -> str:
    """Stable ID from the document and the passage's content."""
    digest = hashlib.sha256(f"{doc_id}\x00{text}".encode()).hexdigest()
    return f"p_{digest[:20]}"


def text_digest(text: str) -> bytes:
    """16-byte digest of a passage's text (equal texts, equal digests), of the text as
    ingest writes it (control characters removed, ``annotate._util.encoding.clean_text``);
    ingest drops exact duplicates by that of the text in NFC (:func:`duplicate_digest`)."""
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def duplicate_digest(text: str) -> bytes:
    """The key ingest drops exact duplicates by: :func:`text_digest` of ``text`` in Unicode
    NFC, so that the same text with its accents composed (é) or decomposed (e and U+0301,
    as macOS and some keyboards write them) is one text. Only canonically equivalent
    spellings, which read the same, are one: compatibility forms (full-width letters,
    half-width kana, ligatures) stay apart here (an evasion spelling is a passage of its
    own; the near-duplicate search groups them). Only the key is normalised: the passage
    kept, and the copies' offsets, are of the text as written."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text_digest(text)


def text_key(text: str) -> int:
    """:func:`text_digest` as a signed 128-bit integer (a DuckDB ``HUGEINT``)."""
    return int.from_bytes(text_digest(text), "big", signed=True)
