"""Windows of passages with neighbour context (annotate/_util/windows.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotate._util.windows import DocumentOrderError, checked_documents, document_windows


def _items(doc_sizes: list[int]) -> list[tuple[str | None, int]]:
    """(doc, index) items; a size of 0 stands for one passage without a document."""
    out: list[tuple[str | None, int]] = []
    for d, n in enumerate(doc_sizes):
        out.extend([(None, 0)] if n == 0 else [(f"d{d}", i) for i in range(n)])
    return out


def _doc(item: tuple[str | None, int]) -> str | None:
    return item[0]


@settings(max_examples=200, deadline=None)
@given(
    doc_sizes=st.lists(st.integers(0, 30), min_size=0, max_size=12),
    size=st.integers(1, 12),
    context=st.one_of(st.none(), st.integers(0, 3)),
)
def test_cores_cover_every_item_once_with_its_neighbours(doc_sizes, size, context):
    items = [(d, i, n) for n, (d, i) in enumerate(_items(doc_sizes))]  # unique items
    windows = list(document_windows(items, size, context, _doc))
    cores = [x for w in windows for x in w.core]
    assert cores == items
    for w in windows:
        assert w.core, "no empty window"
        if context is None:
            # whole documents: nothing of a core's documents is outside the window
            docs = {x[0] for x in w.core if x[0] is not None}
            assert [x for x in items if x[0] in docs] == [x for x in w.items if x[0] in docs]
            assert w.items == w.core
            continue
        assert len(w.core) <= size and len(w.items) <= size + 2 * context
        for x in w.core:
            if x[0] is None:
                continue
            doc = [y for y in items if y[0] == x[0]]
            k = doc.index(x)
            for nb in doc[max(0, k - context) : k + context + 1]:
                assert nb in w.items, (x, nb)
        # context is only ever the core's own documents
        for x in w.items[: w.start] + w.items[w.stop :]:
            assert x[0] is not None
            assert x[0] in {w.core[0][0], w.core[-1][0]}


def test_a_long_document_is_cut_with_context_on_both_sides():
    items = [("a", i) for i in range(10)]
    ws = list(document_windows(items, 4, 1, _doc))
    assert [(w.items[0][1], w.items[-1][1], w.start, w.stop) for w in ws] == [
        (0, 4, 0, 4),
        (3, 8, 1, 5),
        (7, 9, 1, 3),
    ]


def test_whole_documents_are_kept_together():
    items = [("a", 0), ("a", 1), ("a", 2), ("b", 0), (None, 0), ("c", 0)]
    ws = list(document_windows(items, 2, None, _doc))
    assert [w.core for w in ws] == [items[:3], items[3:5], items[5:]]


@pytest.mark.parametrize(
    ("items", "reason", "position"),
    [
        ([("a", 0), ("b", 0), ("a", 1)], "apart", 3),
        ([("a", 0), ("a", 2), ("a", 1)], "order", 3),
    ],
)
def test_documents_apart_or_out_of_order_are_named(items, reason, position):
    with pytest.raises(DocumentOrderError) as err:
        list(checked_documents(items, _doc, lambda x: x[1]))
    assert (err.value.doc, err.value.reason, err.value.position) == ("a", reason, position)


def test_order_is_not_checked_without_order_key():
    items = [("a", 2), ("a", 0), (None, 0), (None, 0), ("b", 0)]
    assert list(checked_documents(items, _doc)) == items


@settings(max_examples=100, deadline=None)
@given(
    doc_sizes=st.lists(st.integers(0, 20), min_size=1, max_size=6),
    size=st.integers(1, 6),
    context=st.integers(0, 2),
)
def test_a_documents_reach_widens_its_context_only(doc_sizes, size, context):
    """``reach(item)``: a subtitle file's cue is read within its sentence, so a window
    cutting one carries 3 of its items each side; other documents' windows are as without."""
    items = [(d, i, n) for n, (d, i) in enumerate(_items(doc_sizes))]
    wide = {"d0"}

    def reach(item: tuple) -> int:
        return 3 if _doc(item) in wide else 0

    windows = list(document_windows(items, size, context, _doc, reach))
    assert [x for w in windows for x in w.core] == items
    plain = list(document_windows(items, size, context, _doc))
    for w, p in zip(windows, plain, strict=True):
        assert w.core == p.core
        if not any(x[0] in wide for x in w.items):
            assert w == p
        assert len(w.items) <= size + 2 * max(context, 3)
        for x in w.core:
            if x[0] not in wide:
                continue
            doc = [y for y in items if y[0] == x[0]]
            k = doc.index(x)
            for nb in doc[max(0, k - 3) : k + 4]:
                assert nb in w.items, (x, nb)
