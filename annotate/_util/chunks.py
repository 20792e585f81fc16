"""Document-preserving chunking: bounded batches that do not cut a document in two."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def document_chunks(
    items: Iterable[T], size: int, doc_of: Callable[[T], Hashable | None]
) -> Iterator[list[T]]:
    """Chunks of about ``size`` items, in order, each cut only between documents.

    ``doc_of(item)`` names the item's document (None: a document of its own). A single
    document longer than ``4 * size`` items is cut anyway, so memory stays bounded.
    """
    chunk: list[T] = []
    for item in items:
        if len(chunk) >= size:
            doc = doc_of(item)
            same_doc = doc is not None and doc == doc_of(chunk[-1])
            if not same_doc or len(chunk) >= 4 * size:
                yield chunk
                chunk = []
        chunk.append(item)
    if chunk:
        yield chunk
