"""Windows of passages with their neighbours as context: bounded batches for a classifier
that reads each passage's neighbours, with the same results as whole documents.

A classifier that reads ``c`` neighbouring passages on each side of a passage (and the
passage's own title) gives a passage the same result whether it sees the whole document
or only a window of it holding the passage and its ``c`` neighbours each side. So a long
document is cut into windows of ``size`` passages, each sent with up to ``c`` passages of
the same document before and after it as context; only the window's own passages (its
core) are kept from each call. A classifier that reads the whole document
(``context=None``) gets whole documents.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

_END = object()


@dataclass
class Window(Generic[T]):
    """``items[start:stop]`` is the core (results kept); the rest is context."""

    items: list[T]
    start: int
    stop: int

    @property
    def core(self) -> list[T]:
        return self.items[self.start : self.stop]


class DocumentOrderError(ValueError):
    """A document's passages are not contiguous (``reason="apart"``) or not in order
    (``reason="order"``); ``position`` is the 1-based item number where it shows."""

    def __init__(self, doc: Hashable, position: int, reason: str) -> None:
        self.doc, self.position, self.reason = doc, position, reason
        super().__init__(f"document {doc!r}: {reason} at item {position}")


def checked_documents(
    items: Iterable[T],
    doc_of: Callable[[T], Hashable | None],
    order_of: Callable[[T], int] | None = None,
) -> Iterator[T]:
    """``items`` unchanged, checking that each document's items are contiguous and, with
    ``order_of``, in non-decreasing order. Raises DocumentOrderError at the first item
    that breaks it. Remembers the keys of finished documents (one per document)."""
    done: set[Hashable] = set()
    cur: Hashable | None = None
    last = 0
    for n, item in enumerate(items, start=1):
        doc = doc_of(item)
        if doc != cur:
            if cur is not None:
                done.add(cur)
            if doc is not None and doc in done:
                raise DocumentOrderError(doc, n, "apart")
            cur = doc
            last = order_of(item) if order_of is not None and doc is not None else 0
        elif doc is not None and order_of is not None:
            key = order_of(item)
            if key < last:
                raise DocumentOrderError(doc, n, "order")
            last = key
        yield item


def document_windows(
    items: Iterable[T],
    size: int,
    context: int | None,
    doc_of: Callable[[T], Hashable | None],
    reach: Callable[[T], int] | None = None,
) -> Iterator[Window[T]]:
    """Windows over ``items`` (in order) whose cores hold every item exactly once.

    ``doc_of(item)`` names the item's document (None: a document of its own). With
    ``context=c`` (an int >= 0) a core holds at most ``size`` items and may cut a
    document; a cut document's window carries up to ``c`` items of it before and after
    the core, so a window holds at most ``size + 2c`` items whatever the document's length.
    With ``context=None`` documents are never cut: a window closes between documents
    once it has ``size`` items (a document longer than ``size`` is one window).
    Items of one document must be contiguous and in order (see :func:`checked_documents`).
    ``reach(item)``: the items the document of ``item`` (an item of it where it is cut)
    needs each side at least where it is cut (a subtitle file's cues, read within their
    sentences), when more than ``c``.
    """
    if size < 1:
        raise ValueError("size must be >= 1")
    source = iter(items)
    ahead: deque[T] = deque()

    def pull() -> object:
        if ahead:
            return ahead.popleft()
        return next(source, _END)

    def same_doc(a: T, b: T) -> bool:
        d = doc_of(a)
        return d is not None and d == doc_of(b)

    left: list[T] = []
    core: list[T] = []
    while True:
        got = pull()
        if got is _END:
            break
        item: T = got  # type: ignore[assignment]
        if core and len(core) >= size:
            inside = same_doc(item, core[-1])
            if context is None and inside:
                core.append(item)
                continue
            right: list[T] = []
            wide = context if reach is None or context is None else max(context, reach(item))
            if inside and wide:
                right.append(item)
                while len(right) < wide:
                    nxt = pull()
                    if nxt is _END:
                        break
                    if not same_doc(nxt, item):  # type: ignore[arg-type]
                        ahead.appendleft(nxt)  # type: ignore[arg-type]
                        break
                    right.append(nxt)  # type: ignore[arg-type]
                ahead.extendleft(reversed(right))
            else:
                ahead.appendleft(item)
            yield Window(left + core + right, len(left), len(left) + len(core))
            before, left = left + core, []
            if inside and wide:
                for prev in reversed(before):  # the context may reach back past this core
                    if len(left) == wide or not same_doc(prev, item):
                        break
                    left.append(prev)
                left.reverse()
            core = []
            continue
        core.append(item)
    if core:
        yield Window(left + core, len(left), len(left) + len(core))
